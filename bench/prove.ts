/*
 * `helu-sim prove` at the widths of issue targets, next to the time a full
 * enumeration of the same unit takes:
 *  - 64-bit HeLU, ReLU, leaky ReLU, clamp (target <= 2 s each): proven by
 *    SAT (Yosys miter against the behavioral Verilog of the model);
 *    enumerating 2^64 inputs is extrapolated from the rate measured on the
 *    same activation's 24-bit circuit over 2^22 inputs, scaled by cell count
 *    (enumeration cost per input = 10 ns + 0.2 ns per cell, see enumerate.ts);
 *  - 24-bit GELU, SiLU, sigmoid, tanh, hardswish (target <= 60 s each):
 *    proven by enumerating the 2^16 values of the bits both sides read;
 *    the plain enumeration of all 2^24 inputs is extrapolated from 2^20
 *    measured inputs of the same circuit;
 *  - the PE and pow2 requantization units at the cost model's formats
 *    (bench/prove-lib/units.ts), decomposed proof against plain enumeration;
 *  - where enumeration stops paying: leaky ReLU at 16..26 bits, enumeration
 *    against SAT, both measured.
 * Times are CPU seconds of this process (process.cpuUsage, all threads),
 * with wall-clock seconds beside them: the machine is shared and noisy.
 * Usage: node dist/bench/prove.js [--no-crossover] [--units-only]
 */
import { getActivation, rawModel } from '../src/activations/index.js';
import { parseFormat } from '../src/fixedpoint/index.js';
import { checkExhaustive } from '../src/netlist/index.js';
import { NS_PER_CELL_INPUT, NS_PER_INPUT, proveActivation, type MethodChoice } from '../src/prove/index.js';
import { runYosysScript } from '../src/verilog/index.js';
import { unitRows } from './prove-lib/units.js';

interface Timed<T> {
  value: T;
  cpu: number;
  wall: number;
}

async function timed<T>(f: () => T | Promise<T>): Promise<Timed<T>> {
  const c0 = process.cpuUsage(),
    t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

/** CPU seconds per input of enumerating `words` words (32 inputs each) of the unit's full input space. */
async function enumerationRate(name: string, format: string, words: number): Promise<{ perInput: number; cells: number }> {
  const def = getActivation(name),
    inFmt = parseFormat(format),
    outFmt = def.defaultOutput(inFmt);
  const net = def.circuit(inFmt, outFmt),
    model = rawModel(def, inFmt, outFmt);
  checkExhaustive(net, model, { fromWord: 0, toWord: 1024, engine: 'compiled' }); // compile and warm the kernel
  let perInput = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    // the better of two runs: the first may still pay for V8's optimisation
    const t = await timed(() => checkExhaustive(net, model, { fromWord: 1024, toWord: 1024 + words, engine: 'compiled' }));
    if (t.value.mismatches > 0) throw new Error(`${name} ${format}: enumeration found a mismatch`);
    perInput = Math.min(perInput, t.cpu / t.value.vectors);
  }
  return { perInput, cells: net.cells.length };
}

const perInputModel = (cells: number): number => NS_PER_INPUT + NS_PER_CELL_INPUT * cells;

async function prove(name: string, format: string, method: MethodChoice = 'auto') {
  const r = await proveActivation(name, parseFormat(format), undefined, { method });
  if (!r.proven) throw new Error(`${name} ${format}: refuted: ${r.counterexample?.text}`);
  return r;
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
const secs = (s: number): string => (s >= 1e6 ? `${s.toExponential(2)}` : s.toFixed(2));

async function targets(): Promise<boolean> {
  let ok = true;
  console.log(
    `${'unit'.padEnd(26)} ${pad('method', 10)} ${pad('cpu s', 7)} ${pad('wall s', 7)} ${pad('target', 7)}  enumeration of every input (cpu s)`,
  );
  const row = (unit: string, method: string, cpu: number, wall: number, target: number, enumText: string) => {
    const pass = cpu <= target;
    ok &&= pass;
    console.log(
      `${unit.padEnd(26)} ${pad(method, 10)} ${pad(cpu.toFixed(2), 7)} ${pad(wall.toFixed(2), 7)} ${pad(`<= ${target}`, 7)}${pass ? ' ' : '!'} ${enumText}`,
    );
  };
  for (const name of ['helu', 'relu', 'leakyrelu', 'clamp']) {
    const r = await prove(name, 'fixed<64,32>');
    const rate = await enumerationRate(name, 'fixed<24,12>', 1 << 17);
    const c64 = getActivation(name).circuit(parseFormat('fixed<64,32>'), getActivation(name).defaultOutput(parseFormat('fixed<64,32>')))
      .cells.length;
    const est = 2 ** 64 * rate.perInput * (perInputModel(c64) / perInputModel(rate.cells));
    row(
      `${name} fixed<64,32>`,
      r.method,
      r.cpuSeconds,
      r.seconds,
      2,
      `${secs(est)} (extrapolated: ${(rate.perInput * 1e9).toFixed(1)} ns/input measured at 24 bits, ${rate.cells} -> ${c64} cells)`,
    );
  }
  for (const name of ['gelu', 'silu', 'sigmoid', 'tanh', 'hardswish']) {
    const r = await prove(name, 'fixed<24,8>');
    const rate = await enumerationRate(name, 'fixed<24,8>', 1 << 15);
    row(
      `${name} fixed<24,8>`,
      r.method,
      r.cpuSeconds,
      r.seconds,
      60,
      `${secs(2 ** 24 * rate.perInput)} (extrapolated from 2^20 measured inputs, ${rate.cells} cells)`,
    );
  }
  return ok;
}

async function crossover(): Promise<void> {
  console.log('\nwhere enumeration stops paying: leaky ReLU fixed<W,W/2>, both methods measured (cpu s)');
  console.log(`${pad('W', 3)} ${pad('exhaustive', 11)} ${pad('sat', 7)}  auto picks`);
  for (const w of [16, 20, 22, 24, 26]) {
    const f = `fixed<${w},${w / 2}>`;
    const e = await prove('leakyrelu', f, 'exhaustive');
    const s = await prove('leakyrelu', f, 'sat');
    const a = await proveActivation('leakyrelu', parseFormat(f), undefined, { method: 'auto' });
    console.log(`${pad(w, 3)} ${pad(e.cpuSeconds.toFixed(2), 11)} ${pad(s.cpuSeconds.toFixed(2), 7)}  ${a.method}`);
  }
}

const warm = await timed(() => runYosysScript({ 'w.v': 'module w(input a, output b); assign b = a; endmodule\n' }, 'read_verilog w.v'));
console.log(`Yosys (WebAssembly) first run in this process: ${warm.cpu.toFixed(2)} cpu s (compilation; not counted below)\n`);
const activationsOk = process.argv.includes('--units-only') ? true : await targets();
const ok = (await unitRows()) && activationsOk;
if (!process.argv.includes('--no-crossover')) await crossover();
console.log(ok ? '\nall proof targets met' : '\nsome proof targets missed (marked !)');
