import type { Command } from 'commander';
import { UserError } from '../errors.js';
import {
  acceleratorDelta,
  costNetwork,
  DEFAULT_SRAM_KB,
  DEFAULT_TECH,
  parseArray,
  parseDataflow,
  parseSramKb,
  parseSynthTool,
  synthesizeNetworkUnits,
  type EnergyBreakdown,
  type NetworkCostReport,
  type SramSizesKb,
  type UnitSynthesis,
} from '../hardware/index.js';
import {
  acceleratorLayerTable,
  acceleratorSummary,
  acceleratorTotalTable,
  dramTable,
  formatSig,
  markdownTable,
  sramLayerTable,
  sramTable,
  whatIfTable,
} from '../report/index.js';
import { INTEGER_MODEL_HELP, loadIntegerModel } from '../sim/importers/load.js';
import { finiteNumber, printJson, positiveInt } from './common.js';
import { energyHeadline, fullEnergy, fullEnergyTable, parseEnergyMode, peToggleTable, toggleEnergy, toggleTable } from './cost-energy.js';
import { withDatasetOptions } from './dataset-options.js';

interface Options {
  array: string;
  dataflow: string;
  clockMhz?: string;
  tech: string;
  actUnits?: number;
  requantUnits?: number;
  batch: number;
  swapActivation?: string;
  synth?: string;
  liberty?: string;
  dramBw?: number;
  sramKb?: string;
  energy: string;
  dataset?: string;
  json: boolean;
}

const HELP = `
Estimates the accelerator that runs the integer model: a systolic array of
R x C processing elements (each a MAC datapath built for the layer's weight,
input and accumulator formats), requantization units and activation units at
the array's column outputs, and two SRAMs (weights; feature maps) sized from
the layers. Every gate-level figure comes from helu-sim's own circuits costed
with the technology file; cycles follow SCALE-Sim v2 (folds x cycles per fold).

Defaults: --array 16x16, --dataflow ws (weight stationary; os = output
stationary), --tech nangate45, --act-units and --requant-units = the array's
columns, --batch 1, clock from the slowest unit (PE, activation or
requantization) unless --clock-mhz is given.

The report ends with the energy of one inference per layer and component
(PEs, requantization, activation units, SRAM, and DRAM with --dram-bw), each
component's source listed under it (docs/energy.md).

Examples:
  helu-sim cost model.q.json
  helu-sim cost model.q.json --array 32x32 --dataflow os --tech asap7
  helu-sim cost model.q.json --swap-activation gelu --json
  helu-sim cost model.q.json --dram-bw 4 --sram-kb 32,32,16 --dataflow is
  helu-sim cost model.q.json --energy toggles --dataset digits --limit 360`;

function parseClock(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UserError(`--clock-mhz must be a positive number of MHz, got '${v}'`);
  return x;
}

/** Distinct units of the estimate with their cost (PEs, requantization and activation units). */
function unitTable(r: NetworkCostReport): string {
  const rows = new Map<string, (string | number)[]>();
  const put = (key: string, layer: string, cells: (string | number)[]) => {
    const row = rows.get(key);
    if (row) row[1] = `${row[1]}, ${layer}`;
    else rows.set(key, [key, layer, ...cells]);
  };
  const pes = r.array.rows * r.array.cols;
  for (const l of r.layers) {
    const pe = l.units.pe;
    put(`PE ${pe.weight} x ${pe.input} + ${pe.accumulator}`, l.name, [
      pe.pe.gates,
      pe.pe.registers,
      formatSig(pe.pe.areaUm2, 4),
      formatSig(pe.pe.delayPs, 4),
      formatSig(pe.pe.energyFjPerOp / 1e3, 4),
      pes,
    ]);
    const rq = l.units.requant;
    if (rq) {
      put(`requant ${rq.input} -> ${rq.output}`, l.name, [
        rq.circuit.gates,
        rq.circuit.registers,
        formatSig(rq.circuit.areaUm2, 4),
        formatSig(rq.circuit.delayPs, 4),
        formatSig(rq.circuit.energyFjPerOp / 1e3, 4),
        r.array.requantUnits,
      ]);
    }
    const a = l.activationUnit as {
      activation: string;
      input: string;
      output: string;
      gates: number;
      areaUm2: number;
      delayPs: number;
      energyFjPerOp: number;
      romBits: number;
    } | null;
    if (a) {
      put(`${a.activation} ${a.input} -> ${a.output}`, l.name, [
        a.gates,
        0,
        formatSig(a.areaUm2, 4),
        formatSig(a.delayPs, 4),
        formatSig(a.energyFjPerOp / 1e3, 4),
        r.array.actUnits,
      ]);
    }
  }
  return markdownTable(
    ['unit', 'layers', 'gates', 'registers', 'area (µm²)', 'delay (ps)', 'energy / op (pJ)', 'instances'],
    [...rows.values()],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** The activations a report's units run ('helu', 'helu+relu'; '(none)'). */
function activationLabel(r: NetworkCostReport): string {
  const names = new Set(r.layers.flatMap((l) => (l.activationUnit ? [(l.activationUnit as { activation: string }).activation] : [])));
  return names.size > 0 ? [...names].join('+') : '(none)';
}

function memoryHeader(bw: number, kb: SramSizesKb): string {
  return (
    `Memory: DRAM ${bw} bytes/cycle to each SRAM; double-buffered SRAMs ifmap ${kb.ifmap} KB, filter ${kb.filter} KB, ` +
    `ofmap ${kb.ofmap} KB (SCALE-Sim v2 memory model; DRAM energy 1.3–2.6 nJ per 64-bit access)`
  );
}

function render(r: NetworkCostReport, full: EnergyBreakdown, dramBw?: number, kb: SramSizesKb = DEFAULT_SRAM_KB): string {
  const parts = [
    acceleratorSummary(r),
    energyHeadline(full),
    '',
    ...(dramBw !== undefined ? [memoryHeader(dramBw, kb), '', dramTable(r)] : []),
    'Layers',
    '',
    acceleratorLayerTable(r),
    'Area and energy per inference',
    '',
    acceleratorTotalTable(r),
    'SRAM',
    '',
    sramTable(r),
    sramLayerTable(r),
    'Units',
    '',
    unitTable(r),
  ];
  if (r.whatIf) {
    const rows = [
      { activation: activationLabel(r), report: r, delta: acceleratorDelta(r, r) },
      { activation: r.whatIf.activation, report: r.whatIf.report, delta: r.whatIf.delta },
    ];
    parts.push(`What-if: every activation unit replaced by ${r.whatIf.activation}`, '', whatIfTable(rows));
  }
  return parts.join('\n');
}

/** Every distinct unit: helu-sim's estimate beside the synthesized figure. */
function synthTable(rows: readonly UnitSynthesis[]): string {
  const r = (x: number | null) => (x === null ? 'n/a' : formatSig(x, 3));
  return markdownTable(
    ['unit', 'area est. (µm²)', 'area synth. (µm²)', 'synth/est', 'delay est. (ps)', 'delay synth. (ps)', 'synth/est'],
    rows.map(({ unit, comparison: c }) => [
      unit,
      formatSig(c.estimate.areaUm2, 4),
      formatSig(c.synthesized.areaUm2, 4),
      r(c.areaRatio),
      formatSig(c.estimate.delayPs, 4),
      r(c.synthesized.delayPs),
      r(c.delayRatio),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

async function run(model: string, opts: Options): Promise<void> {
  if (opts.synth !== undefined) parseSynthTool(opts.synth);
  else if (opts.liberty !== undefined) throw new UserError('--liberty needs --synth yosys');
  const array = parseArray(opts.array);
  const dataflow = parseDataflow(opts.dataflow);
  const clockMhz = parseClock(opts.clockMhz);
  if (opts.sramKb !== undefined && opts.dramBw === undefined)
    throw new UserError('--sram-kb needs --dram-bw (the SRAM sizes of the DRAM-backed buffers)');
  const sramKb = opts.sramKb === undefined ? undefined : parseSramKb(opts.sramKb);
  const energy = parseEnergyMode(opts.energy, opts.dataset);
  const m = loadIntegerModel(model);
  const r = costNetwork(m, {
    array,
    dataflow,
    tech: opts.tech,
    batch: opts.batch,
    ...(clockMhz !== undefined ? { clockMhz } : {}),
    ...(opts.actUnits !== undefined ? { actUnits: opts.actUnits } : {}),
    ...(opts.requantUnits !== undefined ? { requantUnits: opts.requantUnits } : {}),
    ...(opts.dramBw !== undefined ? { dramBytesPerCycle: opts.dramBw } : {}),
    ...(sramKb !== undefined ? { sramKb } : {}),
    ...(opts.swapActivation !== undefined ? { swapActivation: opts.swapActivation } : {}),
  });
  const syn =
    opts.synth === undefined
      ? undefined
      : await synthesizeNetworkUnits(m, { tech: opts.tech, ...(opts.liberty !== undefined ? { liberty: opts.liberty } : {}) });
  const toggles = energy === 'toggles' ? toggleEnergy(m, r, opts.dataset!, opts, opts.tech) : undefined;
  const full = fullEnergy(r, opts.tech, toggles);
  if (opts.json) printJson({ ...r, energy: full, ...(syn ? { synthesis: syn } : {}), ...(toggles ? { activationToggles: toggles } : {}) });
  else {
    process.stdout.write(render(r, full, opts.dramBw, sramKb));
    if (toggles) process.stdout.write(['', toggleTable(toggles), '', peToggleTable(toggles), ''].join('\n'));
    process.stdout.write(['', fullEnergyTable(full)].join('\n'));
    if (syn)
      process.stdout.write(
        ['', `Synthesis (Yosys + ABC onto the ${syn[0]?.comparison.synthesized.library ?? 'library'})`, '', synthTable(syn)].join('\n'),
      );
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('cost')
    .description('accelerator area, latency and energy of an integer model (systolic array, activation and requantization units, SRAM)')
    .argument('<model>', INTEGER_MODEL_HELP)
    .option('--array <RxC>', 'systolic array rows x columns', '16x16')
    .option('--dataflow <ws|os|is>', 'ws (weight stationary), os (output stationary) or is (input stationary)', 'ws')
    .option('--clock-mhz <F>', 'fixed clock in MHz (default: the slowest unit sets it)')
    .option('--tech <name|file>', 'technology: nangate45, asap7 or a JSON file', DEFAULT_TECH)
    .option('--act-units <N>', 'instances of each activation unit (default: array columns)', positiveInt('--act-units'))
    .option('--requant-units <N>', 'instances of each requantization unit (default: array columns)', positiveInt('--requant-units'))
    .option('--batch <N>', 'samples per pass', positiveInt('--batch'), 1)
    .option('--swap-activation <name>', 're-cost with this activation unit in place of every activation (what-if)')
    .option(
      '--dram-bw <B>',
      'DRAM bytes per cycle to each SRAM: SCALE-Sim v2 memory model, stall cycles in the latency (default: operands on chip)',
      finiteNumber('--dram-bw'),
    )
    .option(
      '--sram-kb <I,F,O>',
      'with --dram-bw: ifmap, filter and ofmap SRAM sizes in KB, as SCALE-Sim configures them (default 64,64,64)',
    )
    .option('--synth <tool>', 'also synthesize every distinct unit: yosys (Yosys + ABC onto the --tech library)')
    .option('--liberty <file>', 'with --synth: map onto this Liberty file instead of the generated library')
    .option(
      '--energy <mode>',
      'PE and activation energy: uniform (random inputs) or toggles (real operands of --dataset, beside uniform)',
      'uniform',
    )
    .option('--dataset <name|path>', 'with --energy toggles: the samples to run (test split; --limit n, default 256)')
    .option('--json', 'print one JSON document', false);
  withDatasetOptions(cmd)
    .addHelpText('after', HELP)
    .action((model: string, opts: Options) => run(model, opts));
}
