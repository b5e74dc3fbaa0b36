#!/usr/bin/env node
import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { handleError, positiveInt, usageErrorLine } from './common.js';
import { setMaxTensorBytes } from '../limits.js';

/** Builds the commander program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('helu-sim')
    .description('Hardware-oriented quantized inference simulator: integer fixed-point networks whose activations are gate-level circuits, proven bit-exact against float inference.')
    .option('--debug', 'show stack traces of errors', false)
    .option('--max-tensor-mb <n>', 'memory ceiling of one tensor in MB (constants and one sample of each activation); default 1024', positiveInt('--max-tensor-mb'))
    .hook('preAction', (cmd) => {
      const mb = cmd.opts<{ maxTensorMb?: number }>().maxTensorMb;
      if (mb !== undefined) setMaxTensorBytes(mb * 2 ** 20);
    })
    .configureOutput({ outputError: (text, write) => write(usageErrorLine(text)) })
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  // A reader that closes the pipe early (`helu-sim ... | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    handleError(e, argv.includes('--debug'));
  }
}

await main(process.argv);
