/**
 * What a proof of a multi-port unit (the processing element, the
 * requantization units) reports: its stages, each proven by one method, and
 * a counterexample checked on both sides.
 */

/** 'exhaustive': every input enumerated; 'sat': Yosys miter + sat; 'decomposition': a front enumerated, the rest by SAT. */
export type UnitProofMethod = 'exhaustive' | 'sat' | 'decomposition';

export interface ProofStage {
  /** What the stage proves, e.g. 'multiplier: the frontier carries w*x rounded to the accumulator LSB'. */
  readonly what: string;
  readonly method: 'exhaustive' | 'sat';
  /** Inputs simulated (exhaustive; 0 for sat). */
  readonly vectors: number;
  readonly cpuSeconds: number;
}

/** One input port's value in a counterexample: code and exact real. */
export interface PortValue {
  readonly name: string;
  readonly raw: bigint;
  readonly code: bigint;
  readonly real: string;
}

export interface UnitCounterexample {
  readonly inputs: readonly PortValue[];
  /** The output port that differs, the model's code and the unit's. */
  readonly output: string;
  readonly expected: PortValue;
  readonly got: PortValue;
  /** `w = <code> (<real>), x = ..., acc = ...: expected y = <code> (<real>), got <code> (<real>)` */
  readonly text: string;
}

export interface UnitProofResult {
  /** e.g. 'pe fixed<8,8> x fixed<8,8> + fixed<32,32,TRN,WRAP>'. */
  readonly unit: string;
  readonly proven: boolean;
  readonly method: UnitProofMethod;
  readonly detail: string;
  readonly stages: readonly ProofStage[];
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly counterexample?: UnitCounterexample;
}
