/**
 * Main's side of the typed IPC contract (electron/shared/ipc-contract.ts). `handle` wraps one channel:
 * it checks the sender (one of the local server's own pages, and a screen the channel allows), parses
 * the input with the contract, runs the handler, parses its output, and answers `Result<T>` — it never
 * rejects (Signal's pattern). `registerIpc` registers every channel on injected dependencies, so it runs
 * in tests with fakes; electron/main/ipc-electron.ts builds the real ones.
 */
import type { z } from 'zod';
import { IPC_CHANNELS, type IpcChannel } from '../shared/ipc-channels.ts';
import {
  ipcContract,
  type CameraChoice,
  type IpcErrorCode,
  type IpcOutput,
  type IpcParsed,
  type PrintOutcome,
  type PrintSettings,
  type Result,
  type WindowScreen,
} from '../shared/ipc-contract.ts';
import { ticketHtml } from './print.ts';

/** An error a handler throws to answer `{ ok: false, error: { code, message } }` with its own code. */
export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

/** The part of an IpcMainInvokeEvent that `handle` reads: the frame and the webContents that sent it. */
export interface IpcEventLike {
  senderFrame?: { url: string } | null;
  sender?: unknown;
}

/**
 * Which of main's windows a webContents is (E1's `windows.roleOf`), or null for none of ours. When given,
 * a call must come from the window whose page it claims: the display window navigated to /kiosk/ is
 * still the display.
 */
export type SenderRole = (sender: unknown) => WindowScreen | null;

/** The part of Electron's `ipcMain` that `registerIpc` uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}

/**
 * The screen (window page) a frame URL belongs to when it is one of the local server's own pages
 * (`<origin>/desk/…`, `/kiosk/…`, `/display/…`), else null (another origin, another path, a bad URL).
 * @param url the sender frame's URL
 * @param origin the local server's origin, e.g. `http://127.0.0.1:5173`
 */
export function senderScreen(url: string, origin: string | null): WindowScreen | null {
  if (!origin) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.origin !== origin) return null;
  const first = parsed.pathname.split('/')[1];
  return first === 'desk' || first === 'kiosk' || first === 'display' ? first : null;
}

/** What a handler knows of its caller. */
export interface IpcCaller {
  screen: WindowScreen;
}

/** A channel's implementation: parsed input in, output (checked against the contract) out. */
export type IpcImpl<C extends IpcChannel> = (
  input: IpcParsed<C>,
  caller: IpcCaller,
) => IpcOutput<C> | Promise<IpcOutput<C>>;

function fail(code: IpcErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

/**
 * Registers `impl` on `channel`. The answer is `{ ok: true, value }`, or `{ ok: false, error }` with
 * `forbidden` (sender not one of `origin()`'s pages or not a screen the channel allows), `invalid_input`
 * (the contract's input schema failed), the code of an `IpcError` the handler threw, `internal` (any
 * other throw; logged, message generic), or `internal` when the output fails the contract (a bug).
 * @param senderRole when given, the sending webContents must be the window of the page's screen
 * @param origin the local server's current origin, or null before it is ready (then every call is forbidden)
 */
export function handle<C extends IpcChannel>(
  ipcMain: IpcMainLike,
  origin: () => string | null,
  channel: C,
  impl: IpcImpl<C>,
  senderRole?: SenderRole,
): void {
  const entry = ipcContract[channel];
  ipcMain.handle(channel, async (event, ...args): Promise<Result<IpcOutput<C>>> => {
    const screen = senderScreen(event.senderFrame?.url ?? '', origin());
    const roleOk = !senderRole || senderRole(event.sender) === screen;
    if (!screen || !roleOk || !(entry.screens as readonly WindowScreen[]).includes(screen))
      return fail('forbidden', `${channel}: sender not allowed`);
    const input = entry.input.safeParse(args[0]);
    if (!input.success) return fail('invalid_input', `${channel}: ${issues(input.error)}`);
    let value: unknown;
    try {
      value = await impl(input.data as IpcParsed<C>, { screen });
    } catch (err) {
      if (err instanceof IpcError) return fail(err.code, err.message);
      console.error(`ipc ${channel} failed`, err);
      return fail('internal', `${channel} failed`);
    }
    const output = entry.output.safeParse(value);
    if (!output.success) {
      console.error(`ipc ${channel}: output breaks the contract`, issues(output.error));
      return fail('internal', `${channel}: bad output`);
    }
    return { ok: true, value: output.data as IpcOutput<C> };
  });
}

/** The app's native settings kept by main (userData/native-settings.json; ./ipc-settings.ts). */
export interface NativeSettings {
  print: PrintSettings;
  camera: CameraChoice;
}

/** Read and update of the native settings. */
export interface NativeSettingsStore {
  get(): NativeSettings;
  /** Merges `patch` and persists; returns the new settings. */
  update(patch: Partial<NativeSettings>): NativeSettings;
}

/** Answer of the local server's PIN check (POST /api/kiosk/exit-check). */
export type PinCheck = 'ok' | 'wrong_pin' | 'too_many_attempts';

/** A print job: HTML to load (the ticket) or a page of the local server to load (the receipt). */
export type PrintJob = { kind: 'html'; html: string } | { kind: 'url'; url: string };

/** What `registerIpc` needs; electron/main/ipc-electron.ts gives the real ones. */
export interface IpcDeps {
  ipcMain: IpcMainLike;
  /** The local server's origin once it is ready, else null. */
  origin(): string | null;
  /** Which window sent a call (see `SenderRole`); absent: the page's URL alone decides. */
  senderRole?: SenderRole;
  appVersion(): IpcOutput<'app:version'>;
  /** Displays (monitors) and which windows are on each. */
  displays(): IpcOutput<'screens:list'>;
  /** Moves `window` to display `displayId`. @throws IpcError no_display, no_window */
  moveWindow(window: 'kiosk' | 'display', displayId: number): void;
  /** Checks a staff PIN with the local server. */
  checkKioskPin(pin: string): Promise<PinCheck>;
  /** Takes the kiosk window out of kiosk mode (E1's setKioskLocked(win, false)). @throws IpcError no_window */
  leaveKioskMode(): void;
  printers(): Promise<IpcOutput<'print:printers'>>;
  /** Prints `job` for `role` on the chosen printer, or to a PDF (./print.ts printPlan). */
  print(job: PrintJob, role: 'ticket' | 'receipt', settings: PrintSettings): Promise<PrintOutcome>;
  settings: NativeSettingsStore;
}

/**
 * Registers every channel of the contract on `deps.ipcMain`. Notable rules: `kiosk:leave` asks the local
 * server to check the PIN (401 → `wrong_pin`, 429 → `too_many_attempts`) and only then leaves kiosk
 * mode; `camera:set` and `print:settings:set` from the kiosk are refused (`forbidden`) until a
 * `kiosk:leave` succeeded; `print:receipt` prints the server's receipt page `/receipts/<paymentId>?screen=desk` (behind
 * the desk's staff login, whose cookie the hidden print window shares).
 */
export function registerIpc(deps: IpcDeps): void {
  const on = <C extends IpcChannel>(channel: C, impl: IpcImpl<C>) =>
    handle(deps.ipcMain, deps.origin, channel, impl, deps.senderRole);
  // The kiosk changes settings (camera, ticket printer) only after staff left kiosk mode with a PIN.
  let kioskUnlocked = false;
  const settingsCaller = (caller: IpcCaller) => {
    if (caller.screen === 'kiosk' && !kioskUnlocked)
      throw new IpcError('forbidden', 'the kiosk changes settings only after a staff PIN');
  };
  const impls: { [C in IpcChannel]: () => void } = {
    'app:version': () => on('app:version', () => deps.appVersion()),
    'screens:list': () => on('screens:list', () => deps.displays()),
    'screens:assign': () =>
      on('screens:assign', (input) => {
        deps.moveWindow(input.window, input.displayId);
        return input;
      }),
    'kiosk:leave': () =>
      on('kiosk:leave', async ({ pin }) => {
        const check = await deps.checkKioskPin(pin);
        if (check === 'wrong_pin') throw new IpcError('wrong_pin', 'wrong PIN');
        if (check === 'too_many_attempts') throw new IpcError('too_many_attempts', 'too many attempts');
        deps.leaveKioskMode();
        kioskUnlocked = true;
        return { left: true as const };
      }),
    'print:printers': () => on('print:printers', () => deps.printers()),
    'print:ticket': () =>
      on('print:ticket', (ticket) =>
        deps.print({ kind: 'html', html: ticketHtml(ticket) }, 'ticket', deps.settings.get().print),
      ),
    'print:receipt': () =>
      on('print:receipt', ({ paymentId }) => {
        const origin = deps.origin();
        if (!origin) throw new IpcError('no_window', 'the local server is not ready');
        const url = `${origin}/receipts/${paymentId}?screen=desk`;
        return deps.print({ kind: 'url', url }, 'receipt', deps.settings.get().print);
      }),
    'print:settings:get': () => on('print:settings:get', () => deps.settings.get().print),
    'print:settings:set': () =>
      on('print:settings:set', (patch, caller) => {
        settingsCaller(caller);
        return deps.settings.update({ print: { ...deps.settings.get().print, ...patch } }).print;
      }),
    'camera:get': () => on('camera:get', () => deps.settings.get().camera),
    'camera:set': () =>
      on('camera:set', (camera, caller) => {
        settingsCaller(caller);
        return deps.settings.update({ camera }).camera;
      }),
  };
  for (const channel of IPC_CHANNELS) impls[channel]();
}

/**
 * A `checkKioskPin` over HTTP: `POST <origin>/api/kiosk/exit-check` with the kiosk's launch credential
 * as Bearer. 200 → ok, 401 → wrong_pin, 429 → too_many_attempts; anything else throws (→ `internal`).
 * @param origin the local server's origin
 * @param kioskToken the kiosk's credential (the `token` of the kiosk URL in the ready message)
 */
export function httpPinChecker(
  origin: () => string | null,
  kioskToken: () => string | null,
  fetchImpl: typeof fetch = fetch,
): (pin: string) => Promise<PinCheck> {
  return async (pin) => {
    const base = origin();
    const token = kioskToken();
    if (!base || !token) throw new Error('the local server is not ready');
    const res = await fetchImpl(`${base}/api/kiosk/exit-check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin }),
    });
    if (res.status === 200) return 'ok';
    if (res.status === 401) return 'wrong_pin';
    if (res.status === 429) return 'too_many_attempts';
    throw new Error(`exit-check answered ${res.status}`);
  };
}
