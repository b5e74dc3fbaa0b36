import type { CellLibrary, LibCell } from '../tech/library.js';

/**
 * A Liberty (.lib) description of a cell library (tech/library.ts) for
 * Yosys (dfflibmap, abc -liberty, stat -liberty). Units: ps, fF, um^2.
 * Each timing arc is a 2 x 2 NLDM table over input transition and output
 * load holding the linear model intrinsic + drive * load exactly (bilinear
 * interpolation of a linear function is exact, and ABC extrapolates linearly),
 * independent of the input transition; output transitions are 2 * drive * load
 * + one tau. Written from helu-sim's own figures: no third-party file is copied.
 */
const SLEW = [1, 200];
const LOAD = [0, 50];

const fmt = (x: number) => (Math.round(x * 1e4) / 1e4).toString();

function table(kind: string, f: (load: number) => number): string[] {
  const row = LOAD.map((c) => fmt(f(c))).join(', ');
  return [`        ${kind} (delay_2x2) {`, `          values ("${row}", "${row}");`, '        }'];
}

function arcs(c: LibCell, related: string, tau: number, edge?: string): string[] {
  const delay = (l: number) => c.intrinsicPs + c.drivePsPerFf * l;
  const slew = (l: number) => 2 * c.drivePsPerFf * l + tau;
  return [
    '      timing () {',
    `        related_pin : "${related}";`,
    ...(edge ? [`        timing_type : ${edge};`] : []),
    ...table('cell_rise', delay),
    ...table('cell_fall', delay),
    ...table('rise_transition', slew),
    ...table('fall_transition', slew),
    '      }',
  ];
}

function logicCell(c: LibCell, tau: number): string[] {
  return [
    `  cell (${c.name}) {`,
    `    area : ${fmt(c.areaUm2)};`,
    ...c.inputs.map((p) => `    pin (${p}) { direction : input; capacitance : ${fmt(c.pinCapFf)}; }`),
    `    pin (${c.output}) {`,
    '      direction : output;',
    `      function : "${c.function}";`,
    ...c.inputs.flatMap((p) => arcs(c, p, tau)),
    '    }',
    '  }',
  ];
}

function registerCell(c: LibCell, tau: number): string[] {
  return [
    `  cell (${c.name}) {`,
    `    area : ${fmt(c.areaUm2)};`,
    '    ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }',
    `    pin (D) {`,
    '      direction : input;',
    `      capacitance : ${fmt(c.pinCapFf)};`,
    '      timing () {',
    '        related_pin : "CK";',
    '        timing_type : setup_rising;',
    `        rise_constraint (scalar) { values ("${fmt(c.setupPs ?? 0)}"); }`,
    `        fall_constraint (scalar) { values ("${fmt(c.setupPs ?? 0)}"); }`,
    '      }',
    '    }',
    `    pin (CK) { direction : input; clock : true; capacitance : ${fmt(c.pinCapFf)}; }`,
    '    pin (Q) {',
    '      direction : output;',
    '      function : "IQ";',
    ...arcs(c, 'CK', tau, 'rising_edge'),
    '    }',
    '  }',
  ];
}

/** The library as Liberty text. */
export function libertyText(lib: CellLibrary): string {
  const name = lib.name.replace(/[^A-Za-z0-9_]/g, '_');
  return [
    `/* ${lib.name}: cell library derived by helu-sim from its technology figures (see docs/synthesis.md). */`,
    `library (helu_${name}) {`,
    '  delay_model : table_lookup;',
    '  time_unit : "1ps";',
    '  voltage_unit : "1V";',
    '  current_unit : "1mA";',
    '  pulling_resistance_unit : "1kohm";',
    '  leakage_power_unit : "1nW";',
    '  capacitive_load_unit (1, ff);',
    '  nom_process : 1; nom_temperature : 25; nom_voltage : 1.0;',
    '  default_max_transition : 1000;',
    '  slew_lower_threshold_pct_rise : 30; slew_upper_threshold_pct_rise : 70;',
    '  slew_lower_threshold_pct_fall : 30; slew_upper_threshold_pct_fall : 70;',
    '  input_threshold_pct_rise : 50; input_threshold_pct_fall : 50;',
    '  output_threshold_pct_rise : 50; output_threshold_pct_fall : 50;',
    '  lu_table_template (delay_2x2) {',
    '    variable_1 : input_net_transition;',
    '    variable_2 : total_output_net_capacitance;',
    `    index_1 ("${SLEW.join(', ')}");`,
    `    index_2 ("${LOAD.join(', ')}");`,
    '  }',
    ...lib.cells.flatMap((c) => (c.function === undefined ? registerCell(c, lib.tauPs) : logicCell(c, lib.tauPs))),
    '}',
    '',
  ].join('\n');
}
