import type { Command } from 'commander';
import { register as fixed } from './fixed.js';
import { register as activation } from './activation.js';
import { register as verilog } from './verilog.js';
import { register as train } from './train.js';
import { register as evaluate } from './eval.js';
import { register as run } from './run.js';
import { register as quantize } from './quantize.js';
import { register as verify } from './verify.js';
import { register as cost } from './cost.js';
import { register as demo } from './demo.js';
import { register as merge } from './merge.js';
import { register as prove } from './prove.js';

/** Every command of the program, one file each. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  demo, fixed, activation, verilog, prove, train, evaluate, run, quantize, verify, merge, cost,
];
