import type { NodeView } from '../quantized-onnx/read.js';
import { dequantized, fail, init, qdqPair, scalarDq, type Out } from './affine-emit.js';
import { intRange, type QuantSpec } from './quant.js';

/*
 * Quant, Trunc and BipolarQuant of runtime tensors in the affine QONNX
 * rewrite (affine.ts): QuantizeLinear/DequantizeLinear pairs, with a Clip for
 * ranges narrower than 8 bits and an Add of a constant where the rounding
 * mode or the sign function needs an offset.
 */

/**
 * A Quant of a runtime tensor, ROUND, 2..8 bits, one scale and zero point:
 * QuantizeLinear/DequantizeLinear into int8 (signed) or uint8; a narrower
 * range [lo, hi] (fewer bits, narrow) adds a Clip of the dequantized value to
 * [(lo - z) s, (hi - z) s] and a second pair: rounding then clamping to
 * integer bounds equals QONNX's clamping then rounding.
 */
export function runtimeQuant(v: NodeView, q: QuantSpec, o: Out, x = v.inputs[0]!): void {
  const out = v.outputs[0]!;
  if (q.bits > 8)
    fail(v, `${q.bits}-bit runtime tensors with a scale that is not a power of two are not supported (affine tensors are 2 to 8 bits)`);
  if (q.rounding === 'FLOOR' || q.rounding === 'CEIL') x = gridOffset(v, q, x, o);
  else if (q.rounding !== 'ROUND')
    fail(
      v,
      `rounding_mode ${q.rounding} on a runtime tensor: affine tensors round half to even (ROUND; FLOOR and CEIL of a tensor on a grid that divides the scale; other modes apply to constants)`,
    );
  if (q.scales.length !== 1 || q.zeroPoints.length !== 1)
    fail(v, 'per-channel parameters on a runtime tensor are not supported (runtime tensors have one scale and zero point)');
  const z = q.zeroPoints[0]!,
    type = q.signed ? 'int8' : 'uint8';
  const [lo, hi] = intRange(q);
  if (!Number.isInteger(z) || z < lo || z > hi) fail(v, `zero point ${z} must be an integer in ${lo}..${hi}`);
  const s = q.scales[0]!;
  o.scales.set(out, [Math.fround(s)]);
  o.grids.set(out, { zp: z, type });
  const full = intRange({ bits: 8, signed: q.signed, narrow: false });
  if (lo === full[0] && hi === full[1]) return qdqPair(x, out, v.name, s, z, type, o);
  qdqPair(x, `${out}__wide`, `${v.name}__wide`, s, z, type, o);
  o.inits.push(init(`${out}__lo`, 'float', [], [(lo - z) * s]), init(`${out}__hi`, 'float', [], [(hi - z) * s]));
  o.nodes.push({ opType: 'Clip', name: `${v.name}__clip`, input: [`${out}__wide`, `${out}__lo`, `${out}__hi`], output: [`${out}__clip`] });
  qdqPair(`${out}__clip`, out, v.name, s, z, type, o);
}

/**
 * FLOOR / CEIL of a runtime tensor X already on the grid of s_in (a Quant or
 * Trunc output with that scale) into the scale s = n * s_in, n an integer in
 * 1..128: with X / s_in = m an integer, floor(m / n) = round((m - (n-1)/2) / n)
 * and ceil(m / n) = round((m + (n-1)/2) / n), rounding half to even, with no
 * tie on either side (the offset stays strictly within half a step). So the
 * node becomes an Add of the constant -+(n-1)/2 * s_in (int8 code -+(n-1) at
 * scale s_in / 2) followed by the ROUND quantization; returns the Add's output.
 */
function gridOffset(v: NodeView, q: QuantSpec, x: string, o: Out): string {
  const sIn = o.scales.get(x);
  const s = q.scales[0]!;
  const dq = dequantized(x, v.name, o);
  const n = sIn && sIn.length === 1 ? s / sIn[0]! : NaN;
  if (!dq || !(Number.isInteger(n) && n >= 1 && n <= 128 && sIn![0]! * n === s))
    fail(
      v,
      `rounding_mode ${q.rounding} on a runtime tensor needs its input on a grid that divides the scale (the output of a Quant or Trunc whose scale times an integer 1..128 is ${s}); affine tensors otherwise round half to even`,
    );
  const name = `${v.outputs[0]!}__offset`;
  scalarDq(name, `${v.name}__offset`, q.rounding === 'FLOOR' ? 1 - n : n - 1, Math.fround(sIn![0]! / 2), o);
  o.nodes.push({ opType: 'Add', name: `${v.name}__add`, input: [dq, name], output: [`${name}__sum`] });
  return `${name}__sum`;
}

/**
 * BipolarQuant of a runtime tensor X on the grid of g (X / g an integer m):
 * Y = s for m >= 0, -s for m < 0. As QDQ: k = clamp(round((X + c) / 2s), -1, 0)
 * with c strictly between -s and g - s (here about g/2 - s), so that m >= 0
 * gives k = 0 and m <= -1 gives k = -1, never at a tie; then
 * Y = round((2s k + s) / s) * s = (2k + 1) s, exactly.
 */
export function runtimeBipolar(v: NodeView, s: number, g: number, o: Out, x: string): void {
  const out = v.outputs[0]!,
    c = Math.fround(g / 2 - s);
  scalarDq(`${out}__offset`, `${v.name}__offset`, Math.sign(c), c === 0 ? g : Math.abs(c), o);
  const dq = dequantized(x, v.name, o);
  if (!dq) fail(v, 'a runtime BipolarQuant needs its input quantized (a Quant or Trunc output, through shape ops, pools or Relu)');
  o.nodes.push({ opType: 'Add', name: `${v.name}__add`, input: [dq, `${out}__offset`], output: [`${out}__sum`] });
  const two = Math.fround(2 * s);
  qdqPair(`${out}__sum`, `${out}__k`, `${v.name}__k`, two, 0, 'int8', o);
  o.inits.push(init(`${out}__lo`, 'float', [], [-two]), init(`${out}__hi`, 'float', [], [0]));
  o.nodes.push({ opType: 'Clip', name: `${v.name}__clip`, input: [`${out}__k`, `${out}__lo`, `${out}__hi`], output: [`${out}__clip`] });
  qdqPair(`${out}__clip`, `${out}__kc`, `${v.name}__kc`, two, 0, 'int8', o);
  scalarDq(`${out}__half`, `${v.name}__half`, 1, s, o);
  o.nodes.push({ opType: 'Add', name: `${v.name}__shift`, input: [`${out}__kc`, `${out}__half`], output: [`${out}__pm`] });
  qdqPair(`${out}__pm`, out, v.name, s, 0, 'int8', o);
  o.scales.set(out, [Math.fround(s)]);
  o.grids.set(out, { zp: 0, type: 'int8' });
}
