/**
 * `npm run packaging:smoke`: the longer packaging check, not in CI (the face engine takes ~5–15 s to
 * load). Builds the bundles into a scratch mirror of the repository, lays out the `resources` folder
 * electron-builder.yml's extraResources describe (models/, wasm/), and starts the bundled local server
 * under plain Node the way the packaged app does: CFD_MODELS_DIR=<resources>/models and
 * CFD_WASM_DIR=<resources>/wasm, WASM backend. Passes when GET /api/health reports the face engine
 * ready, and when the same server given an empty CFD_WASM_DIR reports the engine unavailable (so the
 * .wasm files really come from the staged folder, not from node_modules). Exit code 0 = pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildIntoScratch,
  getHealth,
  loadBuilderConfig,
  stageResources,
  startBundledServer,
  type StartedServer,
} from './packaging-check.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 250 ms until it returns true. @throws Error after `timeoutMs` */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const faceReady = async (s: StartedServer) => {
  const { body } = await getHealth(s.ready);
  return (body as { face: { ready: boolean } }).face.ready;
};

const t0 = Date.now();
const scratch = buildIntoScratch('cfd-smoke-');
const resources = stageResources(scratch, loadBuilderConfig(), path.join(scratch, 'resources'));
const emptyWasm = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-smoke-nowasm-'));
const entry = path.join(scratch, 'dist/clinic/main.mjs');
const dataDirs: string[] = [];
const newDataDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-smoke-data-'));
  dataDirs.push(d);
  return d;
};
const baseEnv = (dataDir: string) => ({
  CFD_DATA_DIR: dataDir,
  CFD_PORT: '0',
  CFD_DEMO: '0',
  CFD_FACE_BACKEND: 'wasm',
  CFD_MODELS_DIR: path.join(resources, 'models'),
});
console.log(`built and staged resources in ${Date.now() - t0} ms (${scratch})`);

let failed = false;
try {
  const started = Date.now();
  const server = await startBundledServer(entry, {
    ...baseEnv(newDataDir()),
    CFD_WASM_DIR: path.join(resources, 'wasm'),
  });
  const readyMs = Date.now() - started;
  let failure: unknown = null;
  try {
    await until('face engine ready', () => faceReady(server), 120_000);
    console.log(
      `PASS staged resources: server ready in ${readyMs} ms, face engine ready in ${Date.now() - started} ms`,
    );
  } catch (err) {
    failure = err;
  }
  const code = await server.stop();
  if (failure) throw failure;
  if (code !== 0) throw new Error(`server exited with ${code}:\n${server.output()}`);

  const without = await startBundledServer(entry, {
    ...baseEnv(newDataDir()),
    CFD_WASM_DIR: emptyWasm,
  });
  try {
    await until('face.unavailable', async () => without.output().includes('"face.unavailable"'), 120_000);
    if (await faceReady(without)) throw new Error('face engine ready without the .wasm files');
    console.log('PASS empty CFD_WASM_DIR: face engine unavailable, server still answers /api/health');
  } finally {
    await without.stop();
  }
} catch (err) {
  failed = true;
  console.error(`FAIL ${(err as Error).message}`);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const d of [emptyWasm, ...dataDirs]) fs.rmSync(d, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
