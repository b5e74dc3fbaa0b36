import { lazyRequire } from '../../lazy.js';

const npyjs = lazyRequire<typeof import('npyjs')>('npyjs');
const fflate = lazyRequire<typeof import('fflate')>('fflate');
import { UserError } from '../../errors.js';
import { checkedElementCount, maxTensorBytesLimit } from '../../limits.js';
import { readFileBytes } from './files.js';

/** One NumPy array as helu-sim reads it: C order, values exactly as stored. */
export interface NumpyArray {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Uint8Array;
}

const ACCEPTED = 'bool, int8/16/32/64, uint8/16/32/64, float16/32/64, little-endian, C order';

/** The header text of an .npy file (version 1: 2-byte length at 8; 2 and 3: 4-byte length), or undefined when too short. */
function headerText(b: Uint8Array): string | undefined {
  if (b.length < 10) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const [off, len] = b[6]! <= 1 ? [10, dv.getUint16(8, true)] : [12, b.length >= 12 ? dv.getUint32(8, true) : Infinity];
  if (off + len > b.length) return undefined;
  return new TextDecoder('latin1').decode(b.subarray(off, off + len));
}

function toNumbers(data: ArrayBufferView | unknown[], what: string): Float64Array | Float32Array | Uint8Array {
  if (data instanceof Float64Array || data instanceof Float32Array || data instanceof Uint8Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]!);
      if (!Number.isSafeInteger(v))
        throw new UserError(`${what}: 64-bit value ${data[i]} at index ${i} is beyond 2^53 (not exact as a double)`);
      out[i] = v;
    }
    return out;
  }
  if (Array.isArray(data)) {
    if (!data.every((v) => typeof v === 'boolean')) throw new UserError(`${what}: string arrays are not accepted (${ACCEPTED})`);
    return Uint8Array.from(data as boolean[], (v) => (v ? 1 : 0));
  }
  return Float64Array.from(data as unknown as ArrayLike<number>);
}

/**
 * Reads an .npy file's bytes (NumPy format versions 1-3, decoded by npyjs).
 * The header's shape is checked against the tensor ceiling and against the
 * bytes present, big-endian and Fortran-order arrays are refused (npyjs would
 * read them as little-endian C order), and every failure is one UserError
 * naming `what`.
 */
export function readNpyBytes(bytes: Uint8Array, what: string): NumpyArray {
  const header = headerText(bytes);
  if (header === undefined || bytes[0] !== 0x93 || new TextDecoder('latin1').decode(bytes.subarray(1, 6)) !== 'NUMPY') {
    throw new UserError(`${what} is not a NumPy .npy file (bad magic or header)`);
  }
  if (/'descr'\s*:\s*'>/.test(header))
    throw new UserError(`${what}: big-endian arrays are not accepted (${ACCEPTED}); save with arr.astype(arr.dtype.newbyteorder('<'))`);
  if (/'fortran_order'\s*:\s*True/.test(header))
    throw new UserError(`${what}: Fortran-order arrays are not accepted; save np.ascontiguousarray(arr)`);
  let arr: ReturnType<ReturnType<typeof npyjs>['parse']>;
  try {
    arr = npyjs().parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new UserError(`${what} is not a readable .npy array (${(e as Error).message}); accepted: ${ACCEPTED}`);
  }
  if (!['b1', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f2', 'f4', 'f8'].includes(arr.dtype))
    throw new UserError(`${what}: dtype '${arr.dtype}' is not accepted (${ACCEPTED})`);
  const n = checkedElementCount(what, arr.shape);
  const data = toNumbers(arr.data as ArrayBufferView | unknown[], what);
  if (data.length !== n) throw new UserError(`${what}: the file holds ${data.length} values, shape [${arr.shape.join(',')}] needs ${n}`);
  return { shape: arr.shape, data };
}

/** Reads an .npy file. */
export function readNpy(path: string): NumpyArray {
  return readNpyBytes(readFileBytes(path), `'${path}'`);
}

/**
 * The arrays of an .npz archive (a zip of .npy files, as np.savez writes it),
 * by name without '.npy'. An entry's declared size is checked against the
 * tensor ceiling before it is inflated.
 */
export function readNpz(path: string): Map<string, NumpyArray> {
  const bytes = readFileBytes(path);
  const limit = maxTensorBytesLimit();
  let files: Record<string, Uint8Array>;
  try {
    files = fflate().unzipSync(bytes, {
      filter: (f) => {
        if (f.originalSize > limit)
          throw new UserError(`'${path}': entry '${f.name}' inflates to ${f.originalSize} bytes, over the tensor memory ceiling`);
        return f.name.endsWith('.npy');
      },
    });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`'${path}' is not a readable .npz archive (${(e as Error).message})`);
  }
  const out = new Map<string, NumpyArray>();
  for (const [name, b] of Object.entries(files)) out.set(name.slice(0, -4), readNpyBytes(b, `'${path}' array '${name.slice(0, -4)}'`));
  return out;
}
