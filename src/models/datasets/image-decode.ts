import { lazyRequire } from '../../lazy.js';

const pngjs = lazyRequire<typeof import('pngjs')>('pngjs');
const jpegJs = lazyRequire<typeof import('jpeg-js')>('jpeg-js');
import { UserError } from '../../errors.js';
import { checkTensorSize, maxTensorBytesLimit } from '../../limits.js';

/** A decoded image: width x height pixels, RGBA bytes row-major. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const isPng = (b: Uint8Array) => b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * Decodes a PNG (pngjs: every bit depth, palette, interlace; 16-bit samples
 * scaled to 8) or a baseline/progressive JPEG (jpeg-js) to RGBA bytes. The
 * pixel count (PNG: from its IHDR; JPEG: jpeg-js's resolution and memory
 * limits) is checked against the tensor ceiling before decoding.
 */
export function decodeImage(bytes: Uint8Array, what: string): Rgba {
  if (isPng(bytes)) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkTensorSize(`${what} (${dv.getUint32(16)}x${dv.getUint32(20)} pixels)`, dv.getUint32(16) * dv.getUint32(20) * 4);
    try {
      const png = pngjs().PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (e) {
      throw new UserError(`${what} is not a readable PNG image (${(e as Error).message})`);
    }
  }
  if (isJpeg(bytes)) {
    const mb = maxTensorBytesLimit() / 2 ** 20;
    try {
      const img = jpegJs().decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: mb, maxResolutionInMP: mb / 32 });
      return { width: img.width, height: img.height, data: img.data };
    } catch (e) {
      throw new UserError(`${what} is not a readable JPEG image (${(e as Error).message})`);
    }
  }
  throw new UserError(`${what} is not a PNG or JPEG image`);
}
