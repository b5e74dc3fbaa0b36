import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import type { AccumulationMode } from '../engine/scheme.js';
import { SESSION_ACCUMULATIONS, type SessionAccumulation } from './ort-default.js';

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

export const ACCUMULATION_HELP = `${SESSION_ACCUMULATIONS.join(', ')}, onnxruntime-host (this CPU's, int8 QDQ allowed) or onnxruntime-host-default (this CPU's, default session options)`;

/** This CPU's onnxruntime under default session options: on x86 the int8 QDQ rewrite (ort-default.ts), then its accumulation. */
export function hostDefaultSession(): SessionAccumulation {
  const acc = hostAccumulation();
  if (process.arch !== 'x64' && process.arch !== 'ia32') return acc;
  return acc === 'exact' ? 'ort-s8u8' : 'ort-s8u8-pairsat';
}

/**
 * A --accumulation value: a mode, 'onnxruntime-host' (this CPU's, from
 * /proc/cpuinfo, with session.qdqisint8allowed) or 'onnxruntime-host-default'
 * (default session options). UserError naming the accepted values.
 */
export function parseAccumulation(s: string): SessionAccumulation {
  if (s === 'onnxruntime-host') return hostAccumulation();
  if (s === 'onnxruntime-host-default') return hostDefaultSession();
  const found = SESSION_ACCUMULATIONS.find((m) => m === s);
  if (!found) throw new UserError(`unknown accumulation '${s}': accepted ${ACCUMULATION_HELP}`);
  return found;
}
