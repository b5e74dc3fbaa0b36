/**
 * The reference's arithmetic: 'real' evaluates the ONNX operator definitions
 * exactly (real numbers; rounding half to even decided on exact rationals);
 * 'float32' evaluates them as onnxruntime's x86-64 kernels do in float32.
 */
export type Arithmetic = 'real' | 'float32';
