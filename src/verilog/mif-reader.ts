import { UserError } from '../errors.js';

export interface MifContent {
  width: number;
  depth: number;
  addressRadix: string;
  dataRadix: string;
  /** depth entries, raw unsigned patterns; addresses the file does not set are 0 (as Quartus fills them). */
  values: bigint[];
}

const RADIX: Record<string, number> = { HEX: 16, BIN: 2, OCT: 8, DEC: 10, UNS: 10 };

/** Removes `-- ...` line comments and `% ... %` block comments. */
function stripMifComments(text: string): string {
  return text.replace(/%[^%]*%/g, ' ').replace(/--[^\n]*/g, ' ');
}

function parseNumber(word: string, radixName: string, width: number, what: string): bigint {
  const radix = RADIX[radixName];
  const m = /^(-?)([0-9A-Fa-f]+)$/.exec(word);
  const ok = m && (radixName === 'DEC' || m[1] === '');
  if (radix === undefined || !ok) throw new UserError(`.mif ${what} '${word}' is not a ${radixName} number`);
  const digits = m![2]!;
  const valid = { 16: /^[0-9A-Fa-f]+$/, 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/ }[radix]!;
  if (!valid.test(digits)) throw new UserError(`.mif ${what} '${word}' is not a ${radixName} number`);
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  let v = BigInt(prefix + digits);
  const limit = 1n << BigInt(width);
  if (m![1] === '-') v = v === 0n ? 0n : limit - v; // signed DEC: two's complement in WIDTH bits
  if (v < 0n || v >= limit) throw new UserError(`.mif ${what} '${word}' does not fit in ${width} bits`);
  return v;
}

/** Header statements `KEY = VALUE;` before CONTENT BEGIN, keys upper-cased. */
function mifHeader(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const st of head.split(';')) {
    if (st.trim() === '') continue;
    const m = /^\s*([A-Za-z_]+)\s*=\s*(\S+)\s*$/.exec(st);
    if (!m) throw new UserError(`.mif header statement '${st.trim().slice(0, 40)}' is not 'KEY = VALUE'`);
    out[m[1]!.toUpperCase()] = m[2]!.toUpperCase();
  }
  return out;
}

/**
 * An Intel/Altera MIF file: WIDTH and DEPTH (required), ADDRESS_RADIX and
 * DATA_RADIX (HEX when absent; BIN, OCT, DEC signed, UNS unsigned decimal),
 * then CONTENT BEGIN with entries `addr : data;`, `[a..b] : data;` (a range
 * filled with one value) or `addr : d0 d1 ...;` (consecutive addresses), then
 * END;.
 */
export function parseMifFile(text: string): MifContent {
  const src = stripMifComments(text);
  const m = /^([\s\S]*?)\bCONTENT\s+BEGIN\b([\s\S]*?)\bEND\s*;/i.exec(src);
  if (!m) throw new UserError('.mif file lacks CONTENT BEGIN ... END;');
  const head = mifHeader(m[1]!);
  const width = Number(head.WIDTH);
  const depth = Number(head.DEPTH);
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(depth) || depth < 1) {
    throw new UserError(`.mif WIDTH '${head.WIDTH}' or DEPTH '${head.DEPTH}' is not a positive integer`);
  }
  const addressRadix = head.ADDRESS_RADIX ?? 'HEX';
  const dataRadix = head.DATA_RADIX ?? 'HEX';
  const values: bigint[] = new Array<bigint>(depth).fill(0n);
  for (const entry of m[2]!.split(';')) {
    if (entry.trim() === '') continue;
    const e = /^\s*(\[\s*(\S+?)\s*\.\.\s*(\S+?)\s*\]|\S+)\s*:\s*([\s\S]+?)\s*$/.exec(entry);
    if (!e) throw new UserError(`.mif entry '${entry.trim().slice(0, 40)}' is not 'address : data'`);
    const first = Number(parseNumber(e[2] ?? e[1]!, addressRadix, 64, 'address'));
    const last = e[2] !== undefined ? Number(parseNumber(e[3]!, addressRadix, 64, 'address')) : undefined;
    const data = e[4]!.split(/\s+/).map((w) => parseNumber(w, dataRadix, width, 'data'));
    if (last !== undefined && data.length !== 1)
      throw new UserError(`.mif range entry '${entry.trim().slice(0, 40)}' has more than one value`);
    const addrs = last !== undefined ? range(first, last) : data.map((_, k) => first + k);
    for (const [k, a] of addrs.entries()) {
      if (a < 0 || a >= depth) throw new UserError(`.mif address ${a} is outside DEPTH ${depth}`);
      values[a] = last !== undefined ? data[0]! : data[k]!;
    }
  }
  return { width, depth, addressRadix, dataRadix, values };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, k) => a + k);
}
