// Preload (node --import bench/load-probe.mjs ...): at exit, appends to the file named by HELU_PROBE one JSON line
// {"cpuMs": user+system CPU of the whole process, "modules": every module required (CommonJS) and, with
// HELU_PROBE_MODULES=1, every module resolved (ESM; the resolve hook runs on its own thread, which costs CPU, so
// timing runs leave it off)}.
// Used by bench/library-api.ts (startup figures) and test/cli/startup.test.ts (what a command loads).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const out = process.env.HELU_PROBE;
const resolved = [];
if (out) {
  if (process.env.HELU_PROBE_MODULES === '1') {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (url) => resolved.push(url));
    port1.unref();
    register('./load-probe-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
  }
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const u = process.cpuUsage();
    const modules = [...resolved, ...Object.keys(require.cache)];
    appendFileSync(out, JSON.stringify({ cpuMs: (u.user + u.system) / 1000, modules }) + '\n');
  });
}
