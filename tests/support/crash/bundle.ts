/**
 * Bundles a server entry with esbuild for the crash suites, as scripts/build-main.mjs bundles the clinic
 * server for Electron (ESM, node_modules external, the SQL migrations copied beside the bundle), so each
 * restart after a SIGKILL is a plain `node main.mjs` that listens within about a second instead of a tsx
 * start that compiles the whole server again (≈ 8–11 s on the 2-core CI machine). The bundle goes to
 * `dist/crash-<random>/` (two folders below the repository root, where `server/clinic/paths.ts` and the
 * central's relative paths expect their module) and `remove` deletes it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT_DIR } from '../../../server/clinic/paths.ts';

/** A bundled server entry. */
export interface ServerBundle {
  /** Absolute path of the bundled `main.mjs`. */
  entry: string;
  /** Deletes the bundle's folder. */
  remove(): void;
}

/**
 * Bundles `entry` (relative to the repository root, e.g. 'server/clinic/main.ts') and copies
 * `migrationsDir` (relative, e.g. 'server/clinic/db/migrations') to `<bundle folder>/migrations`.
 * @param options.folder the bundle's folder under dist/ (default `crash-<8 hex>`); an existing one is
 *   replaced
 * @param options.extraEntries more entries beside `main`, output name → source (e.g. the clinic's
 *   `face-worker`, which the face engine starts from beside its main as scripts/build-main.mjs builds it)
 * @throws Error when esbuild fails
 */
export async function bundleServer(
  entry: string,
  migrationsDir: string,
  options: { folder?: string; extraEntries?: Record<string, string> } = {},
): Promise<ServerBundle> {
  const outdir = path.join(ROOT_DIR, 'dist', options.folder ?? `crash-${randomBytes(4).toString('hex')}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    entryPoints: { main: entry, ...options.extraEntries },
    outdir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    banner: {
      js: "import { createRequire as __cfdCreateRequire } from 'node:module'; const require = __cfdCreateRequire(import.meta.url);",
    },
  });
  fs.cpSync(path.join(ROOT_DIR, migrationsDir), path.join(outdir, 'migrations'), { recursive: true });
  return {
    entry: path.join(outdir, 'main.mjs'),
    remove: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}
