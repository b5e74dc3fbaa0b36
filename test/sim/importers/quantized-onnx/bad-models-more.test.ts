import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { expectOneLineUserError } from '../../../helpers/user-error.js';
import { OnnxBuilder, type ValueInfo } from './build.js';

/*
 * More malformed quantized models (bad-models.test.ts has the first set):
 * weights' parameters, and the command line's answer to a bad file — one
 * line on stderr naming node and problem, exit code 2, nothing on stdout.
 */

const X: ValueInfo = { name: 'x', type: 'float', shape: [1, 4] };
const Y: ValueInfo = { name: 'y', type: 'uint8', shape: [1, 4] };

/** x -> Q -> QLinearMatMul(W int8 [4,4], weight scale and zero point given) -> y. */
function matmul(ws: (b: OnnxBuilder) => string, wz: (b: OnnxBuilder) => string): Uint8Array {
  const b = new OnnxBuilder();
  b.node('QuantizeLinear', ['x', b.scalar('float', 0.1), b.scalar('uint8', 0)], ['xq']);
  b.init('W', 'int8', [4, 4], new Array(16).fill(3));
  b.node(
    'QLinearMatMul',
    ['xq', b.scalar('float', 0.1), b.scalar('uint8', 0), 'W', ws(b), wz(b), b.scalar('float', 0.2), b.scalar('uint8', 0)],
    ['y'],
  );
  return b.build(X, Y);
}

const run = (bytes: Uint8Array) => () => importQuantizedOnnx(bytes, 'bad.onnx');

describe('bad quantized models: weights, and the command line', () => {
  it('a weight scale of 0 or negative (one channel of a per-channel scale) names the node', () => {
    for (const s of [0, -0.25]) {
      expectOneLineUserError(
        run(
          matmul(
            (b) => b.init(`ws${s}`, 'float', [4], [0.1, s, 0.1, 0.1]),
            (b) => b.init('wz', 'int8', [4], [0, 0, 0, 0]),
          ),
        ),
        /QLinearMatMul\): weight scale -?[\d.]+ must be a positive finite float32/,
      );
    }
  });

  it('a weight zero point of another type than the weights is refused', () => {
    expectOneLineUserError(
      run(
        matmul(
          (b) => b.scalar('float', 0.1),
          (b) => b.scalar('uint8', 0),
        ),
      ),
      /QLinearMatMul\): weight zero point is uint8 but the weight is int8; the zero point must have the tensor's type/,
    );
  });

  it('a missing weight scale names the node and the input', () => {
    expectOneLineUserError(
      run(
        matmul(
          () => 'nowhere',
          (b) => b.scalar('int8', 0),
        ),
      ),
      /QLinearMatMul\): weight scale 'nowhere' must be a constant/,
    );
  });

  it('the CLI: one line on stderr, exit code 2, nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helu-bad-'));
    try {
      const file = join(dir, 'bad.onnx');
      writeFileSync(
        file,
        matmul(
          (b) => b.scalar('float', 0),
          (b) => b.scalar('int8', 0),
        ),
      );
      writeFileSync(join(dir, 'in.json'), JSON.stringify({ inputs: [[0, 1, 2, 3]] }));
      const r = spawnSync(
        process.execPath,
        [join(import.meta.dirname, '..', '..', '..', '..', 'dist', 'src', 'cli', 'main.js'), 'run', file, '--input', join(dir, 'in.json')],
        { encoding: 'utf8' },
      );
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/QLinearMatMul\): weight scale 0 must be a positive finite float32/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
