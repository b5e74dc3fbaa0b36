/*
 * helu-sim's estimate against synthesis: every activation at 8 and 16 bits
 * (fixed<8,4>, fixed<16,6>; --quick: 8 bits only), the PE (8x8 into a 24-bit
 * accumulator) and the requantization units (pow2 24 -> 8 bits, affine
 * int32 -> int8), on nangate45 and asap7. Each unit's gate netlist is written
 * as structural Verilog and synthesized in process by Yosys + ABC onto the
 * Liberty library generated from the technology figures; the table gives
 * area and critical path from both and their ratio synthesized / estimate,
 * and whether each lies within the +-15 % target band.
 * Usage: node dist/bench/synthesis.js [--quick] [--tech nangate45|asap7]
 */
import { performance } from 'node:perf_hooks';
import { allActivations } from '../src/activations/index.js';
import { parseFormat } from '../src/fixedpoint/index.js';
import { buildPe, buildRequant, compareWithSynthesis } from '../src/hardware/index.js';
import type { Netlist } from '../src/netlist/index.js';

const full = !process.argv.includes('--quick');
const techArg = process.argv.indexOf('--tech');
const techs = techArg > 0 ? [process.argv[techArg + 1]!] : ['nangate45', 'asap7'];
const fmt = parseFormat;

const units: { name: string; build: () => Netlist }[] = [];
for (const w of full ? ['fixed<8,4>', 'fixed<16,6>'] : ['fixed<8,4>']) {
  for (const d of allActivations()) units.push({ name: `${d.name} ${w}`, build: () => d.circuit(fmt(w), d.defaultOutput(fmt(w))) });
}
units.push({
  name: 'PE fixed<8,1> x fixed<8,4> + fixed<24,12>',
  build: () => buildPe({ weight: fmt('fixed<8,1>'), input: fmt('fixed<8,4>'), acc: fmt('fixed<24,12>') }),
});
units.push({
  name: 'requant pow2 fixed<24,12> -> fixed<8,4>',
  build: () => buildRequant({ kind: 'pow2', acc: [fmt('fixed<24,12>')], out: fmt('fixed<8,4,RND_CONV,SAT>') }),
});
units.push({ name: 'requant affine int32 -> int8', build: () => buildRequant({ kind: 'affine', accBits: 32, out: fmt('int8') }) });

const band = (r: number) => (Math.abs(r - 1) <= 0.15 ? 'yes' : 'no');
console.log(
  '| tech | unit | area est. (µm²) | area synth. (µm²) | synth/est | delay est. (ps) | delay synth. (ps) | synth/est | within ±15 % |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
let inBand = 0,
  total = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (const tech of techs) {
  for (const u of units) {
    const c = await compareWithSynthesis(u.build(), { tech });
    const ok = band(c.areaRatio) === 'yes' && band(c.delayRatio!) === 'yes';
    inBand += ok ? 1 : 0;
    total++;
    console.log(
      `| ${tech} | ${u.name} | ${c.estimate.areaUm2.toFixed(2)} | ${c.synthesized.areaUm2.toFixed(2)} | ${c.areaRatio.toFixed(2)} | ` +
        `${c.estimate.delayPs.toFixed(1)} | ${c.synthesized.delayPs!.toFixed(1)} | ${c.delayRatio!.toFixed(2)} | ${ok ? 'yes' : 'no'} |`,
    );
  }
}
const cpu = process.cpuUsage(cpu0);
console.log(
  `\n${inBand} of ${total} units within ±15 % in area and delay; ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (Yosys runs in process).`,
);
