import { divRound, fracBits } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { convertRtl, roundUpTerm, signedInput, type RtlBody } from './rtl-convert.js';
import { range, resize, sconst, signedBits, unsignedBits } from './rtl.js';

/**
 * HardSigmoid (PyTorch): y = relu6(x + 3) / 6, exact. With E = max(F, 0)
 * and Fo the output's fraction bits:
 *   t = x + 3 in units of 2^-E (exact),  n = clamp(t, 0, 6 * 2^E),
 *   y * 2^Fo = n * 2^S / 3,  S = Fo - E - 1,
 * so the output code is num / D rounded with the output's rounding mode,
 * num = n * 2^max(S, 0), D = 3 * 2^max(-S, 0) (num >= 0: rounding compares
 * twice the remainder with D), then the output's overflow mode.
 */
export function hardsigmoidRtl(inFmt: FixedFormat, outFmt: FixedFormat): RtlBody {
  const F = fracBits(inFmt),
    E = Math.max(F, 0),
    lsbs = E - F;
  const Fo = fracBits(outFmt),
    S = Fo - E - 1,
    shiftM = Math.max(S, 0);
  const D = 3n << BigInt(Math.max(-S, 0));
  const three = 3n << BigInt(E),
    six = 6n << BigInt(E);
  const { items, value } = signedInput(inFmt);
  const tMin = (value.min << BigInt(lsbs)) + three,
    tMax = (value.max << BigInt(lsbs)) + three;
  const nt = signedBits(tMin < 0n ? tMin : 0n, tMax > six ? tMax : six);
  const xScaled = lsbs > 0 ? `{${resize('xs', value.width, true, nt - lsbs)}, ${lsbs}'d0}` : resize('xs', value.width, true, nt);
  items.push(`  // t = x + 3 in units of 2^-${E}; n = clamp(t, 0, 6)`);
  items.push(`  wire signed ${range(nt)} t = ${xScaled} + ${sconst(three, nt)};`);
  const nn = unsignedBits(six);
  let n = resize('t', nt, true, nn);
  if (tMax > six) n = `t > ${sconst(six, nt)} ? ${nn}'d${six} : ${n}`;
  if (tMin < 0n) n = `t < ${sconst(0n, nt)} ? ${nn}'d0 : ${n}`;
  items.push(`  wire ${range(nn)} n = ${n};`);
  const nm = Math.max(nn + shiftM, unsignedBits(D));
  const num = shiftM > 0 ? `{${resize('n', nn, false, nm - shiftM)}, ${shiftM}'d0}` : resize('n', nn, false, nm);
  items.push(
    `  // y * 2^${Fo} = num / ${D}, rounded ${outFmt.rounding}`,
    `  wire ${range(nm)} num = ${num};`,
    `  wire ${range(nm)} quo = num / ${nm}'d${D};`,
    `  wire ${range(nm)} rem = num % ${nm}'d${D};`,
  );
  const twice = `{rem, 1'b0}`,
    d2 = `${nm + 1}'d${D}`;
  const up = roundUpTerm(outFmt.rounding, {
    above: `(${twice} > ${d2})`,
    tie: `(${twice} == ${d2})`,
    lsb: 'quo[0]',
  });
  const qMax = divRound(six << BigInt(shiftM), D, outFmt.rounding);
  const nq = unsignedBits(qMax);
  if (up === false) {
    items.push(`  wire ${range(nq)} q = ${resize('quo', nm, false, nq)};`);
  } else {
    items.push(
      `  wire rnd = ${up === true ? "1'b1" : up};`,
      `  wire ${range(nq)} q = ${resize('quo', nm, false, nq)} + ${resize('rnd', 1, false, nq)};`,
    );
  }
  const out = convertRtl('out', `q (units of 2^-${Fo})`, { name: 'q', width: nq, signed: false, frac: Fo, min: 0n, max: qMax }, outFmt);
  items.push(...out.items);
  return { items, result: out.result, comment: ['y = relu6(x + 3) / 6, rounded and saturated in the output format'] };
}
