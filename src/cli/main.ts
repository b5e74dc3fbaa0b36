#!/usr/bin/env node
import { handleError } from './common.js';
import { buildProgram, commandOf } from './program.js';

async function main(argv: string[]): Promise<void> {
  // A reader that closes the pipe early (`helu-sim ... | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    const program = await buildProgram(commandOf(argv.slice(2)));
    await program.parseAsync(argv);
  } catch (e) {
    handleError(e, argv.includes('--debug'));
  }
}

await main(process.argv);
