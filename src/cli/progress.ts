import { SingleBar, Presets } from 'cli-progress';

/** Progress callback that library functions accept: `done` of `total` units, with a short status text. */
export type ProgressFn = (done: number, total: number, status?: string) => void;

/**
 * A terminal progress bar for long work. Silent (a no-op) when stderr is not a
 * terminal or when the command prints JSON, so piped and --json output stay clean.
 */
export function progressBar(label: string, quiet: boolean): { update: ProgressFn; stop: () => void } {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {status}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, status = '') {
      if (!started) {
        bar.start(total, done, { status });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { status });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * Progress of work in named phases (the demo's and the study's): one bar per
 * phase, labelled with the phase padded to `pad` characters; `log` stops the
 * bar before printing a line (nothing is printed with --json).
 */
export function phasedProgress<P extends string>(
  pad: number,
  json: boolean,
): {
  onProgress: (phase: P, done: number, total: number, status?: string) => void;
  log: (text: string) => void;
  stop: () => void;
} {
  let phase: P | undefined;
  let bar = progressBar('', true);
  return {
    onProgress(p, done, total, status) {
      if (p !== phase) {
        bar.stop();
        phase = p;
        bar = progressBar(p.padEnd(pad), json);
      }
      bar.update(done, total, status);
    },
    log(text) {
      bar.stop();
      phase = undefined;
      if (!json) process.stdout.write(text);
    },
    stop: () => bar.stop(),
  };
}
