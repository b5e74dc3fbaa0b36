/**
 * Energy of the activation units on the network's real activations.
 *
 * The integer engine runs the samples; each activation layer's input codes
 * (what its unit receives) drive the unit's gate-level circuit in the gate
 * simulator, which counts every net's toggles; energy per evaluation =
 * the technology's per-transition cell energies over the toggles
 * (netlist energyPerOpFj, the same rule as the uniform-random figure of
 * describeActivation, only the stimulus differs).
 *
 * Stream order: sample after sample, each sample's values in tensor order
 * (channel-major for [C, H, W]: one channel's pixels in a row, as the array's
 * column for that filter produces them in ws). Codes enter as raw W-bit
 * patterns (two's complement for signed formats).
 */
import { UserError } from '../../errors.js';
import { energyPerOpFj, simulateVectors, type Tech } from '../../netlist/index.js';
import { runInteger } from '../../sim/engine/run.js';
import type { IntModel } from '../../sim/quantize/model.js';
import { activationUnitCircuit, activationUnitKey } from './activation-unit.js';
import { planNetwork, quantFormat } from './layers.js';
import { resolveTech } from './tech.js';

export interface ActivationToggleRow {
  /** The activation layer. */
  readonly layer: string;
  /** The unit's key (activation and formats), as in the cost report. */
  readonly unit: string;
  /** Evaluations simulated (samples x values per sample). */
  readonly evaluations: number;
  /** Average switching energy of one evaluation on the real activations, fJ. */
  readonly energyFjPerOp: number;
  /** Evaluations per inference. */
  readonly perInference: number;
}

/** Raw W-bit patterns of integer codes. */
function rawPatterns(codes: ArrayLike<number>, width: number): Float64Array {
  const mod = 2 ** width;
  return Float64Array.from(codes, (c) => (c < 0 ? c + mod : c));
}

/**
 * Runs `count` samples (`x`: float inputs, batch-major) through the integer
 * model and simulates every activation unit on its layer's real input codes.
 */
export function activationToggleEnergy(m: IntModel, x: ArrayLike<number>, count: number, techArg = 'nangate45'): ActivationToggleRow[] {
  return activationToggleRows(m, sampleTensors(m, x, count), count, resolveTech(techArg).tech);
}

/** Every tensor's codes over `count` samples (at least 2: energy needs transitions). */
export function sampleTensors(m: IntModel, x: ArrayLike<number>, count: number): ReadonlyMap<string, ArrayLike<number>> {
  if (count < 2) throw new UserError(`toggle energy needs at least 2 samples, got ${count}`);
  return runInteger(m, x, count, { keep: 'all' }).tensors;
}

/** As activationToggleEnergy, on the tensors of an earlier run (sampleTensors). */
export function activationToggleRows(
  m: IntModel,
  tensors: ReadonlyMap<string, ArrayLike<number>>,
  count: number,
  tech: Tech,
): ActivationToggleRow[] {
  const rows: ActivationToggleRow[] = [];
  for (const p of planNetwork(m)) {
    if (!p.activation || p.activationLayer === null) continue;
    const layer = m.layers.find((l) => l.name === p.activationLayer)!;
    const codes = tensors.get(layer.inputs[0]!)!;
    const width = quantFormat(p.activation.in, layer.name).width;
    if (width > 53) throw new UserError(`activation layer '${layer.name}': ${width}-bit inputs exceed the gate simulator's 53-bit ports`);
    const net = activationUnitCircuit(p.activation);
    const xs = rawPatterns(codes, width);
    const sim = simulateVectors(net, { x: xs }, xs.length, { toggles: true });
    rows.push({
      layer: layer.name,
      unit: activationUnitKey(p.activation),
      evaluations: xs.length,
      energyFjPerOp: energyPerOpFj(net, sim.toggles!, xs.length, tech),
      perInference: xs.length / count,
    });
  }
  return rows;
}
