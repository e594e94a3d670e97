/**
 * The windows' preload (sandboxed: only `electron` is required; bundled by scripts/build-main.mjs to
 * dist/electron/preload.cjs). Exposes `window.cfd` with one function per IPC channel, named by
 * `bridgeName` (electron/shared/ipc-channels.ts), each forwarding its single argument to main through
 * `ipcRenderer.invoke`. Raw ipcRenderer is never exposed, and nothing here validates: main parses every
 * input and output against electron/shared/ipc-contract.ts and answers `Result<T>`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeName, IPC_CHANNELS } from '../shared/ipc-channels.ts';
import type { CfdBridge } from '../shared/ipc-contract.ts';

const bridge: Record<string, (input?: unknown) => Promise<unknown>> = {};
for (const channel of IPC_CHANNELS) {
  // Only the first argument travels: a page cannot smuggle extra ones past the contract.
  bridge[bridgeName(channel)] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}

contextBridge.exposeInMainWorld('cfd', Object.freeze(bridge) as unknown as CfdBridge);
