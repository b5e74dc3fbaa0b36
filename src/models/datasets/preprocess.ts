import { readFileSync } from 'node:fs';
import { lazyRequire } from '../../lazy.js';

const yamlLib = lazyRequire<typeof import('yaml')>('yaml');
import { UserError } from '../../errors.js';

/**
 * How images become model inputs, in this order (torchvision's usual
 * Resize -> CenterCrop -> ToTensor -> Normalize):
 * - channels: 'rgb' (default), 'bgr', or 'gray' (ITU-R 601 luma
 *   L = R*299/1000 + G*587/1000 + B*114/1000, as PIL's convert('L') without
 *   its rounding), applied first; alpha is dropped.
 * - resize: N scales the shorter side to N and the longer to
 *   floor(N * long / short) (torchvision Resize(int)); [H, W] scales to H x W.
 *   Bilinear with half-pixel centres: source coordinate (d + 0.5) * in/out - 0.5,
 *   clamped to the image (no antialiasing filter when shrinking).
 * - crop: N or [H, W], centred: top = round((h - H) / 2), left likewise, with
 *   round-half-to-even (torchvision's center_crop); larger than the image is refused.
 * - scale: every value times this (default 1/255: bytes to [0, 1], ToTensor).
 * - mean, std: per channel, (v - mean[c]) / std[c] (default 0 and 1).
 * - layout: 'chw' (default; NCHW models, PyTorch) or 'hwc' (channels last, Keras).
 */
export interface Preprocess {
  readonly channels: 'rgb' | 'bgr' | 'gray';
  readonly resize?: readonly [number, number] | number;
  readonly crop?: readonly [number, number];
  readonly scale: number;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  readonly layout: 'chw' | 'hwc';
}

export const PREPROCESS_KEYS = ['resize', 'crop', 'scale', 'mean', 'std', 'channels', 'layout'] as const;
export type PreprocessInput = Partial<Record<(typeof PREPROCESS_KEYS)[number], unknown>>;
export const DEFAULT_PREPROCESS: Preprocess = { channels: 'rgb', scale: 1 / 255, layout: 'chw' };

/** Largest image side accepted after resizing or cropping. */
const MAX_SIDE = 16384;

/** A number from a file value or flag text ('0.5', '1/255'). */
function number(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /^\s*([-+0-9.eE]+)\s*(?:\/\s*([-+0-9.eE]+))?\s*$/.exec(v);
    const x = m ? Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2])) : NaN;
    if (Number.isFinite(x)) return x;
  }
  throw new UserError(`preprocessing ${where}: expected a number (e.g. 0.5 or 1/255), got ${JSON.stringify(v) ?? 'nothing'}`);
}

function list(v: unknown, where: string): number[] {
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : [v];
  return items.map((x, i) => number(x, `${where}[${i}]`));
}

function side(v: number, where: string): number {
  if (!Number.isInteger(v) || v < 1 || v > MAX_SIDE)
    throw new UserError(`preprocessing ${where}: expected a whole number of pixels 1..${MAX_SIDE}, got ${v}`);
  return v;
}

function size(v: unknown, where: string): number[] {
  const s = (typeof v === 'string' ? v.split(/[x,]/) : Array.isArray(v) ? v : [v]).map((x, i) => side(number(x, where), `${where}[${i}]`));
  if (s.length !== 1 && s.length !== 2) throw new UserError(`preprocessing ${where}: expected N or H,W, got ${JSON.stringify(v)}`);
  return s;
}

function oneOf<T extends string>(v: unknown, where: string, accepted: readonly T[]): T {
  const found = accepted.find((a) => typeof v === 'string' && a === v.toLowerCase());
  if (found === undefined) throw new UserError(`preprocessing ${where}: expected one of ${accepted.join(', ')}, got ${JSON.stringify(v)}`);
  return found;
}

/** A checked Preprocess from file values or flags (later sources override earlier ones). */
export function parsePreprocess(...sources: PreprocessInput[]): Preprocess {
  const merged: PreprocessInput = {};
  for (const s of sources) {
    for (const [k, v] of Object.entries(s)) {
      if (!(PREPROCESS_KEYS as readonly string[]).includes(k))
        throw new UserError(`preprocessing: unknown key '${k}'; accepted: ${PREPROCESS_KEYS.join(', ')}`);
      if (v !== undefined) merged[k as keyof PreprocessInput] = v;
    }
  }
  const channels = merged.channels === undefined ? 'rgb' : oneOf(merged.channels, 'channels', ['rgb', 'bgr', 'gray'] as const);
  const nc = channels === 'gray' ? 1 : 3;
  const perChannel = (k: 'mean' | 'std') => {
    if (merged[k] === undefined) return undefined;
    const v = list(merged[k], k);
    if (v.length !== 1 && v.length !== nc)
      throw new UserError(`preprocessing ${k}: expected 1 or ${nc} values for ${channels}, got ${v.length}`);
    if (k === 'std' && v.some((s) => s === 0)) throw new UserError('preprocessing std: a standard deviation of 0 divides by zero');
    return v.length === 1 ? new Array<number>(nc).fill(v[0]!) : v;
  };
  const resize = merged.resize === undefined ? undefined : size(merged.resize, 'resize');
  const crop = merged.crop === undefined ? undefined : size(merged.crop, 'crop');
  const mean = perChannel('mean'),
    std = perChannel('std');
  return {
    channels,
    ...(resize ? { resize: resize.length === 1 ? resize[0]! : ([resize[0]!, resize[1]!] as const) } : {}),
    ...(crop ? { crop: [crop[0]!, crop[crop.length - 1]!] as const } : {}),
    scale: merged.scale === undefined ? DEFAULT_PREPROCESS.scale : number(merged.scale, 'scale'),
    ...(mean ? { mean } : {}),
    ...(std ? { std } : {}),
    layout: merged.layout === undefined ? 'chw' : oneOf(merged.layout, 'layout', ['chw', 'hwc'] as const),
  };
}

/** The keys of a YAML or JSON preprocessing file (a mapping of PREPROCESS_KEYS). */
export function readPreprocessFile(path: string): PreprocessInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read preprocessing file '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let doc: unknown;
  try {
    doc = yamlLib().parse(text); // YAML 1.2 is a superset of JSON: one parser for both
  } catch (e) {
    throw new UserError(`preprocessing file '${path}' is not valid YAML or JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new UserError(`preprocessing file '${path}' must be a mapping with keys ${PREPROCESS_KEYS.join(', ')}`);
  return doc as PreprocessInput;
}
