/**
 * The sandboxed preload bundles to CommonJS that requires `electron` and nothing else (a sandboxed
 * preload cannot load other modules), carries no zod (validation is main's), and exposes exactly one
 * bridge function per channel; built with the same esbuild options as scripts/build-main.mjs.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bridgeName, IPC_CHANNELS } from '../shared/ipc-channels.ts';

describe('preload bundle', () => {
  it('requires only electron and exposes one function per channel as window.cfd', async () => {
    const out = await build({
      bundle: true,
      platform: 'browser',
      target: 'chrome130',
      entryPoints: ['electron/preload/index.ts'],
      format: 'cjs',
      external: ['electron'],
      write: false,
    });
    const code = out.outputFiles[0]!.text;
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/zod|safeParse/);
    const exposed: Record<string, Record<string, unknown>> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api),
      },
      ipcRenderer: { invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve('answer')) },
    };
    new Function('require', code)((name: string) => (name === 'electron' ? electron : undefined));
    const api = exposed.cfd!;
    expect(Object.keys(api).sort()).toEqual(IPC_CHANNELS.map(bridgeName).sort());
    expect(Object.isFrozen(api)).toBe(true);
    const kioskLeave = api.kioskLeave as (input: unknown, extra: unknown) => Promise<unknown>;
    expect(await kioskLeave({ pin: '2580' }, 'smuggled')).toBe('answer');
    expect(invoked).toEqual([['kiosk:leave', { pin: '2580' }]]);
  });
});
