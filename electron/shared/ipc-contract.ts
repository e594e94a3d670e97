/**
 * The typed IPC contract (CONVENTIONS §2; Fiddle keeps channel names in one file, Signal answers with a
 * result object): one map channel → { input, output } zod schemas, plus the screens allowed to call it.
 * Main parses every input and output with it (electron/main/ipc.ts `handle`); the preload only forwards
 * (electron/preload/index.ts, no zod there); the pages import its types only (renderer/shared/native.ts).
 * IPC carries operating-system concerns only: screens, kiosk mode, printing, the app version, the camera.
 * Every call resolves to `Result<T>`; it never rejects.
 */
import { z } from 'zod';
import type { IpcChannel } from './ipc-channels.ts';

/** What every bridge call resolves to (Signal's result shape): a value, or an error code and message. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcErrorBody };

/** The error of a failed call: a code the page translates, and a message for logs. */
export interface IpcErrorBody {
  code: IpcErrorCode;
  message: string;
}

/**
 * Error codes of IPC calls: `invalid_input` (input failed the contract), `forbidden` (caller is not one
 * of the app's own pages, or not a screen allowed on this channel), `internal` (the handler threw, or
 * its output failed the contract), `wrong_pin` / `too_many_attempts` (kiosk:leave), `no_window`
 * (the screen's window is not open), `no_display` (unknown display id), `print_failed`.
 */
export type IpcErrorCode =
  | 'invalid_input'
  | 'forbidden'
  | 'internal'
  | 'wrong_pin'
  | 'too_many_attempts'
  | 'no_window'
  | 'no_display'
  | 'print_failed';

/** The Electron windows (pages) that have the preload: /desk/, /kiosk/, /display/. */
export type WindowScreen = 'desk' | 'kiosk' | 'display';

const none = z.undefined();
const rect = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});

/** A printer as the OS lists it (webContents.getPrintersAsync). */
export const printerInfo = z.object({
  name: z.string(),
  displayName: z.string(),
  isDefault: z.boolean(),
});

/** A printer role: the kiosk's ticket ("Senha", 80 mm receipt printer) or the desk's receipt. */
export const printerRole = z.enum(['ticket', 'receipt']);

/** The chosen printer per role (device names; null = none chosen → PDF), and auto-print of tickets. */
export const printSettings = z.object({
  ticket: z.string().min(1).max(200).nullable(),
  receipt: z.string().min(1).max(200).nullable(),
  autoPrintTicket: z.boolean(),
});
export type PrintSettings = z.infer<typeof printSettings>;

/**
 * A check-in ticket ("Senha") to print: the ticket code, room, wait as the kiosk showed it (already
 * translated, e.g. "5 a 10 min"), the practitioner, the clinic's name, when (ISO-8601 UTC; printed in
 * Europe/Lisbon). Never a full name: `initials` only ("A. S."), which the schema enforces.
 */
export const ticketData = z.object({
  ticket: z.string().trim().min(1).max(12),
  room: z.string().max(60).nullable(),
  wait: z.string().max(40),
  practitioner: z.string().max(80).nullable(),
  clinicName: z.string().trim().min(1).max(80),
  issuedAt: z.iso.datetime(),
  initials: z
    .string()
    .regex(/^(\p{Lu}\.\s?){1,4}$/u, 'initials only, e.g. "A. S."')
    .nullable()
    .default(null),
  lang: z.enum(['pt', 'en']).default('pt'),
});
export type TicketData = z.infer<typeof ticketData>;

/** Where a print went: a printer (`device`) or, as the fallback, a PDF file (`pdfPath`). */
export const printOutcome = z.object({
  to: z.enum(['printer', 'pdf']),
  device: z.string().nullable(),
  pdfPath: z.string().nullable(),
});
export type PrintOutcome = z.infer<typeof printOutcome>;

/** The camera chosen in settings (from enumerateDevices); null = the default camera. */
export const cameraChoice = z
  .object({ deviceId: z.string().min(1).max(512), label: z.string().max(200) })
  .nullable();
export type CameraChoice = z.infer<typeof cameraChoice>;

/** A display (monitor) and the screens (windows) on it. */
export const displayInfo = z.object({
  id: z.number().int(),
  label: z.string(),
  bounds: rect,
  primary: z.boolean(),
  windows: z.array(z.enum(['desk', 'kiosk', 'display'])),
});

interface Entry {
  input: z.ZodType;
  output: z.ZodType;
  screens: readonly WindowScreen[];
}

/** channel → input and output schemas, and the screens (windows) that may call it. */
export const ipcContract = {
  'app:version': {
    input: none,
    output: z.object({ version: z.string(), packaged: z.boolean() }),
    screens: ['desk', 'kiosk', 'display'],
  },
  'screens:list': { input: none, output: z.array(displayInfo), screens: ['desk'] },
  'screens:assign': {
    input: z.object({ window: z.enum(['kiosk', 'display']), displayId: z.number().int() }),
    output: z.object({ window: z.enum(['kiosk', 'display']), displayId: z.number().int() }),
    screens: ['desk'],
  },
  'kiosk:leave': {
    input: z.object({ pin: z.string().regex(/^\d{4,8}$/) }),
    output: z.object({ left: z.literal(true) }),
    screens: ['kiosk'],
  },
  'print:printers': { input: none, output: z.array(printerInfo), screens: ['desk', 'kiosk'] },
  'print:ticket': { input: ticketData, output: printOutcome, screens: ['kiosk', 'desk'] },
  'print:receipt': {
    input: z.object({ paymentId: z.uuid() }),
    output: printOutcome,
    screens: ['desk'],
  },
  'print:settings:get': { input: none, output: printSettings, screens: ['desk', 'kiosk'] },
  // From the kiosk only after a staff PIN (electron/main/ipc.ts).
  'print:settings:set': {
    input: printSettings.partial(),
    output: printSettings,
    screens: ['desk', 'kiosk'],
  },
  'camera:get': { input: none, output: cameraChoice, screens: ['desk', 'kiosk'] },
  'camera:set': { input: cameraChoice, output: cameraChoice, screens: ['desk', 'kiosk'] },
} as const satisfies Record<IpcChannel, Entry>;

/** The contract's type; `IpcContract[C]['input']` etc. */
export type IpcContract = typeof ipcContract;
/** What a page passes on channel `C` (before defaults are applied). */
export type IpcInput<C extends IpcChannel> = z.input<IpcContract[C]['input']>;
/** What a handler of `C` receives (parsed, defaults applied). */
export type IpcParsed<C extends IpcChannel> = z.output<IpcContract[C]['input']>;
/** What channel `C` answers with. */
export type IpcOutput<C extends IpcChannel> = z.output<IpcContract[C]['output']>;

/** `window.cfd`: one function per channel, named by `bridgeName` (ipc-channels.ts). */
export interface CfdBridge {
  appVersion(): Promise<Result<IpcOutput<'app:version'>>>;
  screensList(): Promise<Result<IpcOutput<'screens:list'>>>;
  screensAssign(input: IpcInput<'screens:assign'>): Promise<Result<IpcOutput<'screens:assign'>>>;
  kioskLeave(input: IpcInput<'kiosk:leave'>): Promise<Result<IpcOutput<'kiosk:leave'>>>;
  printPrinters(): Promise<Result<IpcOutput<'print:printers'>>>;
  printTicket(input: IpcInput<'print:ticket'>): Promise<Result<IpcOutput<'print:ticket'>>>;
  printReceipt(input: IpcInput<'print:receipt'>): Promise<Result<IpcOutput<'print:receipt'>>>;
  printSettingsGet(): Promise<Result<IpcOutput<'print:settings:get'>>>;
  printSettingsSet(input: IpcInput<'print:settings:set'>): Promise<Result<IpcOutput<'print:settings:set'>>>;
  cameraGet(): Promise<Result<IpcOutput<'camera:get'>>>;
  cameraSet(input: IpcInput<'camera:set'>): Promise<Result<IpcOutput<'camera:set'>>>;
}
