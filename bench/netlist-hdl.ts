// The same 8x8 array multiplier netlist simulated by helu-sim's bit-parallel
// simulator, Icarus Verilog and Verilator (when installed) over the same
// pseudo-random vectors; prints gate evaluations per second of each and the
// ratios. The three checksums of the products must agree.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CircuitBuilder, compileKernel, multiply, prune, simulateVectors, toStructuralVerilog } from '../src/netlist/index.js';

const b = new CircuitBuilder('mul8');
b.output('p', multiply(b, b.input('x', 8), b.input('y', 8), false, false));
prune(b.net);
const net = b.net;
const cells = net.cells.length;
const dir = mkdtempSync(join(tmpdir(), 'helu-hdl-'));
writeFileSync(join(dir, 'mul8.v'), toStructuralVerilog(net));

/** xorshift32 stream shared by all three simulators: x = s[7:0], y = s[15:8] after each step. */
function vectors(n: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  let s = 2463534242 | 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    xs[i] = s & 255;
    ys[i] = (s >>> 8) & 255;
  }
  return { xs, ys };
}

function ours(n: number): { checksum: number; seconds: number } {
  const { xs, ys } = vectors(n);
  simulateVectors(net, { x: xs, y: ys }, n, { engine: 'compiled' }); // warm up
  const t0 = process.hrtime.bigint();
  const p = simulateVectors(net, { x: xs, y: ys }, n, { engine: 'compiled' }).outputs.p;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let checksum = 0;
  for (let i = 0; i < n; i++) checksum = (checksum + p[i]) >>> 0;
  return { checksum, seconds };
}

/** The compiled kernel alone on pre-packed words (no packing of values), steady state. */
function kernelOnly(): number {
  const words = 4096;
  const inBits = [...net.port('x').bits, ...net.port('y').bits];
  const { xs, ys } = vectors(words * 32);
  const packed = new Int32Array(inBits.length * words);
  for (let w = 0; w < words; w++) {
    for (let j = 0; j < 32; j++) {
      for (let i = 0; i < 8; i++) {
        packed[i * words + w] |= ((xs[w * 32 + j] >> i) & 1) << j;
        packed[(8 + i) * words + w] |= ((ys[w * 32 + j] >> i) & 1) << j;
      }
    }
  }
  const out = new Int32Array(16 * words);
  const k = compileKernel(net, { mode: 'transparent', inputs: inBits, outputs: net.port('p').bits, maxWords: words });
  for (let i = 0; i < 100; i++) k.run(packed, out, words, 0);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) k.run(packed, out, words, 0);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return report('helu-sim kernel only', words * 32 * 100, { checksum: NaN, seconds: best });
}

function icarus(n: number): { checksum: number; seconds: number } {
  writeFileSync(
    join(dir, 'tb.v'),
    `module tb;
  reg [7:0] x, y; wire [15:0] p; reg [31:0] s, acc; integer i;
  mul8 dut(.x(x), .y(y), .p(p));
  initial begin
    s = 32'd2463534242; acc = 0;
    for (i = 0; i < ${n}; i = i + 1) begin
      s = s ^ (s << 13); s = s ^ (s >> 17); s = s ^ (s << 5);
      x = s[7:0]; y = s[15:8];
      #1 acc = acc + p;
    end
    $display("%0d", acc);
    $finish;
  end
endmodule
`,
  );
  execFileSync('iverilog', ['-o', join(dir, 'sim'), join(dir, 'tb.v'), join(dir, 'mul8.v')]);
  const t0 = process.hrtime.bigint();
  const out = execFileSync('vvp', ['-n', join(dir, 'sim')], { encoding: 'utf8' });
  return { checksum: Number(out.trim().split('\n')[0]), seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

function verilator(n: number): { checksum: number; seconds: number } {
  writeFileSync(
    join(dir, 'main.cpp'),
    `#include "Vmul8.h"
#include "verilated.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
int main(int argc, char** argv) {
  long n = atol(argv[1]);
  Vmul8* top = new Vmul8;
  uint32_t s = 2463534242u, acc = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    top->x = s & 255; top->y = (s >> 8) & 255;
    top->eval();
    acc += top->p;
  }
  double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("%u %.9f\\n", acc, sec);
  delete top;
  return 0;
}
`,
  );
  execFileSync('verilator', ['--cc', 'mul8.v', '--exe', 'main.cpp', '--build', '-O3', '-j', '2', '--Mdir', 'obj', '-Wno-fatal'], {
    cwd: dir,
    stdio: 'ignore',
  });
  const [sum, sec] = execFileSync(join(dir, 'obj', 'Vmul8'), [String(n)], { encoding: 'utf8' })
    .trim()
    .split(' ');
  return { checksum: Number(sum), seconds: Number(sec) };
}

function report(name: string, n: number, r: { checksum: number; seconds: number }, base?: number): number {
  const rate = (cells * n) / r.seconds;
  console.log(
    `  ${name.padEnd(28)} ${String(n).padStart(9)} vectors  ${r.seconds.toFixed(3).padStart(7)} s  ` +
      `${(rate / 1e9).toFixed(3).padStart(8)} G gate evals/s${Number.isNaN(r.checksum) ? '' : `  checksum ${r.checksum}`}` +
      `${base ? `  (helu-sim simulateVectors is ${(base / rate).toFixed(1)}x faster)` : ''}`,
  );
  return rate;
}

console.log(`8x8 array multiplier, ${cells} cells, same structural netlist in each simulator:`);
const nOurs = 1 << 22;
const mine = ours(nOurs);
const base = report('helu-sim simulateVectors', nOurs, mine);
const kernelRate = kernelOnly();
const expect = (n: number): number => ours(n).checksum;
if (existsSync('/usr/bin/iverilog')) {
  const n = 20_000;
  const r = icarus(n);
  const ir = report('Icarus Verilog (vvp)', n, r, base);
  console.log(`  compiled kernel alone vs Icarus: ${(kernelRate / ir).toFixed(0)}x`);
  if (r.checksum !== expect(n)) console.log('  Icarus checksum DIFFERS');
} else {
  console.log('  Icarus Verilog not installed');
}
if (existsSync('/usr/bin/verilator')) {
  const n = 1 << 22;
  const r = verilator(n);
  const vr = report('Verilator (-O3, eval/vector)', n, r, base);
  console.log(`  compiled kernel alone vs Verilator: ${(kernelRate / vr).toFixed(0)}x`);
  if (r.checksum !== mine.checksum) console.log('  Verilator checksum DIFFERS');
} else {
  console.log('  Verilator not installed');
}
rmSync(dir, { recursive: true, force: true });
