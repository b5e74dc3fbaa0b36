import { readFileSync } from 'node:fs';

/**
 * True when this x86 CPU has VNNI (avx512_vnni or avx_vnni in /proc/cpuinfo):
 * onnxruntime's u8 x s8 GEMM then uses vpdpbusd, which does not saturate;
 * without it MLAS uses vpmaddubsw, whose int16 pair sums saturate. Tests that
 * compare with onnxruntime pick the matching accumulation from this.
 */
export function cpuHasVnni(): boolean {
  let text = '';
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return false;
  }
  return /\b(avx512_vnni|avx_vnni)\b/.test(text);
}
