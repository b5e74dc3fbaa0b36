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
  const clock = startClock();
  const stages: ProofStage[] = [];
  const done = (cx?: UnitCounterexample, detail = defaultDetail): UnitProofResult => ({
    unit,
    proven: cx === undefined,
    method: 'decomposition',
    detail,
    stages,
    seconds: (performance.now() - clock.t0) / 1000,
    cpuSeconds: cpuNow() - clock.c0,
    ...(cx ? { counterexample: cx } : {}),
  });
  return { stages, done };
}

/** Wall and CPU clocks started together. */
export interface ProofClock {
  readonly t0: number;
  readonly c0: number;
}

export function startClock(): ProofClock {
  return { t0: performance.now(), c0: cpuNow() };
}

/** The result of a unit proven by one SAT call (one stage, `what`): proven when there is no counterexample. */
export function satProofResult(unit: string, detail: string, what: string, clock: ProofClock, cx?: UnitCounterexample): UnitProofResult {
  const cpu = cpuNow() - clock.c0;
  return {
    unit,
    proven: cx === undefined,
    method: 'sat',
    detail,
    stages: [{ what, method: 'sat', vectors: 0, cpuSeconds: cpu }],
    seconds: (performance.now() - clock.t0) / 1000,
    cpuSeconds: cpu,
    ...(cx ? { counterexample: cx } : {}),
  };
}
