/**
 * What a proof reports. 'exhaustive' and 'sat' are proofs over every input;
 * a unit is reported proven only by one of them.
 */
export type ProofMethod = 'exhaustive' | 'sat';

/** An input on which the implementation and the model differ, both sides evaluated by helu-sim. */
export interface Counterexample {
  /** Raw input bit pattern and its code (two's complement read for signed formats), as decimal strings for JSON. */
  readonly xRaw: bigint;
  readonly x: bigint;
  /** The model's output code and the implementation's, at x. */
  readonly expected: bigint;
  readonly got: bigint;
  /** `x = <code> (<real>): expected <code> (<real>), got <code> (<real>)` */
  readonly text: string;
}

export interface ProofResult {
  readonly proven: boolean;
  readonly method: ProofMethod;
  /** How the method ran: 'bit-parallel enumeration of 2^16 inputs', 'yosys miter -equiv + sat -prove-asserts'. */
  readonly detail: string;
  /** Inputs simulated (enumeration; 0 for sat). */
  readonly vectors: number;
  /** Wall-clock and CPU seconds of the proof (CPU: this process, all threads). */
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** Set when not proven. */
  readonly counterexample?: Counterexample;
}

/** 'auto' picks enumeration when its estimated time is small (see chooseMethod in prove.ts), else SAT. */
export type MethodChoice = 'auto' | ProofMethod;

export interface ProveOptions {
  readonly method?: MethodChoice;
  /** Seconds per SAT call before giving up (default: no limit). */
  readonly timeoutSeconds?: number;
}
