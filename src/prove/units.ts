import {
  describeActivation,
  getActivation,
  type ActivationReport,
  type ActivationSpec,
  type DescribeOptions,
  type UnitVerification,
} from '../activations/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { checkWritableDir, writeFilesAtomic } from '../io/atomic.js';
import { exportActivation, validateExportOptions, type VerilogExport, type VerilogExportOptions } from '../verilog/index.js';
import { proveActivation } from './prove.js';
import type { ProofResult, ProveOptions } from './types.js';

/** A proof as the verification record of unit reports (activation JSON, Verilog summary). */
export function proofVerification(r: ProofResult): UnitVerification {
  return {
    method: r.method,
    proven: r.proven,
    vectors: r.vectors,
    mismatches: r.proven ? 0 : 1,
    seconds: Number(r.seconds.toFixed(3)),
    ...(r.counterexample ? { counterexample: r.counterexample.text } : {}),
  };
}

/**
 * The `helu-sim activation` report of each activation, its circuit proven
 * equal to the model for every input (exhaustive or SAT, see proveNetlist)
 * before it is costed. A refuted circuit is reported with its counterexample.
 */
export async function describeProvenActivations(
  specs: readonly (ActivationSpec | string)[],
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: DescribeOptions & ProveOptions & { onProgress?: (done: number, total: number, name: string) => void } = {},
): Promise<ActivationReport[]> {
  const reports: ActivationReport[] = [];
  for (const [i, s] of specs.entries()) {
    const def = getActivation(s);
    opts.onProgress?.(i, specs.length, def.name);
    const proof = await proveActivation(def.spec, inFmt, outFmt, opts);
    reports.push(describeActivation(def.spec, inFmt, proof.output, { ...opts, verification: proofVerification(proof) }));
  }
  return reports;
}

/**
 * writeActivationExport with the circuit proven first: the proof's record
 * goes into `<module>.json`, and a refuted circuit writes nothing
 * (VerificationFailure naming the counterexample).
 */
export async function writeProvenActivationExport(
  dir: string,
  o: VerilogExportOptions & ProveOptions,
): Promise<VerilogExport & { paths: string[] }> {
  checkWritableDir(dir);
  validateExportOptions({ ...o, proofToCome: true });
  const proof = await proveActivation(o.activation, o.in, o.out, o);
  const exp = exportActivation({ ...o, out: proof.output, verification: proofVerification(proof) });
  return { ...exp, paths: writeFilesAtomic(dir, exp.files) };
}
