/** `helu-sim prove pe|requant`: proofs of the processing element and the requantization units. */
import { VerificationFailure } from '../errors.js';
import { parseFormat } from '../fixedpoint/index.js';
import { provePe, provePeRtl, proveRequant, proveRequantRtl, type UnitProofResult } from '../prove/index.js';
import { printJson } from './common.js';
import { requantSpecOf } from './verilog-units.js';
import { UserError } from '../errors.js';

export interface UnitProveOptions {
  weight?: string;
  input?: string;
  acc?: string;
  accBits?: number;
  out?: string;
  rtl?: string;
  top?: string;
  timeout?: number;
  json: boolean;
}

const need = (v: string | undefined, flag: string): string => {
  if (v === undefined) throw new UserError(`prove pe: ${flag} is required`);
  return v;
};

function jsonDoc(r: UnitProofResult, o: UnitProveOptions): object {
  const c = r.counterexample;
  const port = (p: { name: string; raw: bigint; code: bigint; real: string }) => ({
    name: p.name,
    raw: `0x${p.raw.toString(16)}`,
    code: p.code.toString(),
    real: p.real,
  });
  return {
    unit: r.unit,
    implementation: o.rtl !== undefined ? { rtl: o.rtl, top: o.top ?? null } : 'helu-sim circuit',
    proven: r.proven,
    method: r.method,
    detail: r.detail,
    stages: r.stages.map((s) => ({ ...s, cpuSeconds: Number(s.cpuSeconds.toFixed(3)) })),
    seconds: Number(r.seconds.toFixed(3)),
    cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
    ...(c
      ? { counterexample: { inputs: c.inputs.map(port), output: c.output, expected: port(c.expected), got: port(c.got), text: c.text } }
      : {}),
  };
}

function prove(unit: 'pe' | 'requant', o: UnitProveOptions): Promise<UnitProofResult> {
  const opts = { timeoutSeconds: o.timeout };
  const rtl = o.rtl !== undefined ? { file: o.rtl, top: o.top } : undefined;
  if (unit === 'pe') {
    if (o.out !== undefined || o.accBits !== undefined)
      throw new UserError('prove pe: --out and --acc-bits apply to requant; the PE takes --weight, --input, --acc');
    const f = {
      weight: parseFormat(need(o.weight, '--weight <format>')),
      input: parseFormat(need(o.input, '--input <format>')),
      acc: parseFormat(need(o.acc, '--acc <format>')),
    };
    return rtl ? provePeRtl(rtl, f, opts) : provePe(f, opts);
  }
  if (o.weight !== undefined || o.input !== undefined)
    throw new UserError('prove requant: --weight and --input apply to pe; requant takes --acc and --out');
  const s = requantSpecOf({ ...o, style: 'behavioral', tech: 'nangate45', output: '.' });
  return rtl ? proveRequantRtl(rtl, s, opts) : proveRequant(s, opts);
}

/** Runs the proof, prints one line per stage (or JSON); exit 1 (VerificationFailure) with the counterexample. */
export async function runUnitProof(unit: 'pe' | 'requant', o: UnitProveOptions): Promise<void> {
  const r = await prove(unit, o);
  const head = `${r.unit} (${o.rtl ?? 'helu-sim circuit'})`;
  const time = `${r.seconds.toFixed(2)} s; ${r.cpuSeconds.toFixed(2)} s CPU`;
  if (o.json) printJson(jsonDoc(r, o));
  else {
    process.stdout.write(`${head}: ${r.proven ? 'proven' : 'refuted'} (${r.method}, ${time})\n`);
    for (const s of r.stages)
      process.stdout.write(`  ${s.method}${s.vectors > 0 ? ` of ${s.vectors} inputs` : ''}, ${s.cpuSeconds.toFixed(2)} s CPU: ${s.what}\n`);
    if (r.counterexample) process.stdout.write(`  counterexample ${r.counterexample.text}\n`);
  }
  if (!r.proven) throw new VerificationFailure(`counterexample ${r.counterexample!.text}`);
}
