// The names of the commands the program registers (every command file loaded), without running main.
import { buildProgram } from '../../src/cli/program.js';

export async function buildProgramForDocs(): Promise<string[]> {
  return (await buildProgram()).commands.map((c) => c.name());
}
