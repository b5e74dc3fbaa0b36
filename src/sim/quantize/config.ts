import { lazyRequire } from '../../lazy.js';

const yamlLib = lazyRequire<typeof import('yaml')>('yaml');
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { userAcc, userFormat, type AccChoice } from './choose.js';

/**
 * Per-layer format overrides: the --config file
 *   { "layers": { "<layer name>": { "weights": "fixed<8,1>", "out": "fixed<8,3>", "acc": "fixed<24,10>" | 24 } } }
 * plus optional top-level "weights", "acts", "acc" and "bits" (the same as the
 * command-line options, which take precedence). Layer names are the integer
 * model's (the graph's node names; a layer with folded BatchNorm keeps the
 * conv/dense name). Every key is validated; a bad one is a UserError naming it.
 */
export interface LayerOverride {
  weights?: FixedFormat;
  out?: FixedFormat;
  acc?: AccChoice;
}

export interface QuantConfig {
  layers: Map<string, LayerOverride>;
  weights?: FixedFormat;
  acts?: FixedFormat;
  acc?: AccChoice;
  bits?: number;
}

const LAYER_KEYS = ['weights', 'out', 'acc'] as const;
const TOP_KEYS = ['layers', 'weights', 'acts', 'acc', 'bits'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function layerOverride(name: string, v: unknown): LayerOverride {
  const where = `config: layers.${name}`;
  if (!isObject(v)) throw new UserError(`${where} must be an object with keys ${LAYER_KEYS.join(', ')}`);
  const o: LayerOverride = {};
  for (const [k, x] of Object.entries(v)) {
    if (!(LAYER_KEYS as readonly string[]).includes(k))
      throw new UserError(`${where}.${k}: unknown key; accepted: ${LAYER_KEYS.join(', ')}`);
    if (k === 'acc') {
      if (typeof x !== 'string' && typeof x !== 'number') throw new UserError(`${where}.acc must be a format string or a width`);
      o.acc = userAcc(x, `${where}.acc`);
    } else {
      if (typeof x !== 'string') throw new UserError(`${where}.${k} must be a format string such as "fixed<8,3>"`);
      o[k as 'weights' | 'out'] = userFormat(x, `${where}.${k}`);
    }
  }
  return o;
}

/** Validates a parsed config document. */
export function parseQuantConfig(json: unknown): QuantConfig {
  if (!isObject(json)) throw new UserError('config: the document must be a JSON object with a "layers" object');
  for (const k of Object.keys(json)) {
    if (!(TOP_KEYS as readonly string[]).includes(k)) throw new UserError(`config: unknown key '${k}'; accepted: ${TOP_KEYS.join(', ')}`);
  }
  const layers = new Map<string, LayerOverride>();
  if (json.layers !== undefined) {
    if (!isObject(json.layers)) throw new UserError('config: "layers" must be an object keyed by layer name');
    for (const [name, v] of Object.entries(json.layers)) layers.set(name, layerOverride(name, v));
  }
  const c: QuantConfig = { layers };
  for (const k of ['weights', 'acts'] as const) {
    const v = json[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new UserError(`config: "${k}" must be a format string`);
    c[k] = userFormat(v, `config: ${k}`);
  }
  if (json.acc !== undefined) {
    if (typeof json.acc !== 'string' && typeof json.acc !== 'number')
      throw new UserError('config: "acc" must be a format string or a width');
    c.acc = userAcc(json.acc, 'config: acc');
  }
  if (json.bits !== undefined) {
    if (typeof json.bits !== 'number' || !Number.isInteger(json.bits) || json.bits < 2 || json.bits > 32)
      throw new UserError(`config: "bits" must be an integer 2..32, got ${JSON.stringify(json.bits)}`);
    c.bits = json.bits;
  }
  return c;
}

/** Reads and validates a config file. */
export function loadQuantConfig(path: string): QuantConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read config '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  // .yaml/.yml files are YAML (a superset of JSON); anything else is JSON.
  const yaml = /\.ya?ml$/i.test(path);
  let json: unknown;
  try {
    json = yaml ? yamlLib().parse(text) : JSON.parse(text);
  } catch (e) {
    throw new UserError(`config '${path}' is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return parseQuantConfig(json);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Checks that every configured layer exists; UserError naming the unknown key and the accepted names. */
export function checkConfigLayers(c: QuantConfig, names: readonly string[]): void {
  for (const k of c.layers.keys()) {
    if (!names.includes(k)) throw new UserError(`config: layers.${k}: no layer of that name; the model's layers are ${names.join(', ')}`);
  }
}
