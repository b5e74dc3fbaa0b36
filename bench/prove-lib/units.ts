/*
 * Proof rows of the processing element and the requantization units for
 * bench/prove.ts, at the formats the cost model builds (hardware/network
 * layers.ts: an affine int8 layer's PE is int8 x int8 (or uint8 input) +
 * int32 with the accumulator's overflow mode; a pow2 layer's PE takes the
 * layer's weight, input and accumulator formats), next to the time a plain
 * enumeration of every input would take, extrapolated from the measured rate
 * of simulating the same unit bit-parallel and evaluating the model.
 */
import { parseFormat } from '../../src/fixedpoint/index.js';
import { buildAffineRequant, buildPe, buildPow2Requant, type AffineRequantSpec, type MacFormats, type Pow2RequantSpec } from '../../src/hardware/index.js';
import { makeKernel, type Netlist } from '../../src/netlist/index.js';
import { peModel, provePe, proveRequant, transparentCopy, type UnitProofResult } from '../../src/prove/index.js';

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** CPU seconds per input of simulating `net` on 2^20 inputs (the low 20 input bits counted) and calling `model` per input. */
function ratePerInput(net: Netlist, model: (i: number) => number): number {
  const ins = net.inputs().flatMap((p) => p.bits),
    words = 1 << 15;
  const kernel = makeKernel(
    net,
    { mode: 'transparent', inputs: [], outputs: net.port('y').bits, counterBits: ins.slice(0, 20), maxWords: words },
    words,
    'compiled',
  );
  const out = new Int32Array(net.port('y').bits.length * words);
  let best = Infinity;
  for (let rep = 0; rep < 2; rep++) {
    // the better of two runs: the first pays for V8's optimisation
    const c0 = cpuNow();
    kernel.run(new Int32Array(0), out, words, 0);
    let sink = 0;
    for (let i = 0; i < words * 32; i++) sink += model(i);
    if (Number.isNaN(sink)) throw new Error('unreachable');
    best = Math.min(best, (cpuNow() - c0) / (words * 32));
  }
  return best;
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

function row(r: UnitProofResult, target: number, enumSeconds: number, note: string): boolean {
  if (!r.proven) throw new Error(`${r.unit}: refuted: ${r.counterexample?.text}`);
  const stages = r.stages.map((s) => `${s.method} ${s.cpuSeconds.toFixed(2)}`).join(' + ');
  const pass = r.cpuSeconds <= target;
  console.log(
    `${r.unit.padEnd(58)} ${pad(r.method, 13)} ${pad(r.cpuSeconds.toFixed(2), 6)} ${pad(r.seconds.toFixed(2), 7)} ${pad(`<= ${target}`, 6)}${pass ? ' ' : '!'} ${enumSeconds.toExponential(2)} (${note}); stages ${stages}`,
  );
  return pass;
}

/**
 * Units whose multiplier is too wide to enumerate its operand pairs, proven
 * by the multiplier's carry-save stages: the PE with 16-bit operands (beside
 * the enumeration of its 2^32 operand pairs, extrapolated from the 12-bit
 * PE's measured 2^24) and the affine requantization unit (acc x m, 32 x 32).
 */
async function stagedRows(pairRate: number): Promise<boolean> {
  let ok = true;
  const f: MacFormats = { weight: parseFormat('int16'), input: parseFormat('int16'), acc: parseFormat('fixed<48,48,TRN,SAT>') };
  const r = await provePe(f);
  const model = peModel(f);
  const rate = ratePerInput(transparentCopy(buildPe(f)), (i) => model(i & 127, (i >> 7) & 127, i));
  const pairs = `2^80 inputs; enumerating the 2^32 operand pairs alone: ${(2 ** 32 * pairRate).toFixed(0)} s`;
  ok = row(r, 30, 2 ** 80 * rate, pairs) && ok;
  for (const out of ['int8', 'uint8']) {
    const s: AffineRequantSpec = { kind: 'affine', accBits: 32, out: parseFormat(out) };
    const q = await proveRequant(s);
    const net = buildAffineRequant(s),
      bits = net.inputs().reduce((n, p) => n + p.bits.length, 0);
    ok = row(q, 60, 2 ** bits * ratePerInput(net, (i) => i >> 4), `2^${bits} inputs, simulation alone`) && ok;
  }
  return ok;
}

export async function unitRows(): Promise<boolean> {
  console.log(`\nPE and requantization units (cpu s; the enumeration of every input is extrapolated from 2^20 measured inputs)`);
  console.log(
    `${'unit'.padEnd(58)} ${pad('method', 13)} ${pad('cpu s', 6)} ${pad('wall s', 7)} ${pad('target', 6)}  enumeration of every input (cpu s)`,
  );
  let ok = true;
  const pes: MacFormats[] = [
    ['int8', 'int8', 'fixed<32,32,TRN,WRAP>'],
    ['int8', 'uint8', 'fixed<32,32,TRN,SAT>'],
    ['fixed<8,1>', 'fixed<8,4>', 'fixed<24,12>'],
    ['fixed<12,12>', 'fixed<12,12>', 'fixed<32,32,TRN,SAT>'],
  ].map(([w, x, a]) => ({ weight: parseFormat(w!), input: parseFormat(x!), acc: parseFormat(a!) }));
  let pairRate = 0;
  for (const f of pes) {
    const r = await provePe(f);
    if (f.weight.width === 12) pairRate = r.stages[1]!.cpuSeconds / 2 ** 24;
    const model = peModel(f);
    const rate = ratePerInput(transparentCopy(buildPe(f)), (i) => model(i & 127, (i >> 7) & 127, i));
    const bits = f.weight.width + f.input.width + f.acc.width;
    ok = row(r, f.weight.width <= 8 ? 5 : 30, 2 ** bits * rate, `2^${bits} inputs`) && ok;
  }
  const rqs: Pow2RequantSpec[] = [
    { kind: 'pow2', acc: [parseFormat('fixed<24,12>')], out: parseFormat('fixed<8,4>') },
    { kind: 'pow2', acc: [parseFormat('fixed<32,16>'), parseFormat('fixed<24,6>')], out: parseFormat('fixed<8,4>') },
  ];
  for (const s of rqs) {
    const r = await proveRequant(s);
    const net = buildPow2Requant(s),
      bits = net.inputs().reduce((n, p) => n + p.bits.length, 0);
    const rate = ratePerInput(net, (i) => i >> 4);
    ok = row(r, 5, 2 ** bits * rate, `2^${bits} inputs`) && ok;
  }
  ok = (await stagedRows(pairRate)) && ok;
  return ok;
}
