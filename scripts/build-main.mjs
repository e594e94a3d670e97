// Bundles what Electron runs: its main process (CommonJS) and the local server + face worker (ESM),
// with node_modules left external; copies the SQL migrations beside the server bundle.
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
await build({
  ...common,
  entryPoints: { main: 'server/main.ts', 'face-worker': 'server/face/worker.ts' },
  outdir: 'dist/server',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  banner: {
    js: "import { createRequire as __cfdCreateRequire } from 'node:module'; const require = __cfdCreateRequire(import.meta.url);",
  },
});
fs.cpSync('server/db/migrations', 'dist/server/migrations', { recursive: true });
console.log('built dist/electron/main.cjs, dist/server/main.mjs, dist/server/face-worker.mjs');
