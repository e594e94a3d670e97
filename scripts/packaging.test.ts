/**
 * Packaging (electron-builder.yml) without electron-builder's downloads: the configuration passes
 * electron-builder's own schema; after a build of the bundles (scripts/build-main.mjs, into a scratch
 * mirror of the repository) every path the configuration names exists; the bundles load only packages
 * the installer ships (production dependencies); and the bundled local server, the entry Electron
 * forks, runs under plain Node and answers GET /api/health. The renderer pages (dist/renderer, from
 * `vite build`) are served and exercised by the Playwright stage, which builds them.
 * The longer check with the face engine on the staged resources: `npm run packaging:smoke`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildIntoScratch,
  bundleImports,
  extraResourceFiles,
  getHealth,
  globToRegExp,
  loadBuilderConfig,
  matchGlob,
  REPO_DIR,
  startBundledServer,
  type BuilderConfig,
} from './packaging-check.ts';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let config: BuilderConfig;
let scratch: string;
const temps: string[] = [];

beforeAll(() => {
  config = loadBuilderConfig();
  scratch = buildIntoScratch();
  temps.push(scratch);
});
afterAll(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

describe('globToRegExp', () => {
  it('matches electron-builder globs: ** any depth, * within a segment', () => {
    expect(globToRegExp('dist/**').test('dist/clinic/migrations/0010-init.sql')).toBe(true);
    expect(globToRegExp('**/*.node').test('node_modules/a/b.node')).toBe(true);
    expect(globToRegExp('**/*.node').test('b.node')).toBe(true);
    expect(globToRegExp('*.wasm').test('tfjs-backend-wasm.wasm')).toBe(true);
    expect(globToRegExp('*.wasm').test('sub/x.wasm')).toBe(false);
    expect(globToRegExp('*.bin').test('a.bin.map')).toBe(false);
  });
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's configuration schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The check is real: a misspelt key is refused.
    const bad = { ...config, linux: { ...config.linux, categroy: 'Office' } };
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/linux/);
  });

  it('targets AppImage + deb, per-user NSIS, and a hardened dmg with camera access', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true });
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/câmara.*camera/s);
    expect(config.npmRebuild).toBe(true);
    expect(config.publish.provider).toBe('generic');
  });

  it('includes files that exist after a build: each `files` glob matches, and package.json#main is inside', () => {
    const positive = config.files.filter((g) => !g.startsWith('!'));
    for (const glob of positive) expect(matchGlob(scratch, glob), glob).not.toEqual([]);
    const included = (f: string) =>
      positive.some((g) => globToRegExp(g).test(f)) &&
      !config.files.some((g) => g.startsWith('!') && globToRegExp(g.slice(1)).test(f));
    for (const f of [
      pkg.main,
      'dist/electron/preload.cjs',
      'dist/clinic/main.mjs',
      'dist/clinic/face-worker.mjs',
      'dist/clinic/migrations/0010-init.sql',
    ]) {
      expect(fs.existsSync(path.join(scratch, f)), f).toBe(true);
      expect(included(f), f).toBe(true);
    }
    expect(included('dist/clinic/main.mjs.map')).toBe(false);
  });

  it('ships the face models and the tfjs .wasm files as extraResources (models/, wasm/)', () => {
    const byTo = Object.fromEntries(config.extraResources.map((e) => [e.to, e]));
    expect(Object.keys(byTo).sort()).toEqual(['models', 'wasm']);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'models/manifest.json'), 'utf8')) as {
      files: { name: string }[];
    };
    expect(extraResourceFiles(REPO_DIR, byTo.models!).sort()).toEqual(
      [...manifest.files.map((f) => f.name), 'manifest.json'].sort(),
    );
    expect(extraResourceFiles(REPO_DIR, byTo.wasm!).sort()).toEqual([
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
  });

  it('unpacks the native modules from the asar, and they are production dependencies', () => {
    for (const pattern of config.asarUnpack) {
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\/\*\*$/.exec(pattern);
      if (!m) continue;
      expect(fs.existsSync(path.join(REPO_DIR, 'node_modules', m[1]!)), pattern).toBe(true);
    }
    expect(config.asarUnpack).toContain('**/*.node');
    for (const native of ['better-sqlite3', 'sharp', '@node-rs/argon2'])
      expect(pkg.dependencies[native], native).toBeDefined();
  });

  it('has the icons (512 and 256 px PNG, SVG source) and the macOS entitlements', async () => {
    const size = async (f: string) => {
      const meta = await sharp(path.join(REPO_DIR, f)).metadata();
      return [meta.format, meta.width, meta.height];
    };
    expect(await size(config.win.icon)).toEqual(['png', 512, 512]);
    expect(await size(config.mac.icon)).toEqual(['png', 512, 512]);
    expect(await size(`${config.linux.icon}/512x512.png`)).toEqual(['png', 512, 512]);
    expect(await size(`${config.linux.icon}/256x256.png`)).toEqual(['png', 256, 256]);
    expect(fs.existsSync(path.join(REPO_DIR, config.directories.buildResources, 'icon.svg'))).toBe(true);
    for (const f of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = fs.readFileSync(path.join(REPO_DIR, f), 'utf8');
      expect(plist).toMatch(/<key>com\.apple\.security\.device\.camera<\/key>\s*<true\/>/);
      expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    }
  });

  it('bundles load only packages the installer ships (production dependencies; electron is the runtime)', () => {
    // tfjs-node is optional: the engine probes for it and falls back to WASM (server/clinic/face/engine.ts).
    const allowed = new Set([...Object.keys(pkg.dependencies), 'electron', '@tensorflow/tfjs-node']);
    for (const bundle of ['dist/electron/main.cjs', 'dist/clinic/main.mjs', 'dist/clinic/face-worker.mjs']) {
      const imports = bundleImports(fs.readFileSync(path.join(scratch, bundle), 'utf8'));
      expect(imports.length, bundle).toBeGreaterThan(0);
      expect(
        imports.filter((name) => !allowed.has(name)),
        bundle,
      ).toEqual([]);
    }
    expect(
      bundleImports('import a from "hono/cookie"; require("node:fs"); require("fs"); import("./x.js")'),
    ).toEqual(['hono']);
  });
});

describe('the bundled local server (dist/clinic/main.mjs) under plain Node', () => {
  it('starts, reports ready with its port, answers GET /api/health and stops on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-pack-data-'));
    temps.push(dataDir);
    const server = await startBundledServer(path.join(scratch, 'dist/clinic/main.mjs'), {
      CFD_DATA_DIR: dataDir,
      CFD_PORT: '0',
      CFD_DEMO: '0',
      CFD_FACE: '0',
    });
    try {
      expect(server.ready.urls.desk).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:${server.ready.port}/desk/\\?token=`),
      );
      expect(await getHealth(server.ready)).toEqual({
        status: 200,
        body: { ok: true, face: { ready: false } },
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // It created its database under the given data folder (migrations found beside the bundle).
    expect(fs.existsSync(path.join(dataDir, 'clinic.sqlite'))).toBe(true);
  });
});
