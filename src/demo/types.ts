/**
 * The demo's options and its result: every number the demo prints and writes.
 * report.json is exactly a DemoResult (JSON.stringify), and `helu-sim demo
 * --json` prints the same document.
 */
import type { ActivationReport } from '../activations/index.js';
import type { AcceleratorDelta, NetworkCostReport } from '../hardware/index.js';
import type { EpochRecord } from '../models/index.js';
import type { LayerSummary, VerifyReport } from '../sim/index.js';
import type { VerilogExportSummary } from '../verilog/index.js';

/** The demo's phases, in order (progress reports name the running one). */
export type DemoPhase = 'train relu' | 'train helu' | 'verify' | 'cost' | 'verilog' | 'render' | 'write';

export interface DemoOptions {
  /** Output directory (written whole at the end; checked writable first). */
  outDir: string;
  /** Seed of both training runs (same initial weights and batch order). Default 1. */
  seed?: number;
  /** Training epochs of each run. Default DEMO_EPOCHS. */
  epochs?: number;
  /** Progress within a phase: `done` of `total` units (mini-batches, samples, steps). */
  onProgress?: (phase: DemoPhase, done: number, total: number, status?: string) => void;
  /** Receives the printed summary, one section (ending in a newline) as each step finishes. */
  log?: (text: string) => void;
}

/** One training run. */
export interface DemoTrainingRun {
  /** 'relu' or 'helu'. */
  activation: string;
  /** Accuracies of the exported float graph (float64 engine). */
  testAccuracy: number;
  trainAccuracy: number;
  /** Last epoch, per hidden layer: fraction of units that output 0 for every training sample. */
  deadFraction: number[];
  seconds: number;
  history: EpochRecord[];
}

export interface DemoHiddenLayer {
  /** The layer's name in the exported graph and integer model ('dense1'). */
  name: string;
  units: number;
}

/** One row of the accelerator what-if: the same network with this activation in every activation unit. */
export interface DemoWhatIfRow {
  activation: string;
  areaUm2: number;
  energyPj: number;
  latencyUs: number;
  inferencesPerSecond: number;
  cycles: number;
  activationAreaUm2: number;
  activationEnergyPj: number;
  /** Against the network's own activation units (HeLU). */
  delta: AcceleratorDelta;
}

/** The activation unit of one activation layer of the integer model. */
export interface DemoActivationUnit {
  layer: string;
  name: string;
  input: string;
  output: string;
  gates: number;
  depth: number;
  transistors: number;
}

export interface DemoResult {
  tool: { name: 'helu-sim'; version: string };
  seed: number;
  epochs: number;
  arch: string;
  dataset: { name: string; samples: number; train: number; test: number; inputShape: number[]; classes: number };
  training: { backend: string; hiddenLayers: DemoHiddenLayer[]; runs: DemoTrainingRun[]; /** Both runs. */ seconds: number };
  quantization: {
    scheme: 'pow2';
    bits: number;
    calibration: string;
    input: string;
    /**
     * The network's activation unit: the first activation layer's, the one the
     * cost table, the what-if plot's formats, the Verilog and the schematic use.
     */
    activation: DemoActivationUnit;
    /** Every activation layer's unit (formats are calibrated per layer). */
    activations: DemoActivationUnit[];
    layers: LayerSummary[];
  };
  /** All samples, activations as gate-level circuits; plus the three accuracies on the test split alone. */
  verification: VerifyReport & {
    test: { samples: number; floatAccuracy: number | null; intAccuracy: number | null; unquantizedAccuracy: number | null };
  };
  /** Every unit maps the network's activation input format to its output format. */
  activationUnits: { input: string; output: string; tech: string; units: ActivationReport[] };
  accelerator: { estimate: NetworkCostReport; whatIf: DemoWhatIfRow[] };
  verilog: VerilogExportSummary[];
  /** Files written, relative to the output directory. */
  files: string[];
  seconds: { total: number; training: number; verification: number; cost: number; verilog: number; render: number };
}
