/**
 * The IPC channel names, and nothing else, so the sandboxed preload (electron/preload/index.ts) can build
 * one bridge function per channel without bundling zod; their shapes are in ./ipc-contract.ts, which
 * checks at compile time that it covers exactly these names.
 */

/** Every channel the renderer may invoke, `<area>:<verb>`. */
export const IPC_CHANNELS = [
  'app:version',
  'screens:list',
  'screens:assign',
  'kiosk:leave',
  'print:printers',
  'print:ticket',
  'print:receipt',
  'print:settings:get',
  'print:settings:set',
  'camera:get',
  'camera:set',
] as const;

/** One channel name. */
export type IpcChannel = (typeof IPC_CHANNELS)[number];

/**
 * The bridge function's name on `window.cfd` for each channel (camelCase of the channel, e.g.
 * `print:settings:get` → `printSettingsGet`).
 */
export function bridgeName(channel: IpcChannel): string {
  return channel.replace(/:([a-z])/g, (_m, c: string) => c.toUpperCase());
}
