// The ONNX project's backend node tests through helu-sim's ONNX import and float32 engine
// (onnx-backend-float-run.ts states how a case is run and judged). The expected outputs are
// those ONNX's own reference implementation computed; nothing here comes from helu-sim.
import { beforeAll, describe, expect, it } from 'vitest';
import { backendNodeCases } from './onnx-backend/cases.js';
import { runCase, type Outcome } from './onnx-backend-float-run.js';

/** Cases passing today (README, "ONNX backend node tests"); fewer is a regression. */
const PASS_FLOOR = 214;

const results: { name: string; outcome: Outcome }[] = [];

beforeAll(() => {
  for (const c of backendNodeCases()) results.push({ name: c.name, outcome: runCase(c) });
  const counts = new Map<string, number>();
  for (const { outcome: o } of results) {
    const key = o.kind === 'refused' ? `out of scope: ${o.reason}` : o.kind;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(
    `ONNX backend node tests (${results.length} cases):\n${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `  ${v}\t${k}`)
      .join('\n')}`,
  );
}, 120_000);

describe('ONNX backend node tests, float', () => {
  it('no case computes a wrong value', () => {
    const wrong = results.filter((r) => r.outcome.kind === 'wrong').map((r) => `${r.name}: ${(r.outcome as { detail: string }).detail}`);
    expect(wrong).toEqual([]);
  });

  it('no case crashes (every refusal is a UserError)', () => {
    const crashed = results.filter((r) => r.outcome.kind === 'crash').map((r) => `${r.name}: ${(r.outcome as { detail: string }).detail}`);
    expect(crashed).toEqual([]);
  });

  it('every out-of-scope case has a listed reason', () => {
    const unexplained = results.flatMap((r) =>
      r.outcome.kind === 'refused' && r.outcome.reason.startsWith('other') ? [`${r.name}: ${r.outcome.message}`] : [],
    );
    expect(unexplained).toEqual([]);
  });

  it(`at least ${PASS_FLOOR} cases pass within rtol 1e-3, atol 1e-7`, () => {
    expect(results.filter((r) => r.outcome.kind === 'pass').length).toBeGreaterThanOrEqual(PASS_FLOOR);
  });

  it('the cases of the ops real CNN exports contain pass', () => {
    const must = [
      'test_conv_with_strides_padding',
      'test_maxpool_2d_ceil',
      'test_maxpool_2d_dilations',
      'test_averagepool_2d_pads_count_include_pad',
      'test_averagepool_2d_ceil',
      'test_averagepool_1d_default',
      'test_maxpool_1d_default',
      'test_flatten_axis2',
      'test_logsoftmax_axis_1',
      'test_prelu_broadcast',
      'test_resize_upsample_scales_nearest',
      'test_upsample_nearest',
      'test_split_equal_parts_2d',
      'test_gather_1',
      'test_reduce_mean_keepdims_random',
      'test_constant_pad',
      'test_clip_default_min',
      'test_batchnorm_example',
      'test_matmul_4d',
      'test_erf',
    ];
    const failing = must.filter((n) => results.find((r) => r.name === n)?.outcome.kind !== 'pass');
    expect(failing).toEqual([]);
  });
});
