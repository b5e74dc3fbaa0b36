import type { Command } from 'commander';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('run: not available yet');
    });
}
