/**
 * Checks of the packaging configuration (electron-builder.yml) without running electron-builder, which
 * downloads Electron and its tools: build the bundles into a scratch copy of the repository, then check
 * every path the configuration names, lay out the `resources` folder its extraResources describe, and
 * start the bundled local server under plain Node. Used by scripts/packaging.test.ts (CI, face engine
 * off) and scripts/packaging-smoke.ts (`npm run packaging:smoke`, face engine on from the staged
 * resources).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { readyMessage, type ReadyMessage } from '../server/domain/ready.ts';

/** The repository's root folder. */
export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One `extraResources` entry: copy `from` (repository-relative) to `<resources>/<to>`, keeping `filter`. */
export interface ExtraResource {
  from: string;
  to: string;
  filter?: string[];
}

/** The part of electron-builder.yml these checks read (electron-builder's full schema is wider). */
export interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  extraResources: ExtraResource[];
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[]; category: string; icon: string; maintainer: string };
  win: { target: string; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean };
  mac: {
    target: string;
    category: string;
    icon: string;
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    extendInfo: Record<string, string>;
  };
  publish: { provider: string; url: string };
}

/** Parses `<root>/electron-builder.yml`. @throws Error when the file is missing or not YAML */
export function loadBuilderConfig(root: string = REPO_DIR): BuilderConfig {
  return YAML.parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/**
 * A glob as electron-builder's `files` / `filter` / `asarUnpack` patterns use it, as a RegExp over
 * '/'-separated relative paths: `**` any depth (also none), `*` and `?` within one segment. Braces and
 * character classes are not supported (the configuration uses none).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every file below `dir` (following symbolic links), as '/'-separated paths relative to `dir`. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      if (fs.statSync(path.join(dir, child)).isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/** The folder part of a glob before its first wildcard segment: `dist/**` → `dist`, `a.json` → `''`. */
function staticPrefix(glob: string): string {
  const segments = glob.split('/');
  const fixed: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?]/.test(s)) break;
    fixed.push(s);
  }
  return fixed.join('/');
}

/**
 * Files under `root` that a positive glob matches, as root-relative paths (only the glob's static
 * folder is walked, so `dist/**` never walks node_modules).
 */
export function matchGlob(root: string, glob: string): string[] {
  if (!/[*?]/.test(glob)) return fs.existsSync(path.join(root, glob)) ? [glob] : [];
  const prefix = staticPrefix(glob);
  const re = globToRegExp(glob);
  return listFiles(path.join(root, prefix))
    .map((f) => (prefix ? `${prefix}/${f}` : f))
    .filter((f) => re.test(f));
}

/** Files of `<root>/<entry.from>` an extraResources entry copies (relative to `from`). */
export function extraResourceFiles(root: string, entry: ExtraResource): string[] {
  const filters = (entry.filter ?? ['**/*']).map(globToRegExp);
  return listFiles(path.join(root, entry.from)).filter((f) => filters.some((re) => re.test(f)));
}

/**
 * Lays out what electron-builder puts beside app.asar from `extraResources` (`<resources>/<to>/…`).
 * @returns the folder standing for `process.resourcesPath`
 */
export function stageResources(root: string, config: BuilderConfig, resourcesDir: string): string {
  for (const entry of config.extraResources) {
    for (const f of extraResourceFiles(root, entry)) {
      const target = path.join(resourcesDir, entry.to, f);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(root, entry.from, f), target);
    }
  }
  return resourcesDir;
}

/** Names the repository must not mirror into a scratch build (its own output, git, installers). */
const NOT_MIRRORED = new Set(['.git', 'dist', 'release', 'test-results', 'data']);

/**
 * Builds the Electron main, preload and local-server bundles (scripts/build-main.mjs, esbuild) into a
 * scratch folder that mirrors the repository by symbolic links, so the repository's own `dist/` is not
 * touched. @returns the scratch folder (its `dist/` is fresh; everything else links to the repository)
 * @throws Error with the build's output when it fails
 */
export function buildIntoScratch(prefix = 'cfd-pack-'): string {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const name of fs.readdirSync(REPO_DIR)) {
    if (NOT_MIRRORED.has(name)) continue;
    fs.symlinkSync(path.join(REPO_DIR, name), path.join(scratch, name));
  }
  try {
    execFileSync(process.execPath, [path.join(REPO_DIR, 'scripts/build-main.mjs')], {
      cwd: scratch,
      stdio: 'pipe',
    });
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  return scratch;
}

/**
 * Bare package names a bundle loads at run time (`import … from`, `import()`, `require()`,
 * `require.resolve()`), without Node built-ins and relative paths: these must ship in the app's
 * production node_modules.
 */
export function bundleImports(code: string): string[] {
  const names = new Set<string>();
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire(?:\.resolve)?\s*\(\s*)["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) {
    const spec = m[1]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    if (builtinModules.includes(name)) continue;
    names.add(name);
  }
  return [...names].sort();
}

/** A bundled local server started under plain Node, ready: its port, screen URLs and process. */
export interface StartedServer {
  ready: ReadyMessage;
  child: ChildProcess;
  /** Everything the server printed (stdout and stderr), for assertions on its log lines. */
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Forks `entry` (the bundled `dist/clinic/main.mjs`) with `process.execPath` (plain Node) and `env` added
 * to this process's environment, and waits for its `ready` message (server/domain/ready.ts).
 * @throws Error with the server's output when it exits or sends no ready message within `timeoutMs`
 */
export function startBundledServer(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StartedServer> {
  const child = fork(entry, [], {
    execPath: process.execPath,
    execArgv: [],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no ready message within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before ready:\n${output}`));
    };
    child.once('exit', onExit);
    child.once('message', (msg) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ ready: readyMessage.parse(msg), child, output: () => output, stop });
    });
  });
}

/** GET `/api/health` as the display screen (its launch credential from the ready URL). */
export async function getHealth(ready: ReadyMessage): Promise<{ status: number; body: unknown }> {
  const credential = new URL(ready.urls.display).searchParams.get('token') ?? '';
  const res = await fetch(`http://127.0.0.1:${ready.port}/api/health`, {
    headers: { cookie: `cfd_display=${credential}`, 'x-cfd-screen': 'display' },
  });
  return { status: res.status, body: await res.json() };
}
