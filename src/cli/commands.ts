import type { Command } from 'commander';

/** A command's file: it adds the command (options, help, action) to the program. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every command of the program, one file each, in help order. A file is
 * loaded only when its command runs (or when help lists them all), so a
 * quick command does not pay for the others' dependencies.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  demo: () => import('./demo.js'),
  fixed: () => import('./fixed.js'),
  activation: () => import('./activation.js'),
  verilog: () => import('./verilog.js'),
  prove: () => import('./prove.js'),
  train: () => import('./train.js'),
  eval: () => import('./eval.js'),
  run: () => import('./run.js'),
  quantize: () => import('./quantize.js'),
  verify: () => import('./verify.js'),
  merge: () => import('./merge.js'),
  cost: () => import('./cost.js'),
  study: () => import('./study.js'),
};
