import type { Command } from 'commander';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('fixed')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('fixed: not available yet');
    });
}
