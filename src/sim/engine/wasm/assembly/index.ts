// Entry of the WebAssembly kernel module: every export is a plain function on
// byte offsets into the module's own linear memory, which the host manages
// (allocation, growth); the module keeps no heap and allocates nothing.
export { gemm_i16 } from './gemm-i16';
export { gemm_i64, i64_to_f64 } from './gemm-i64';
export { gemm_f64 } from './gemm-f64';
export { im2col_i16 } from './im2col';
export { conv_i16, conv_i64, conv_f64 } from './conv';
export { heap_base } from './memory';
export { f64_to_i16, i32_to_f64 } from './convert';
export { narrow_i32_i16 } from './narrow';
export { dense_i16_narrow, conv_i16_narrow, gather_i16, mark_i16, maxpool_i16, pad_i16 } from './fused';
export { quantize_f64_i16 } from './quantize';
export { requant_ort_i16 } from './requant';
export { convd_i16_narrow, pairs_i16 } from './direct';
export { add_i16_narrow, avgpool_i16, gap_i16 } from './elementwise';
export { dot_limit_i16 } from './limit';
