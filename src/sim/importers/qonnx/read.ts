/*
 * QONNX nodes: the quantization operators of the qonnx package (Brevitas,
 * FINN and hls4ml exchange networks with them). Their domain names the
 * Python module that defines them; exporters have used several.
 */

export const QONNX_OPS = new Set(['Quant', 'IntQuant', 'BipolarQuant', 'Trunc']);

export const QONNX_DOMAINS = new Set(['qonnx.custom_op.general', 'finn.custom_op.general', 'onnx.brevitas']);

/** True for a QONNX quantization node (Quant, IntQuant, BipolarQuant, Trunc in a qonnx/finn/brevitas domain). */
export function isQonnxNode(op: string, domain: string): boolean {
  return QONNX_OPS.has(op) && QONNX_DOMAINS.has(domain);
}
