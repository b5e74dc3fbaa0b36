import { describe, expect, it } from 'vitest';
import { exactGemmPath } from '../../../../src/sim/engine/wasm/index.js';

describe('exactGemmPath: the kernel a worst-case bound and operand ranges allow', () => {
  it('switches at 2^31 - 1, 2^53 and the int16 / int32 operand ranges', () => {
    const u8: [number, number] = [0, 255],
      s8: [number, number] = [-128, 127];
    expect(exactGemmPath(2 ** 31 - 1, u8, s8)).toBe('i16');
    expect(exactGemmPath(-(2 ** 31 - 1), u8, s8)).toBe('i16');
    expect(exactGemmPath(2 ** 31, u8, s8)).toBe('wide');
    expect(exactGemmPath(2 ** 53, u8, s8)).toBe('wide');
    expect(exactGemmPath(2n ** 53n + 1n, u8, s8)).toBe('none');
    expect(exactGemmPath(1000, [-32768, 32767], [0, 1])).toBe('i16');
    expect(exactGemmPath(1000, [-32769, 0], [0, 1])).toBe('wide');
    expect(exactGemmPath(1000, [0, 65535], [0, 1])).toBe('wide');
    expect(exactGemmPath(1000, [0, 2 ** 31], [0, 1])).toBe('none');
  });
});
