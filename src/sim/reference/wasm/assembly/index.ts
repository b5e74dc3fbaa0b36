// Entry of the float reference's own WebAssembly module (separate from the
// integer engine's): plain functions on byte offsets into this module's linear
// memory, which the host manages; the module keeps no heap and allocates nothing.
export { matmul_f64 } from './matmul';
export { gather_f64 } from './gather';
export { quantize_f64 } from './quantize';
export { lookup_f64 } from './lookup';

/** First byte after the module's static data: the host allocates from here up. */
export function heap_base(): usize {
  return __heap_base;
}
export { fill_rows_f64, conv_f64, pool_f64, add_f64 } from './steps';
export { first_difference_f64 } from './compare';
export { matmul_f32 } from './matmul';
export { demote_f64, promote_f32 } from './convert';
export { dense_f32, conv_f32 } from './steps32';
