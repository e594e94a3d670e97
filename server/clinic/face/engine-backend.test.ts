/**
 * The face engine refuses to start on a backend that failed to initialise: tfjs's setBackend resolves
 * false when the .wasm files are missing and would otherwise fall back to its pure-JS CPU backend.
 * CFD_WASM_DIR (the packaged app's `<resources>/wasm`) points at an empty folder here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFaceEngine } from './engine.ts';
import { DEFAULT_MODELS_DIR } from './models.ts';

const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-nowasm-'));
const saved = { backend: process.env.CFD_FACE_BACKEND, wasmDir: process.env.CFD_WASM_DIR };
afterAll(() => {
  if (saved.backend === undefined) delete process.env.CFD_FACE_BACKEND;
  else process.env.CFD_FACE_BACKEND = saved.backend;
  if (saved.wasmDir === undefined) delete process.env.CFD_WASM_DIR;
  else process.env.CFD_WASM_DIR = saved.wasmDir;
  fs.rmSync(emptyDir, { recursive: true, force: true });
});

describe('createFaceEngine backend', () => {
  it('rejects when CFD_WASM_DIR holds no .wasm files, naming the folder', async () => {
    process.env.CFD_FACE_BACKEND = 'wasm';
    process.env.CFD_WASM_DIR = emptyDir;
    await expect(createFaceEngine(DEFAULT_MODELS_DIR)).rejects.toThrow(
      `face engine: the WASM backend failed to load its .wasm files from ${emptyDir}`,
    );
  });
});
