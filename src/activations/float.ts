import { lookup, UserError } from '../errors.js';
import {
  ELEMENTWISE_KINDS,
  elementwiseFloat,
  elementwiseGrad,
  erf,
  isConstKind,
  isElementwiseKind,
  type ConstKind,
  type ElementwiseKind,
} from './elementwise.js';

export { erf };

/**
 * The float (real-valued) definition of every activation helu-sim knows: the
 * reference that fixed-point models, circuits, training and the float
 * inference engine all agree with.
 */
export type ActivationKind = NetworkKind | ElementwiseKind;

/** The activation functions of networks (what `activation all` and training offer). */
export const ACTIVATION_KINDS = [
  'helu',
  'relu',
  'leakyrelu',
  'relu6',
  'clamp',
  'hardsigmoid',
  'hardswish',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'elu',
] as const;

export type NetworkKind = (typeof ACTIVATION_KINDS)[number];

/**
 * An activation and its parameters.
 * - alpha: helu's hysteresis threshold for training (default 0.05, the HeLU
 *   authors' default; inference ignores it), leakyrelu's negative slope
 *   (default 0.125 = 2^-3, a shift in hardware), elu's alpha (default 1).
 * - min/max: clamp's bounds (default -1 and 1).
 * A spec is complete: parseActivation (and normalizeActivation, for a spec
 * written with parameters left out) fills every default once, so no consumer
 * restates one.
 */
export type ActivationSpec =
  | { [K in AlphaKind]: { kind: K; alpha: number } }[AlphaKind]
  | { kind: 'clamp'; min: number; max: number }
  | { [K in ConstKind]: { kind: K; c: number } }[ConstKind]
  | { [K in PlainKind]: { kind: K } }[PlainKind];

/** Kinds without parameters. */
export type PlainKind = Exclude<ActivationKind, AlphaKind | 'clamp' | ConstKind>;

/** A spec with alpha (helu, leakyrelu, elu), and the bounded kinds (relu6 = clamp:0:6). */
export type AlphaSpec = Extract<ActivationSpec, { alpha: number }>;
export type ClampSpec = Extract<ActivationSpec, { kind: 'clamp' }> | { kind: 'relu6' };

/** A spec of an elementwise unit (elementwise.ts). */
export type ElementwiseSpec = Extract<ActivationSpec, { kind: ElementwiseKind }>;

export function isElementwiseSpec(spec: ActivationSpec): spec is ElementwiseSpec {
  return isElementwiseKind(spec.kind);
}

/** Kinds with one parameter, alpha. */
export type AlphaKind = 'helu' | 'leakyrelu' | 'elu';

/** A spec that may leave parameters out (normalizeActivation completes it). */
export interface PartialActivationSpec {
  kind: ActivationKind;
  alpha?: number;
  min?: number;
  max?: number;
  /** The constant of pow, min, max, mod and the comparisons (no default: it must be given). */
  c?: number;
}

/** The defaults: helu's training threshold, leakyrelu's slope (DEFAULT_LEAKY_SLOPE), elu's alpha. */
export const DEFAULT_ALPHA: Readonly<Record<AlphaKind, number>> = { helu: 0.05, leakyrelu: 0.125, elu: 1 };
const DEFAULT_CLAMP = { min: -1, max: 1 };
const ALIASES: Record<string, ActivationKind> = {
  swish: 'silu',
  leaky: 'leakyrelu',
  leaky_relu: 'leakyrelu',
  hard_sigmoid: 'hardsigmoid',
  hard_swish: 'hardswish',
};
/** The accepted activation names and parameter forms, for messages and help. */
export const ACTIVATION_SYNTAX = `${ACTIVATION_KINDS.join(', ')} (parameters: helu:ALPHA, leakyrelu:SLOPE, elu:ALPHA, clamp:MIN:MAX), and the elementwise units ${ELEMENTWISE_KINDS.join(', ')} (pow:C, min:C, ...: x op the constant C)`;

function parseParam(s: string, text: string): number {
  const x = Number(s);
  if (s.trim() === '' || !Number.isFinite(x)) throw new UserError(`activation '${text}': parameter '${s}' is not a finite number`);
  return x;
}

/**
 * Parses 'helu', 'helu:0.001', 'leakyrelu:0.01', 'clamp:-1:1', 'elu:1', ...
 * (case-insensitive; 'swish' is silu). Throws UserError naming the accepted forms.
 */
export function parseActivation(s: string): ActivationSpec {
  const parts = s.trim().toLowerCase().split(':');
  const name = parts[0]!;
  const kind =
    (ACTIVATION_KINDS as readonly string[]).includes(name) || isElementwiseKind(name) ? (name as ActivationKind) : lookup(ALIASES, name);
  if (kind === undefined) throw new UserError(`unknown activation '${s}'; accepted: ${ACTIVATION_SYNTAX}`);
  const params = parts.slice(1).map((p) => parseParam(p, s));
  if (isConstKind(kind)) {
    if (params.length !== 1) throw new UserError(`activation '${s}': ${kind} takes one constant, '${kind}:C'`);
    return { kind, c: params[0]! };
  }
  if (kind === 'clamp') {
    if (params.length !== 0 && params.length !== 2) throw new UserError(`activation '${s}': clamp takes two bounds, 'clamp:MIN:MAX'`);
    const [min, max] = params.length === 2 ? params : [DEFAULT_CLAMP.min, DEFAULT_CLAMP.max];
    if (!(min! < max!)) throw new UserError(`activation '${s}': clamp needs MIN < MAX`);
    return { kind, min: min!, max: max! };
  }
  if (!isAlphaKind(kind)) {
    if (params.length > 0) throw new UserError(`activation '${s}': ${kind} takes no parameter`);
    return { kind } as ActivationSpec;
  }
  if (params.length > 1) throw new UserError(`activation '${s}': ${kind} takes one parameter, '${kind}:ALPHA'`);
  const alpha = params[0] ?? DEFAULT_ALPHA[kind];
  if (kind === 'helu' && !(alpha >= 0)) throw new UserError(`activation '${s}': helu alpha must be >= 0`);
  return { kind, alpha };
}

export function isAlphaKind(k: ActivationKind): k is AlphaKind {
  return lookup(DEFAULT_ALPHA, k) !== undefined;
}

/** Completes a spec with its defaults (the form parseActivation returns). */
export function normalizeActivation(spec: PartialActivationSpec): ActivationSpec {
  const k = spec.kind;
  if (isConstKind(k)) {
    if (spec.c === undefined) throw new UserError(`activation ${k} needs its constant ('${k}:C')`);
    return { kind: k, c: spec.c };
  }
  if (k === 'clamp') return { kind: 'clamp', min: spec.min ?? DEFAULT_CLAMP.min, max: spec.max ?? DEFAULT_CLAMP.max };
  if (isAlphaKind(k)) return { kind: k, alpha: spec.alpha ?? DEFAULT_ALPHA[k] };
  return { kind: k } as ActivationSpec;
}

/** Canonical text: parameters equal to their default are omitted; clamp always prints its bounds. Round-trips through parseActivation. */
export function activationToString(spec: PartialActivationSpec): string {
  const s = normalizeActivation(spec);
  if (s.kind === 'clamp') return `clamp:${s.min}:${s.max}`;
  if ('c' in s) return `${s.kind}:${s.c}`;
  if ('alpha' in s && s.alpha !== DEFAULT_ALPHA[s.kind]) return `${s.kind}:${s.alpha}`;
  return s.kind;
}

/** max(0, min(6, x)), the PyTorch ReLU6. */
function relu6(x: number): number {
  return x <= 0 ? 0 : x >= 6 ? 6 : x;
}

/**
 * The activation's value at x, evaluated in float64:
 * helu and relu: x > 0 ? x : 0 (HeLU's forward is ReLU's); leakyrelu: x >= 0 ? x : alpha*x;
 * relu6: min(max(x,0),6); clamp: min(max(x,min),max); hardsigmoid: relu6(x+3)/6;
 * hardswish: x*relu6(x+3)/6; gelu: 0.5*x*(1+erf(x/sqrt 2)) (exact form, @stdlib erf);
 * silu: x/(1+exp(-x)); sigmoid: 1/(1+exp(-x)); tanh: Math.tanh;
 * elu: x > 0 ? x : alpha*expm1(x). NaN maps to NaN except for the ReLU family (0).
 */
export function activationFloat(spec: ActivationSpec, x: number): number {
  if (isElementwiseSpec(spec)) return elementwiseFloat(spec.kind, 'c' in spec ? spec.c : 0, x);
  switch (spec.kind) {
    case 'helu':
    case 'relu':
      return x > 0 ? x : 0;
    case 'leakyrelu':
      return x >= 0 ? x : spec.alpha * x;
    case 'relu6':
      return relu6(x);
    case 'clamp': {
      const lo = spec.min ?? DEFAULT_CLAMP.min;
      const hi = spec.max ?? DEFAULT_CLAMP.max;
      return x <= lo ? lo : x >= hi ? hi : x;
    }
    case 'hardsigmoid':
      return relu6(x + 3) / 6;
    case 'hardswish':
      return (x * relu6(x + 3)) / 6;
    case 'gelu':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'silu':
      return x / (1 + Math.exp(-x));
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'elu':
      return x > 0 ? x : spec.alpha * Math.expm1(x);
  }
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The training derivative at x. helu: 1 if x > -alpha else 0 (the hysteresis:
 * gradient also flows for slightly negative inputs, forward stays ReLU);
 * relu: 1 if x > 0 else 0; leakyrelu: x >= 0 ? 1 : alpha; relu6/clamp: 1
 * strictly inside the bounds else 0; hardsigmoid: 1/6 on (-3, 3) else 0;
 * hardswish: 0 below -3, 1 above 3, (2x+3)/6 between; gelu: Phi(x) + x*phi(x);
 * silu: s + x*s*(1-s) with s = sigmoid(x); sigmoid: s*(1-s); tanh: 1 - tanh^2;
 * elu: x > 0 ? 1 : alpha*exp(x).
 */
export function activationGrad(spec: ActivationSpec, x: number): number {
  if (isElementwiseSpec(spec)) return elementwiseGrad(spec.kind, 'c' in spec ? spec.c : 0, x);
  switch (spec.kind) {
    case 'helu':
      return x > -spec.alpha ? 1 : 0;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'leakyrelu':
      return x >= 0 ? 1 : spec.alpha;
    case 'relu6':
      return x > 0 && x < 6 ? 1 : 0;
    case 'clamp':
      return x > (spec.min ?? DEFAULT_CLAMP.min) && x < (spec.max ?? DEFAULT_CLAMP.max) ? 1 : 0;
    case 'hardsigmoid':
      return x > -3 && x < 3 ? 1 / 6 : 0;
    case 'hardswish':
      return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6;
    case 'gelu':
      return 0.5 * (1 + erf(x / Math.SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'silu': {
      const s = 1 / (1 + Math.exp(-x));
      return s + x * s * (1 - s);
    }
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    }
    case 'tanh': {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'elu':
      return x > 0 ? 1 : spec.alpha * Math.exp(x);
  }
}
