import type { Command } from 'commander';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  program
    .command('train')
    .description('(not available yet)')
    .allowUnknownOption()
    .action(() => {
      throw new UserError('train: not available yet');
    });
}
