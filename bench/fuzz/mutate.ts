import fc from 'fast-check';

/*
 * Input generators of the fuzz suite: byte-level mutations of valid seed
 * files, structure-aware mutations of JSON documents, and hostile values.
 */

/** Values a hostile or careless user puts where a name, number or list belongs. */
export const HOSTILE: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  -0,
  1.5,
  255,
  256,
  65536,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  1e12,
  1e308,
  -1e308,
  -(2 ** 31),
  '',
  ' ',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a\nb',
  'x\r\ny',
  '\u001b[2J',
  '\u0000',
  '\u2028',
  'é✓',
  '../../etc/passwd',
  'NaN',
  'Infinity',
  '-1',
  '1e9',
  'fixed<8,4>',
  'relu',
  'x'.repeat(5000),
  [],
  [0],
  [-1],
  [1e9, 1e9],
  [null],
  ['constructor'],
  {},
  { kind: 'constructor' },
  { __proto__: null },
  [[[]]],
];

export const hostile = fc.constantFrom(...HOSTILE);

/** A hostile value as the text a user would type (JSON for objects and arrays). */
export const hostileText = hostile.map((h) => (typeof h === 'string' ? h : (JSON.stringify(h) ?? String(h))));

/** One edit of a byte string. */
type ByteEdit =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'varint'; at: number; value: number };

const pos = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const edit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: pos, value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12, 0x22) }),
  fc.record({ kind: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: pos }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: pos,
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: pos, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: pos,
    length: fc.integer({ min: 1, max: 32 }),
    times: fc.integer({ min: 2, max: 50 }),
  }),
  // A protobuf varint overwritten with a large or negative value (sizes, dims, counts).
  fc.record({ kind: fc.constant('varint' as const), at: pos, value: fc.constantFrom(2 ** 31, 2 ** 32 - 1, 1e12, 2 ** 53, -1) }),
);

function varintBytes(v: number): number[] {
  let x = v < 0 ? 2n ** 64n + BigInt(v) : BigInt(v);
  const out: number[] = [];
  do {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out.push(x > 0n ? b | 0x80 : b);
  } while (x > 0n);
  return out;
}

function apply(b: number[], e: ByteEdit): number[] {
  const at = Math.floor(e.at * (b.length + 1));
  switch (e.kind) {
    case 'set':
      return at < b.length ? [...b.slice(0, at), e.value, ...b.slice(at + 1)] : b;
    case 'flip':
      return at < b.length ? [...b.slice(0, at), b[at]! ^ (1 << e.bit), ...b.slice(at + 1)] : b;
    case 'truncate':
      return b.slice(0, at);
    case 'insert':
      return [...b.slice(0, at), ...e.bytes, ...b.slice(at)];
    case 'delete':
      return [...b.slice(0, at), ...b.slice(at + e.length)];
    case 'repeat': {
      const chunk = b.slice(at, at + e.length);
      return [...b.slice(0, at), ...Array.from({ length: e.times }, () => chunk).flat(), ...b.slice(at)];
    }
    case 'varint': {
      const v = varintBytes(e.value);
      return [...b.slice(0, at), ...v, ...b.slice(at + v.length)];
    }
  }
}

/** A seed file with 1 to 4 random edits. */
export function mutatedBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([k, edits]) => Uint8Array.from(edits.reduce(apply, [...seeds[k]!])));
}

/** Every path to a value inside a JSON document (object keys and array indices). */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.slice(0, 64).forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

type JsonEdit = { at: number; op: 'replace' | 'delete' | 'addKey' | 'wrap'; value: unknown; key: string };

function applyJson(doc: unknown, e: JsonEdit): unknown {
  const all = paths(doc);
  const path = all[Math.floor(e.at * all.length)]!;
  if (path.length === 0) return e.op === 'replace' ? e.value : doc;
  const root = structuredClone(doc) as Record<string | number, unknown>;
  let parent = root;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (e.op === 'replace') parent[last] = e.value;
  else if (e.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (e.op === 'wrap') parent[last] = [parent[last]];
  else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last]))
    Object.defineProperty(parent[last], e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
  return root;
}

const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  at: pos,
  op: fc.constantFrom('replace' as const, 'replace' as const, 'delete' as const, 'addKey' as const, 'wrap' as const),
  value: hostile,
  key: fc.constantFrom('__proto__', 'constructor', 'extra', 'toString'),
});

/** A seed JSON document with 1 to 3 structural edits, as text; now and then also byte-mutated. */
export function mutatedJson(seeds: readonly unknown[]): fc.Arbitrary<string> {
  const structural = fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(jsonEdit, { minLength: 1, maxLength: 3 }))
    .map(([k, edits]) => JSON.stringify(edits.reduce(applyJson, seeds[k])));
  const enc = new TextEncoder();
  const textual = mutatedBytes(seeds.map((s) => enc.encode(JSON.stringify(s)))).map((b) => new TextDecoder().decode(b));
  return fc.oneof({ arbitrary: structural, weight: 3 }, { arbitrary: textual, weight: 1 });
}
