import type { Command } from 'commander';
import { checkShards, readPartial } from '../sim/parallel/partial.js';
import type { BatchTally, VerifyOptions } from '../sim/verify/verify.js';
import { reduceVerify } from '../sim/verify/verify.js';
import { printEval } from './eval.js';
import { printRun } from './run.js';
import { printVerify } from './verify.js';

interface Options {
  json: boolean;
}

const HELP = `
Combines the partial results written by verify, eval or run with --shard k/n
(one file per shard, any order) into exactly what a single run prints. The
shards must come from one run: same command, model file, data and options,
shards 1..n each once. verify: exit code 1 when the merged report has a
mismatch, as verify itself.

Example:
  for k in 1 2 3 4; do helu-sim verify model.q.json --dataset digits --shard $k/4 --partial part-$k.json; done
  helu-sim merge part-*.json --json`;

/** `labelled` absent (older partial results) means labelled. */
interface VerifyResult {
  tensors: { layer: string; name: string }[];
  mode: VerifyOptions['mode'];
  hasFloat: boolean;
  batches: BatchTally[];
  labelled?: boolean;
}

function merge(files: string[], o: Options): void {
  const parts = checkShards(files.map((path) => ({ path, p: readPartial(path) })));
  const first = parts[0]!;
  const total = first.samples.total;
  switch (first.command) {
    case 'verify': {
      const r = first.result as VerifyResult;
      const batches = parts.flatMap((p) => (p.result as VerifyResult).batches);
      return printVerify(
        reduceVerify(r.tensors, { count: total, labelled: r.labelled !== false }, batches, { mode: r.mode, hasFloat: r.hasFloat }),
        o.json,
      );
    }
    case 'eval': {
      const correct = parts.reduce((a, p) => a + (p.result as { correct: number }).correct, 0);
      const k = first.key as { path: string; split: string; dataset: string; format: string };
      return printEval(
        k.path,
        { accuracy: total ? correct / total : 0, samples: total, correct, split: k.split, dataset: k.dataset, format: k.format },
        o.json,
      );
    }
    case 'run': {
      const rows = parts.map((p) => p.result as Record<string, number[][]>);
      const out = Object.fromEntries(Object.keys(rows[0]!).map((key) => [key, rows.flatMap((r) => r[key]!)]));
      return printRun(out, o.json);
    }
  }
}

export function register(program: Command): void {
  program
    .command('merge')
    .description('combine the partial results of a sharded verify, eval or run into the single-run result')
    .argument('<partials...>', 'partial result files written with --shard k/n')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((files: string[], o: Options) => merge(files, o));
}
