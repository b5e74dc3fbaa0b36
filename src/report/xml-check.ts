/**
 * XML well-formedness check (XML 1.0 section 2 rules that generated SVG can
 * break): one root element; start and end tags nest and match; attribute names
 * unique per element and values quoted, without '<'; '&' only in the five
 * predefined entity references or character references to legal characters
 * (any named entity once a DOCTYPE is present, since its subset may declare
 * them); no control characters; comments without '--'; no ']]>' in text;
 * only whitespace, comments and processing instructions outside the root.
 * It does not validate against a schema or resolve a DTD.
 */

export type XmlCheck =
  { readonly ok: true; readonly root: string; readonly elements: number } | { readonly ok: false; readonly error: string };

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const REF = /&(?:([A-Za-z_:][-A-Za-z0-9_:.]*)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

class XmlError extends Error {}

interface Scan {
  readonly s: string;
  i: number;
  dtd: boolean;
}

function fail(sc: Scan, msg: string): never {
  const before = sc.s.slice(0, sc.i);
  const line = before.split('\n').length;
  const col = sc.i - before.lastIndexOf('\n');
  throw new XmlError(`${msg} at line ${line}, column ${col}`);
}

function match(sc: Scan, re: RegExp): RegExpExecArray | null {
  re.lastIndex = sc.i;
  const m = re.exec(sc.s);
  if (m) sc.i = re.lastIndex;
  return m;
}

function legalCodePoint(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Checks the '&' references in s[from, to). */
function checkRefs(sc: Scan, from: number, to: number): void {
  for (let k = sc.s.indexOf('&', from); k >= 0 && k < to; k = sc.s.indexOf('&', k + 1)) {
    REF.lastIndex = k;
    const m = REF.exec(sc.s);
    if (!m || REF.lastIndex > to) fail({ ...sc, i: k }, "'&' not starting a valid reference");
    if (m[1] !== undefined && !PREDEFINED.has(m[1]) && !sc.dtd) fail({ ...sc, i: k }, `undeclared entity '&${m[1]};'`);
    const cp = m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? parseInt(m[3], 16) : 0x20;
    if (!legalCodePoint(cp)) fail({ ...sc, i: k }, 'character reference to an illegal character');
  }
}

function skipPast(sc: Scan, end: string, what: string): number {
  const k = sc.s.indexOf(end, sc.i);
  if (k < 0) fail(sc, `unterminated ${what}`);
  sc.i = k + end.length;
  return k;
}

function skipDoctype(sc: Scan): void {
  let depth = 0;
  for (; sc.i < sc.s.length; sc.i++) {
    const c = sc.s[sc.i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth === 0) {
      sc.i++;
      sc.dtd = true;
      return;
    }
  }
  fail(sc, 'unterminated DOCTYPE');
}

/** Parses a start tag after '<'; returns its name and whether it closed itself. */
function startTag(sc: Scan): { name: string; empty: boolean } {
  const name = match(sc, NAME)?.[0] ?? fail(sc, 'expected an element name');
  const seen = new Set<string>();
  for (;;) {
    const gap = match(sc, SPACE)![0].length;
    if (sc.s.startsWith('/>', sc.i)) return ((sc.i += 2), { name, empty: true });
    if (sc.s[sc.i] === '>') return (sc.i++, { name, empty: false });
    if (gap === 0) fail(sc, `expected whitespace, '>' or '/>' in <${name}>`);
    const attr = match(sc, NAME)?.[0] ?? fail(sc, `expected an attribute name in <${name}>`);
    if (seen.has(attr)) fail(sc, `duplicate attribute '${attr}'`);
    seen.add(attr);
    match(sc, SPACE);
    if (sc.s[sc.i] !== '=') fail(sc, `expected '=' after attribute '${attr}'`);
    sc.i++;
    match(sc, SPACE);
    const q = sc.s[sc.i];
    if (q !== '"' && q !== "'") fail(sc, `attribute '${attr}' value is not quoted`);
    const close = sc.s.indexOf(q, sc.i + 1);
    if (close < 0) fail(sc, `unterminated value of attribute '${attr}'`);
    const lt = sc.s.indexOf('<', sc.i + 1);
    if (lt >= 0 && lt < close) fail({ ...sc, i: lt }, `'<' in the value of attribute '${attr}'`);
    checkRefs(sc, sc.i + 1, close);
    sc.i = close + 1;
  }
}

function markup(sc: Scan, stack: string[], counts: { elements: number; roots: number; root: string }): void {
  const s = sc.s;
  if (s.startsWith('<!--', sc.i)) {
    const start = (sc.i += 4);
    const end = skipPast(sc, '-->', 'comment');
    const body = s.slice(start, end);
    if (body.includes('--') || body.endsWith('-')) fail({ ...sc, i: start }, "'--' inside a comment");
  } else if (s.startsWith('<![CDATA[', sc.i)) {
    if (stack.length === 0) fail(sc, 'CDATA section outside the root element');
    skipPast(sc, ']]>', 'CDATA section');
  } else if (s.startsWith('<!DOCTYPE', sc.i)) {
    if (counts.roots > 0 || sc.dtd) fail(sc, 'DOCTYPE after the root element or repeated');
    skipDoctype(sc);
  } else if (s.startsWith('<?', sc.i)) {
    sc.i += 2;
    const target = match(sc, NAME)?.[0] ?? fail(sc, 'expected a processing-instruction target');
    if (target.toLowerCase() === 'xml') fail(sc, 'XML declaration not at the start of the document');
    skipPast(sc, '?>', 'processing instruction');
  } else if (s.startsWith('</', sc.i)) {
    sc.i += 2;
    const name = match(sc, NAME)?.[0] ?? fail(sc, 'expected an element name in an end tag');
    match(sc, SPACE);
    if (s[sc.i] !== '>') fail(sc, `expected '>' to close </${name}`);
    sc.i++;
    const open = stack.pop();
    if (open !== name) fail(sc, open === undefined ? `end tag </${name}> without a start tag` : `</${name}> closes <${open}>`);
  } else {
    sc.i++;
    if (stack.length === 0 && counts.roots++ > 0) fail(sc, 'a second root element');
    const { name, empty } = startTag(sc);
    if (stack.length === 0) counts.root = name;
    counts.elements++;
    if (!empty) stack.push(name);
  }
}

function text(sc: Scan, inside: boolean): void {
  const next = sc.s.indexOf('<', sc.i);
  const end = next < 0 ? sc.s.length : next;
  const chunk = sc.s.slice(sc.i, end);
  if (!inside && chunk.trim() !== '') fail(sc, 'text outside the root element');
  const cdataEnd = chunk.indexOf(']]>');
  if (cdataEnd >= 0) fail({ ...sc, i: sc.i + cdataEnd }, "']]>' in text");
  checkRefs(sc, sc.i, end);
  sc.i = end;
}

/** Checks that `doc` is well-formed XML (rules in the file comment). */
export function checkXml(doc: string): XmlCheck {
  const sc: Scan = { s: doc.startsWith('\uFEFF') ? doc.slice(1) : doc, i: 0, dtd: false };
  const stack: string[] = [];
  const counts = { elements: 0, roots: 0, root: '' };
  try {
    const bad = ILLEGAL_CHAR.exec(sc.s);
    if (bad) fail({ ...sc, i: bad.index }, 'illegal control character');
    if (sc.s.startsWith('<?xml') && /[ \t\r\n?]/.test(sc.s[5] ?? '')) skipPast(sc, '?>', 'XML declaration');
    while (sc.i < sc.s.length) {
      if (sc.s[sc.i] === '<') markup(sc, stack, counts);
      else text(sc, stack.length > 0);
    }
    if (stack.length > 0) fail(sc, `<${stack[stack.length - 1]}> is not closed`);
    if (counts.roots === 0) fail(sc, 'no root element');
    return { ok: true, root: counts.root, elements: counts.elements };
  } catch (e) {
    if (e instanceof XmlError) return { ok: false, error: e.message };
    throw e;
  }
}
