/**
 * Writers for a lookup table in the three memory-initialization formats that
 * FPGA and simulator flows read. A table holds raw output bit patterns
 * (0 <= entry < 2^outWidth); entry i is the output for the input whose raw bit
 * pattern, read as an unsigned number, is i.
 */

/** Hex digits needed for `width` bits: ceil(width / 4). */
export function hexDigits(width: number): number {
  return Math.max(1, Math.ceil(width / 4));
}

/** `value` in lower-case hex, zero-padded to `digits`. */
export function toHex(value: bigint, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** Throws unless every entry is an integer pattern of `width` bits and the table is non-empty. */
export function checkTable(table: readonly bigint[], width: number): void {
  if (!Number.isInteger(width) || width < 1) throw new Error(`internal: table width ${width} is not a positive integer`);
  if (table.length === 0) throw new Error('internal: empty table');
  const limit = 1n << BigInt(width);
  for (let i = 0; i < table.length; i++) {
    const v = table[i]!;
    if (typeof v !== 'bigint' || v < 0n || v >= limit) {
      throw new Error(`internal: table entry ${i} = ${String(v)} is not a ${width}-bit raw pattern`);
    }
  }
}

/**
 * `$readmemh` file: line i holds entry i in hex, zero-padded to ceil(W/4)
 * digits; no address markers and no comments, so line numbers are addresses.
 */
export function memFile(table: readonly bigint[], outWidth: number): string {
  checkTable(table, outWidth);
  const digits = hexDigits(outWidth);
  return table.map((v) => toHex(v, digits)).join('\n') + '\n';
}

/** Comment lines made safe for a line-comment syntax: one line each, control characters removed. */
function commentLines(lead: string, comment: readonly string[]): string[] {
  return comment.flatMap((c) => c.split(/\r?\n/)).map((c) => `${lead} ${c.replace(/[\u0000-\u001f\u007f]/g, ' ')}`.trimEnd());
}

/**
 * Xilinx COE file (Vivado UG896, "COE File Syntax"; Block/Distributed Memory
 * Generator): `memory_initialization_radix=16;` then
 * `memory_initialization_vector=` with the entries in address order,
 * comma-separated, one a line, the last ended by ';'. Optional comment lines
 * start with ';' (COE's comment character) and come first.
 */
export function coeFile(table: readonly bigint[], outWidth: number, comment: readonly string[] = []): string {
  checkTable(table, outWidth);
  const digits = hexDigits(outWidth);
  const lines = commentLines(';', comment);
  lines.push('memory_initialization_radix=16;', 'memory_initialization_vector=');
  const last = table.length - 1;
  table.forEach((v, i) => lines.push(`${toHex(v, digits)}${i === last ? ';' : ','}`));
  return lines.join('\n') + '\n';
}

/**
 * Intel/Altera Memory Initialization File (Quartus help, "Memory
 * Initialization File (.mif) Definition"): WIDTH, DEPTH, ADDRESS_RADIX=HEX,
 * DATA_RADIX=HEX, then `CONTENT BEGIN`, one `address : data;` line per entry
 * (address hex-padded to the digits of the last address), and `END;`.
 * Optional comment lines start with '--'.
 */
export function mifFile(table: readonly bigint[], outWidth: number, comment: readonly string[] = []): string {
  checkTable(table, outWidth);
  const digits = hexDigits(outWidth);
  const addrDigits = Math.max(1, (table.length - 1).toString(16).length);
  const lines = commentLines('--', comment);
  lines.push(`WIDTH=${outWidth};`, `DEPTH=${table.length};`, 'ADDRESS_RADIX=HEX;', 'DATA_RADIX=HEX;', '', 'CONTENT BEGIN');
  table.forEach((v, i) => lines.push(`\t${i.toString(16).padStart(addrDigits, '0')} : ${toHex(v, digits)};`));
  lines.push('END;');
  return lines.join('\n') + '\n';
}
