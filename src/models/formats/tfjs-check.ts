import { UserError } from '../../errors.js';
import { checkedElementCount } from '../../limits.js';

/*
 * Shape checks of a TensorFlow.js model.json before the importer reads it:
 * every field the importer dereferences has the type it expects, so a
 * malformed file is one UserError instead of a TypeError deep inside.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, what: string): never {
  throw new UserError(`TensorFlow.js model '${path}': ${what}`);
}

/** weightsManifest: [{ paths: [string], weights: [{ name: string, shape: [int >= 0], dtype: string }] }]; sizes within the tensor ceiling. */
export function checkManifest(path: string, manifest: unknown): void {
  if (manifest === undefined) return;
  if (!Array.isArray(manifest)) fail(path, 'weightsManifest must be an array of weight groups');
  manifest.forEach((g: unknown, i) => {
    if (!isObject(g) || !Array.isArray(g['paths']) || !g['paths'].every((p) => typeof p === 'string') || !Array.isArray(g['weights'])) {
      fail(path, `weightsManifest[${i}] must be { paths: [file names], weights: [entries] }`);
    }
    for (const w of g['weights'] as unknown[]) {
      if (!isObject(w) || typeof w['name'] !== 'string' || typeof w['dtype'] !== 'string' || !Array.isArray(w['shape'])) {
        fail(path, `weightsManifest[${i}] has an entry without name, dtype and shape`);
      }
      checkedElementCount(`TensorFlow.js model '${path}': weight '${w['name']}'`, w['shape'] as number[]);
    }
  });
}

/** Every layer an object with a string class_name and an object config. */
export function checkLayers(path: string, layers: unknown): void {
  if (!Array.isArray(layers)) fail(path, 'modelTopology layers must be an array');
  layers.forEach((l: unknown, i) => {
    if (!isObject(l) || typeof l['class_name'] !== 'string' || !isObject(l['config']))
      fail(path, `layer ${i} must be { class_name, config }`);
  });
}

/** The document itself: an object whose modelTopology, when present, is an object. */
export function checkModelJson(path: string, json: unknown): void {
  if (!isObject(json)) fail(path, 'expected a JSON object with modelTopology and weightsManifest');
  if (json['modelTopology'] !== undefined && !isObject(json['modelTopology'])) fail(path, 'modelTopology must be an object');
  checkManifest(path, json['weightsManifest']);
}
