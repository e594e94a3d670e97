// Bundles what Electron runs: its main process (CommonJS), the windows' sandboxed preload (CommonJS,
// everything but `electron` bundled in), and the local server + face worker (ESM), with node_modules left
// external; copies the SQL migrations beside the server bundle.
import { build } from 'esbuild';
import fs from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['electron/main/index.ts'],
  outfile: 'dist/electron/main.cjs',
  format: 'cjs',
  external: ['electron'],
});
// A sandboxed preload may require nothing but 'electron' (and a few built-ins): bundle everything else.
await build({
  bundle: true,
  platform: 'browser',
  target: 'chrome130',
  sourcemap: true,
  logLevel: 'warning',
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});
await build({
  ...common,
  entryPoints: { main: 'server/clinic/main.ts', 'face-worker': 'server/clinic/face/worker.ts' },
  outdir: 'dist/clinic',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  banner: {
    js: "import { createRequire as __cfdCreateRequire } from 'node:module'; const require = __cfdCreateRequire(import.meta.url);",
  },
});
fs.cpSync('server/clinic/db/migrations', 'dist/clinic/migrations', { recursive: true });
console.log(
  'built dist/electron/main.cjs, dist/electron/preload.cjs, dist/clinic/main.mjs, dist/clinic/face-worker.mjs',
);
