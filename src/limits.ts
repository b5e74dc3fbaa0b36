import { UserError } from './errors.js';

/**
 * The memory ceiling on one tensor: a constant read from a model file, or one
 * sample of a runtime tensor (an activation) whose shape a model implies.
 * Checked before anything is allocated, so a file declaring 10^12 elements or
 * a Conv with pads of 10^6 is refused with a line naming the tensor instead of
 * exhausting memory. Default 1 GiB of float64 values (134,217,728 values: a
 * 3x224x224 image is 150,528); the CLI sets it with --max-tensor-mb, the
 * environment with HELU_SIM_MAX_TENSOR_MB.
 */
export const DEFAULT_MAX_TENSOR_BYTES = 2 ** 30;

const BYTES_PER_VALUE = 8;

function fromEnv(): number {
  const v = process.env['HELU_SIM_MAX_TENSOR_MB'];
  if (v === undefined || v === '') return DEFAULT_MAX_TENSOR_BYTES;
  if (!/^[0-9]{1,7}$/.test(v) || Number(v) < 1)
    throw new UserError(`HELU_SIM_MAX_TENSOR_MB must be a whole number of megabytes from 1 to 9999999, got '${v}'`);
  return Number(v) * 2 ** 20;
}

let maxTensorBytes: number | undefined;

/** The ceiling in bytes (of float64 values). */
export function maxTensorBytesLimit(): number {
  return (maxTensorBytes ??= fromEnv());
}

/** Sets the ceiling (bytes); a positive safe integer. */
export function setMaxTensorBytes(bytes: number): void {
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new UserError(`tensor memory ceiling must be a positive whole number of bytes, got ${bytes}`);
  maxTensorBytes = bytes;
}

/**
 * The element count of `shape` after checking every dimension is a
 * non-negative safe integer and the tensor fits the ceiling; UserError naming
 * `what` (e.g. "tensor 'conv1.weight'") and the size otherwise.
 */
export function checkedElementCount(what: string, shape: readonly number[]): number {
  const bad = shape.find((d) => !Number.isSafeInteger(d) || d < 0);
  if (bad !== undefined) throw new UserError(`${what}: dimension ${bad} in shape [${shape.join(',')}] is not a non-negative integer`);
  let n = 1;
  for (const d of shape) n *= d;
  checkTensorSize(what, n, shape);
  return n;
}

/** UserError unless `count` float64 values fit the ceiling. */
export function checkTensorSize(what: string, count: number, shape?: readonly number[]): void {
  const limit = maxTensorBytesLimit();
  if (count * BYTES_PER_VALUE > limit) {
    const dims = shape ? ` [${shape.join(',')}]` : '';
    throw new UserError(
      `${what}${dims} has ${count.toExponential(3)} values (${mb(count * BYTES_PER_VALUE)} MB), over the tensor memory ceiling of ${mb(limit)} MB (raise it with --max-tensor-mb or HELU_SIM_MAX_TENSOR_MB)`,
    );
  }
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 3 : 0);

/**
 * The working memory of a sliding window (Conv, pools) over one sample x =
 * [C,H,W] with pads [top,left,bottom,right] giving an [OH,OW] output: the
 * zero-padded plane and the patch matrix (OH*OW rows of C*kh*kw taps) the
 * engines build. UserError naming `what` when either is over the ceiling, so
 * a Conv with pads of 10^6 is refused before allocating.
 */
export function checkWindowMemory(
  what: string,
  x: readonly number[],
  kernel: readonly number[],
  pads: readonly number[],
  out: readonly number[],
): void {
  const [c = 1, h = 1, w = 1] = x;
  checkTensorSize(`${what} padded input`, c * (h + pads[0]! + pads[2]!) * (w + pads[1]! + pads[3]!));
  checkTensorSize(`${what} patches`, out[0]! * out[1]! * c * kernel[0]! * kernel[1]!);
}
