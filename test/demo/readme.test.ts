/*
 * The README: its set-up commands, the link to the committed demo report, a
 * section for every command the program registers, and its Library API
 * example identical to bench/library-api.ts (which tsc compiles, so the
 * example is type-checked).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgramForDocs } from './program.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('keeps the two set-up commands and the data attribution', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(readme).toMatch(/^## Data$/m);
    expect(readme).toContain('data/digits');
  });

  it('links the committed demo report, and every relative link resolves', () => {
    expect(readme).toContain('](reports/demo/report.md)');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(3);
    for (const l of links) expect(existsSync(join(root, l)), l).toBe(true);
  });

  it('documents every command with an example and its output', async () => {
    const names = await buildProgramForDocs();
    expect(names.sort()).toEqual([
      'activation',
      'cost',
      'demo',
      'eval',
      'fixed',
      'merge',
      'prove',
      'quantize',
      'run',
      'study',
      'train',
      'verify',
      'verilog',
    ]);
    for (const n of names) {
      expect(readme, n).toMatch(new RegExp(`^### \`helu-sim ${n}\`$`, 'm'));
      if (n !== 'demo') expect(readme, n).toMatch(new RegExp(`^\\$ helu-sim ${n} .+\\n[^$]`, 'm'));
    }
  });

  it("the Library API example is bench/library-api.ts's, importing from 'helu-sim'", () => {
    const block = /^## Library API$[\s\S]*?^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
    expect(block).toBeDefined();
    const bench = readFileSync(join(root, 'bench', 'library-api.ts'), 'utf8');
    const body = /^\/\/ README:begin\n([\s\S]*?)^\/\/ README:end$/m.exec(bench)?.[1];
    expect(body).toBeDefined();
    const asReadme = body!
      .replace("from '../src/index.js'", "from 'helu-sim'")
      .replace('loadOnnx(modelPath)', "loadOnnx('reports/demo/helu.onnx')");
    expect(block).toBe(asReadme);
  });
});
