/**
 * The message the clinic's local server sends its parent process once it listens: Electron's main
 * process (over `parentPort`, as a utility process) or a Node parent (over the IPC channel: tests,
 * scripts). Main opens its windows at `urls`; each URL carries that screen's own credential once.
 */
import { z } from 'zod';

/** Screens the local server serves, each a page under `/<screen>/`. */
export const SCREENS = ['desk', 'kiosk', 'display'] as const;
export type Screen = (typeof SCREENS)[number];

/** `{ type: 'ready', port, urls: { desk, kiosk, display } }`; `port` is the TCP port it listens on. */
export const readyMessage = z.object({
  type: z.literal('ready'),
  port: z.number().int().min(1).max(65535),
  urls: z.object({ desk: z.string().url(), kiosk: z.string().url(), display: z.string().url() }),
});
export type ReadyMessage = z.infer<typeof readyMessage>;
