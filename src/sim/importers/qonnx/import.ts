import { UserError } from '../../../errors.js';
import type { IntModel } from '../../model.js';

export function importQonnx(_bytes: Uint8Array, source = 'model.onnx'): IntModel {
  throw new UserError(`'${source}': QONNX import is not available`);
}
