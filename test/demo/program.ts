// The names of the commands the program registers (each command file's register function), without running main.
import { Command } from 'commander';
import { COMMANDS } from '../../src/cli/commands.js';

export async function buildProgramForDocs(): Promise<string[]> {
  const program = new Command('helu-sim');
  for (const register of COMMANDS) register(program);
  return program.commands.map((c) => c.name());
}
