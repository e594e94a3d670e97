/** Medium tests of the health route: up without the face engine, and the engine's identity once loaded. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaceEngine } from '../../face/engine.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';

let h: Harness | undefined;
afterEach(() => h?.close());

describe('health', () => {
  it('answers ok with face.ready false while the engine is not loaded', async () => {
    h = createHarness({ seed: false });
    expect(await (await h.req('GET', '/api/health')).json()).toEqual({ ok: true, face: { ready: false } });
  });

  it("names the loaded engine's backend, versions and model id", async () => {
    const info = {
      backend: 'wasm',
      faceApiVersion: '1.7.15',
      tfjsVersion: '4.22.0',
      modelId: 'm#1',
    } as const;
    const engine: FaceEngine = { info, analyze: () => Promise.reject(new Error('not used')) };
    h = createHarness({ seed: false, engine });
    expect(await (await h.req('GET', '/api/health')).json()).toEqual({
      ok: true,
      face: { ready: true, ...info },
    });
  });
});
