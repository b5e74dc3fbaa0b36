import type { Command } from 'commander';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('verify')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('verify: not available yet');
    });
}
