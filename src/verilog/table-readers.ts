import { UserError } from '../errors.js';

/**
 * Readers for the three memory-initialization formats written by tables.ts,
 * accepting the wider syntax other tools write, so tables can be read back
 * and compared. Every reader returns the entries in address order as raw
 * unsigned patterns and throws UserError on anything it does not understand.
 */

function parseDigits(word: string, radix: number, what: string): bigint {
  const clean = word.replace(/_/g, '');
  const digitsOf: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
  const re = digitsOf[radix];
  if (re === undefined || !re.test(clean)) throw new UserError(`${what}: '${word}' is not a radix-${radix} number`);
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  return BigInt(prefix + clean);
}

/** Removes `//` line comments and `/* *\/` block comments (Verilog comment syntax). */
function stripVerilogComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/**
 * A `$readmemh` file (IEEE 1364-2005 section 17.2.9): hex words separated by
 * white space, Verilog comments, and `@address` markers (hex). Addresses must
 * end up contiguous from 0; x/z digits are refused.
 */
export function parseMemFile(text: string): bigint[] {
  const out: bigint[] = [];
  let addr = 0;
  for (const word of stripVerilogComments(text).split(/\s+/)) {
    if (word === '') continue;
    if (word.startsWith('@')) {
      addr = Number(parseDigits(word.slice(1), 16, '.mem address'));
      continue;
    }
    out[addr++] = parseDigits(word, 16, '.mem word');
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] === undefined) throw new UserError(`.mem file leaves address ${i} unset`);
  }
  return out;
}

/** Splits `text` into ';'-terminated statements; on each line, text after a ';' is a comment. */
function coeStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const line of text.split(/\r?\n/)) {
    const semi = line.indexOf(';');
    if (semi < 0) {
      current += ` ${line}`;
      continue;
    }
    statements.push(`${current} ${line.slice(0, semi)}`.trim());
    current = '';
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements.filter((s) => s !== '');
}

/**
 * A Xilinx COE file (UG896 "COE File Syntax"): `keyword = value;` statements,
 * keywords case-insensitive, ';' ends a statement and starts a comment to the
 * end of the line; memory_initialization_vector lists the entries separated by
 * commas and/or white space.
 */
export function parseCoeFile(text: string): { radix: number; values: bigint[] } {
  let radix: number | undefined;
  let values: bigint[] | undefined;
  for (const st of coeStatements(text)) {
    const m = /^([A-Za-z_]+)\s*=\s*([\s\S]*)$/.exec(st);
    if (!m) throw new UserError(`.coe statement '${st.slice(0, 40)}' is not 'keyword = value'`);
    const key = m[1]!.toLowerCase();
    if (key === 'memory_initialization_radix') {
      radix = Number(m[2]!.trim());
      if (![2, 8, 10, 16].includes(radix)) throw new UserError(`.coe radix '${m[2]!.trim()}' is not 2, 8, 10 or 16`);
    } else if (key === 'memory_initialization_vector') {
      if (radix === undefined) throw new UserError('.coe memory_initialization_vector comes before memory_initialization_radix');
      const r = radix;
      values = m[2]!
        .split(/[\s,]+/)
        .filter((w) => w !== '')
        .map((w) => parseDigits(w, r, '.coe entry'));
      break; // UG896: keywords after the data keyword are ignored
    }
  }
  if (radix === undefined || values === undefined)
    throw new UserError('.coe file lacks memory_initialization_radix or memory_initialization_vector');
  return { radix, values };
}
