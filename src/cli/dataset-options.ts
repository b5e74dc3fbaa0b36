import type { Command } from 'commander';
import { parsePreprocess, readPreprocessFile, type DatasetOptions, type PreprocessInput } from '../models/datasets/index.js';
import { positiveInt } from './common.js';

interface Flags {
  limit?: number;
  preprocess?: string;
  resize?: string;
  crop?: string;
  scale?: string;
  mean?: string;
  std?: string;
  channels?: string;
  layout?: string;
}

/** Adds the options every command reading a data set shares: --limit and the image preprocessing. */
export function withDatasetOptions(cmd: Command): Command {
  return cmd
    .option('--limit <n>', 'use at most the first n samples of each split', positiveInt('--limit'))
    .option(
      '--preprocess <file>',
      'image folders: preprocessing as YAML/JSON {resize, crop, scale, mean, std, channels, layout}; flags below override it',
    )
    .option('--resize <n|h,w>', 'image folders: shorter side to n (or exactly h,w), bilinear')
    .option('--crop <n|h,w>', 'image folders: centre crop')
    .option('--scale <x>', 'image folders: multiply pixel bytes by x (default 1/255)')
    .option('--mean <m,...>', 'image folders: per-channel mean subtracted after scaling')
    .option('--std <s,...>', 'image folders: per-channel standard deviation divided by')
    .option('--channels <order>', 'image folders: rgb (default), bgr or gray')
    .option('--layout <layout>', 'image folders: chw (default, PyTorch) or hwc (Keras)');
}

/** The data set options of parsed command-line flags (see withDatasetOptions). */
export function datasetOptions(parsed: object): DatasetOptions {
  const o = parsed as Flags;
  const file: PreprocessInput = o.preprocess !== undefined ? readPreprocessFile(o.preprocess) : {};
  const flags: PreprocessInput = {
    resize: o.resize,
    crop: o.crop,
    scale: o.scale,
    mean: o.mean,
    std: o.std,
    channels: o.channels,
    layout: o.layout,
  };
  return { limit: o.limit, preprocess: parsePreprocess(file, flags) };
}
