import type { ProofStage, UnitCounterexample, UnitProofResult } from './unit-types.js';

/** CPU seconds (user + system) this process has used so far. */
export function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/**
 * The stage list and the result builder of one decomposed unit proof: the
 * clocks start when this is called; `done(cx?)` reports proven when there is
 * no counterexample, with wall and CPU seconds since the start.
 */
export function decomposedProof(
  unit: string,
  defaultDetail: string,
): { stages: ProofStage[]; done: (cx?: UnitCounterexample, detail?: string) => UnitProofResult } {
  const t0 = performance.now(),
    c0 = cpuNow();
  const stages: ProofStage[] = [];
  const done = (cx?: UnitCounterexample, detail = defaultDetail): UnitProofResult => ({
    unit,
    proven: cx === undefined,
    method: 'decomposition',
    detail,
    stages,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: cpuNow() - c0,
    ...(cx ? { counterexample: cx } : {}),
  });
  return { stages, done };
}
