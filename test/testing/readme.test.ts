// The README's property-test example runs as written, importing 'helu-sim' and 'helu-sim/testing' from the built package.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it("the README's helu-sim/testing example passes and prints its line", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /^### Property tests of your own designs \(`helu-sim\/testing`\)$[\s\S]*?^```ts\n([\s\S]*?)^```$/m.exec(readme)?.[1];
  expect(block).toBeDefined();
  // the block's only TypeScript (a parameter type, 'as const', non-null assertions) is stripped for node
  const js = block!
    .replace(/\(code: number\)/g, '(code)')
    .replace(/ as const/g, '')
    .replace(/([\w\])])!(?=[.[),;\s])/g, '$1');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', js], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("bit-exact: engine == reference, and my ReLU == helu-sim's\n");
});
