/**
 * Markdown tables and number formatting for reports and the CLI's readable
 * output. Display only: the decimal rounding here (Number.prototype.toPrecision,
 * ties resolved by the shortest-decimal rule of ECMAScript) never feeds a
 * computation.
 */

export type TableAlign = 'left' | 'right' | 'center';
export type TableCell = string | number | bigint | null | undefined;

/** Inserts ',' every three digits in the integer part of a plain decimal string ('-1234.5' -> '-1,234.5'). */
function groupThousands(s: string): string {
  const m = /^(-?)(\d+)(.*)$/.exec(s);
  if (!m) return s;
  return m[1] + m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + m[3];
}

/** An integer with thousands separators: 1234567 -> '1,234,567'. Non-integers go through formatSig. */
export function formatInt(n: number | bigint): string {
  if (typeof n === 'bigint') return groupThousands(n.toString());
  if (!Number.isInteger(n)) return formatSig(n);
  if (Math.abs(n) >= 1e21) return n.toExponential(3);
  return groupThousands(BigInt(n).toString());
}

/**
 * `x` to `digits` significant digits (default 3), with thousands separators
 * and trailing zeros kept: 1234.5 -> '1,230', 0.012345 -> '0.0123', 1.5 -> '1.50'.
 * Magnitudes below 1e-4 or from 1e21 use exponent form ('1.23e-7'); 0 is '0';
 * NaN and infinities print as JavaScript prints them.
 */
export function formatSig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) throw new Error(`internal: digits must be 1..21, got ${digits}`);
  const rounded = Number(x.toPrecision(digits));
  const abs = Math.abs(rounded);
  if (abs < 1e-4 || abs >= 1e21) return rounded.toExponential(digits - 1);
  const exponent = Number(rounded.toExponential().split('e')[1]);
  const decimals = Math.max(0, digits - 1 - exponent);
  return groupThousands(rounded.toFixed(decimals));
}

/** A fraction as a percentage with `digits` decimals: 0.1234 -> '12.3%'. */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  return `${(fraction * 100).toFixed(digits)}%`;
}

function cellText(c: TableCell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'bigint') return formatInt(c);
  if (typeof c === 'number') return Number.isInteger(c) ? formatInt(c) : formatSig(c, 4);
  return c.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function separator(width: number, a: TableAlign): string {
  const w = Math.max(3, width);
  if (a === 'right') return '-'.repeat(w - 1) + ':';
  if (a === 'center') return ':' + '-'.repeat(w - 2) + ':';
  return '-'.repeat(w);
}

function pad(s: string, width: number, a: TableAlign): string {
  const gap = Math.max(0, width - [...s].length);
  if (a === 'right') return ' '.repeat(gap) + s;
  if (a === 'center') return ' '.repeat(Math.floor(gap / 2)) + s + ' '.repeat(gap - Math.floor(gap / 2));
  return s + ' '.repeat(gap);
}

/**
 * A GitHub-flavoured Markdown table, columns padded so the text lines up.
 * Numbers are formatted (integers with separators, others to 4 significant
 * digits); `|` in text is escaped. Default alignment: right for a column whose
 * cells are all numbers, left otherwise. Rows shorter than the header are padded with empty cells.
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly TableCell[])[], align?: readonly TableAlign[]): string {
  const n = headers.length;
  const text = rows.map((r) => Array.from({ length: n }, (_, i) => cellText(r[i])));
  const aligns: TableAlign[] = headers.map(
    (_, i) => align?.[i] ?? (rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || typeof r[i] === 'bigint') ? 'right' : 'left'),
  );
  const head = headers.map((h) => cellText(h));
  const widths = head.map((h, i) => Math.max(3, [...h].length, ...text.map((r) => [...r[i]!].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => pad(c, widths[i]!, aligns[i]!)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w, i) => separator(w, aligns[i]!)).join(' | ')} |`, ...text.map(line)].join('\n') + '\n';
}
