import { registerLayerChecker } from '../validate.js';
import { checkAffineLayer } from './validate.js';

// The model validator checks affine layers with the affine scheme's own rules.
registerLayerChecker('affine', checkAffineLayer);
