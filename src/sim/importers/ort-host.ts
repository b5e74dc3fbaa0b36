import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { ACCUMULATION_MODES, type AccumulationMode } from '../engine/scheme.js';

/*
 * Which accumulation onnxruntime uses on this machine (engine/affine/pairsat.ts):
 * x86-64 with AVX2 or AVX-512BW but without VNNI (no avx512_vnni, no
 * avx_vnni in /proc/cpuinfo) runs its u8 x s8 GEMM on vpmaddubsw, whose int16
 * pair sums saturate: 'ort-u8s8-pairsat'. With VNNI (vpdpbusd), on SSE-only
 * x86 (pmaddwd on widened codes) and on other architectures the sums are
 * exact. A system without /proc/cpuinfo counts as exact.
 */

/** The accumulation onnxruntime's CPU kernels use on a CPU with these /proc/cpuinfo flags. */
export function onnxruntimeAccumulation(cpuinfo: string): AccumulationMode {
  if (/\b(avx512_vnni|avx_vnni)\b/.test(cpuinfo)) return 'exact';
  return /\b(avx2|avx512bw)\b/.test(cpuinfo) ? 'ort-u8s8-pairsat' : 'exact';
}

/** onnxruntimeAccumulation of this machine. */
export function hostAccumulation(): AccumulationMode {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return 'exact';
  }
  return onnxruntimeAccumulation(text);
}

export const ACCUMULATION_HELP = `${ACCUMULATION_MODES.join(', ')} or onnxruntime-host (what onnxruntime does on this CPU)`;

/** A --accumulation value: a mode, or 'onnxruntime-host' (this CPU's, from /proc/cpuinfo). UserError naming the accepted values. */
export function parseAccumulation(s: string): AccumulationMode {
  if (s === 'onnxruntime-host') return hostAccumulation();
  const found = ACCUMULATION_MODES.find((m) => m === s);
  if (!found) throw new UserError(`unknown accumulation '${s}': accepted ${ACCUMULATION_HELP}`);
  return found;
}
