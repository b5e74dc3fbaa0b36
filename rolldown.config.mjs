// The package's library entry points as one ESM build with shared chunks (dist/pkg/): importing helu-sim
// reads a few files instead of some 280 modules, so the root loads in tens of milliseconds. Built from tsc's
// output (dist/src); dependencies stay external and load when used. The CLI runs from dist/src unbundled.
import { defineConfig } from 'rolldown';

const AREAS = ['fixedpoint', 'netlist', 'activations', 'models', 'sim', 'hardware', 'verilog'];

export default defineConfig({
  input: {
    index: 'dist/src/index.js',
    testing: 'dist/src/testing/index.js',
    ...Object.fromEntries(AREAS.map((a) => [a, `dist/src/api/${a}.js`])),
  },
  platform: 'node',
  // bare specifiers (npm packages) and node: builtins are not bundled
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
  output: { dir: 'dist/pkg', format: 'esm', chunkFileNames: '[name]-[hash].js', sourcemap: true },
});
