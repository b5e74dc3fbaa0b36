import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { COMMANDS } from './commands.js';
import { positiveInt, usageErrorLine } from './common.js';
import { setMaxTensorBytes } from '../limits.js';

/** The package's version, from its package.json (two levels up from src/cli, three from dist/src/cli). */
export function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const p = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (p.name === 'helu-sim' && typeof p.version === 'string') return p.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}

/**
 * The command a command line runs: the first word after the global options
 * (--debug, --max-tensor-mb N); null for --version without a command (no
 * command module is needed); undefined otherwise (help, no command).
 */
export function commandOf(args: readonly string[]): string | null | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--max-tensor-mb') i++;
    else if (!a.startsWith('-')) return a;
  }
  return args.includes('--version') || args.includes('-V') ? null : undefined;
}

/**
 * Builds the commander program. With `only` naming a command, only that
 * command's file is loaded and registered; with null, none (--version);
 * otherwise (help, an unknown command) every command is, so help lists them all.
 */
export async function buildProgram(only?: string | null): Promise<Command> {
  const program = new Command('helu-sim')
    .description(
      'Hardware-oriented quantized inference simulator: integer fixed-point networks whose activations are gate-level circuits, proven bit-exact against float inference.',
    )
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--debug', 'show stack traces of errors', false)
    .option(
      '--max-tensor-mb <n>',
      'memory ceiling of one tensor in MB (constants and one sample of each activation); default 1024',
      positiveInt('--max-tensor-mb'),
    )
    .hook('preAction', (cmd) => {
      const mb = cmd.opts<{ maxTensorMb?: number }>().maxTensorMb;
      if (mb !== undefined) setMaxTensorBytes(mb * 2 ** 20);
    })
    .configureOutput({ outputError: (text, write) => write(usageErrorLine(text)) })
    .exitOverride();
  const names = only === null ? [] : only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const m of await Promise.all(names.map((n) => COMMANDS[n]!()))) m.register(program);
  return program;
}
