/**
 * Small tests of the typed IPC contract and main's `handle` / `registerIpc` (./ipc.ts) with a fake
 * ipcMain and fake invoke events: sender checks, input and output parsing, thrown errors, the kiosk exit
 * with a PIN, the native settings file (./ipc-settings.ts) and the HTTP PIN checker's status mapping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeName, IPC_CHANNELS } from '../shared/ipc-channels.ts';
import { ipcContract, ticketData, type Result } from '../shared/ipc-contract.ts';
import {
  handle,
  httpPinChecker,
  IpcError,
  registerIpc,
  senderScreen,
  type IpcDeps,
  type IpcEventLike,
  type IpcMainLike,
  type PinCheck,
  type PrintJob,
} from './ipc.ts';
import { DEFAULT_NATIVE_SETTINGS, fileSettingsStore } from './ipc-settings.ts';

const ORIGIN = 'http://127.0.0.1:4321';

class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    if (this.listeners.has(channel)) throw new Error(`second handler for ${channel}`);
    this.listeners.set(channel, listener);
  }
  /** Invokes `channel` as a frame at `url` would. */
  invoke(channel: string, url: string, arg?: unknown): Promise<Result<unknown>> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(listener({ senderFrame: { url } }, arg)) as Promise<Result<unknown>>;
  }
}

const kiosk = `${ORIGIN}/kiosk/`;
const desk = `${ORIGIN}/desk/#/board`;

describe('senderScreen', () => {
  it('names the screen of one of the server’s own pages, and nothing else', () => {
    expect(senderScreen(`${ORIGIN}/kiosk/`, ORIGIN)).toBe('kiosk');
    expect(senderScreen(`${ORIGIN}/desk/settings?x=1`, ORIGIN)).toBe('desk');
    expect(senderScreen(`${ORIGIN}/display/`, ORIGIN)).toBe('display');
    expect(senderScreen(`${ORIGIN}/receipts/abc`, ORIGIN)).toBeNull();
    expect(senderScreen('http://127.0.0.1:9999/kiosk/', ORIGIN)).toBeNull();
    expect(senderScreen('https://evil.example/kiosk/', ORIGIN)).toBeNull();
    expect(senderScreen('not a url', ORIGIN)).toBeNull();
    expect(senderScreen(`${ORIGIN}/kiosk/`, null)).toBeNull();
  });
});

describe('handle', () => {
  it('answers ok with the parsed output', async () => {
    const ipc = new FakeIpcMain();
    handle(
      ipc,
      () => ORIGIN,
      'app:version',
      () => ({ version: '1.2.3', packaged: false }),
    );
    expect(await ipc.invoke('app:version', kiosk)).toEqual({
      ok: true,
      value: { version: '1.2.3', packaged: false },
    });
  });

  it('refuses a foreign sender, a screen the channel does not allow, and any call before the server is ready', async () => {
    const ipc = new FakeIpcMain();
    let calls = 0;
    let origin: string | null = ORIGIN;
    handle(
      ipc,
      () => origin,
      'screens:assign',
      (input) => {
        calls++;
        return input;
      },
    );
    const arg = { window: 'display', displayId: 2 };
    for (const url of ['https://evil.example/desk/', `${ORIGIN}/kiosk/`, `${ORIGIN}/display/`]) {
      const res = await ipc.invoke('screens:assign', url, arg);
      expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    origin = null;
    expect(await ipc.invoke('screens:assign', desk, arg)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toBe(0);
    origin = ORIGIN;
    expect(await ipc.invoke('screens:assign', desk, arg)).toEqual({ ok: true, value: arg });
  });

  it('with a window check, refuses a page loaded in another screen’s window', async () => {
    const ipc = new FakeIpcMain();
    const displayWindow = { id: 'display-contents' };
    const kioskWindow = { id: 'kiosk-contents' };
    const roleOf = (sender: unknown) =>
      sender === displayWindow ? 'display' : sender === kioskWindow ? 'kiosk' : null;
    handle(
      ipc,
      () => ORIGIN,
      'kiosk:leave',
      () => ({ left: true as const }),
      roleOf,
    );
    const call = (sender: unknown) =>
      ipc.listeners.get('kiosk:leave')!({ senderFrame: { url: kiosk }, sender }, { pin: '2580' });
    expect(await call(displayWindow)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call({ id: 'print-window' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(kioskWindow)).toEqual({ ok: true, value: { left: true } });
  });

  it('answers invalid_input for input that breaks the contract, without calling the handler', async () => {
    const ipc = new FakeIpcMain();
    let calls = 0;
    handle(
      ipc,
      () => ORIGIN,
      'kiosk:leave',
      () => {
        calls++;
        return { left: true as const };
      },
    );
    for (const bad of [undefined, {}, { pin: 1234 }, { pin: '12a4' }, { pin: '123' }, 'x']) {
      const res = await ipc.invoke('kiosk:leave', kiosk, bad);
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(calls).toBe(0);
  });

  it('turns a thrown error into internal with a generic message, and an IpcError into its code', async () => {
    const ipc = new FakeIpcMain();
    handle(
      ipc,
      () => ORIGIN,
      'print:printers',
      () => {
        throw new Error('secret path /home/x');
      },
    );
    handle(
      ipc,
      () => ORIGIN,
      'camera:get',
      () => {
        throw new IpcError('no_window', 'kiosk closed');
      },
    );
    expect(await ipc.invoke('print:printers', desk)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'print:printers failed' },
    });
    expect(await ipc.invoke('camera:get', kiosk)).toEqual({
      ok: false,
      error: { code: 'no_window', message: 'kiosk closed' },
    });
  });

  it('answers internal when the output breaks the contract', async () => {
    const ipc = new FakeIpcMain();
    handle(
      ipc,
      () => ORIGIN,
      'app:version',
      () => ({ version: 3 }) as never,
    );
    expect(await ipc.invoke('app:version', desk)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'app:version: bad output' },
    });
  });
});

describe('the contract', () => {
  it('covers every channel once, with distinct bridge names', () => {
    expect(Object.keys(ipcContract).sort()).toEqual([...IPC_CHANNELS].sort());
    const names = IPC_CHANNELS.map(bridgeName);
    expect(new Set(names).size).toBe(IPC_CHANNELS.length);
    expect(bridgeName('print:settings:get')).toBe('printSettingsGet');
    expect(bridgeName('app:version')).toBe('appVersion');
  });

  it('accepts initials on a ticket but never a full name', () => {
    const base = {
      ticket: 'A012',
      room: 'Sala 2',
      wait: '5 a 10 min',
      practitioner: 'Dra. Sofia Lopes',
      clinicName: 'Clínica Demo',
      issuedAt: '2026-07-01T09:30:00.000Z',
    };
    expect(ticketData.parse(base)).toMatchObject({ initials: null, lang: 'pt' });
    expect(ticketData.parse({ ...base, initials: 'A. S.' }).initials).toBe('A. S.');
    expect(ticketData.safeParse({ ...base, initials: 'Ana Silva' }).success).toBe(false);
    expect(ticketData.safeParse({ ...base, initials: 'ANA' }).success).toBe(false);
  });
});

function fakeDeps(over: Partial<IpcDeps> = {}, settingsFile?: string) {
  const ipc = new FakeIpcMain();
  const log: string[] = [];
  const printed: { job: PrintJob; role: string; device: string | null }[] = [];
  const file = settingsFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-ipc-')), 'native.json');
  const deps: IpcDeps = {
    ipcMain: ipc,
    origin: () => ORIGIN,
    appVersion: () => ({ version: '0.1.0', packaged: true }),
    displays: () => [],
    moveWindow: (w, id) => void log.push(`move ${w} ${id}`),
    checkKioskPin: async (pin): Promise<PinCheck> => (pin === '2580' ? 'ok' : 'wrong_pin'),
    leaveKioskMode: () => void log.push('leave'),
    printers: async () => [{ name: 'EPSON_TM', displayName: 'EPSON TM-T20', isDefault: false }],
    print: async (job, role, settings) => {
      printed.push({ job, role, device: settings[role] });
      return settings[role]
        ? { to: 'printer', device: settings[role], pdfPath: null }
        : { to: 'pdf', device: null, pdfPath: '/tmp/x.pdf' };
    },
    settings: fileSettingsStore(file),
    ...over,
  };
  registerIpc(deps);
  return { ipc, log, printed, file };
}

describe('registerIpc', () => {
  it('registers a handler for every channel of the contract', () => {
    const { ipc } = fakeDeps();
    expect([...ipc.listeners.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('kiosk:leave leaves kiosk mode only with a PIN the server accepts', async () => {
    const { ipc, log } = fakeDeps();
    expect(await ipc.invoke('kiosk:leave', kiosk, { pin: '1111' })).toEqual({
      ok: false,
      error: { code: 'wrong_pin', message: 'wrong PIN' },
    });
    expect(log).toEqual([]);
    expect(await ipc.invoke('kiosk:leave', desk, { pin: '2580' })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(log).toEqual([]);
    expect(await ipc.invoke('kiosk:leave', kiosk, { pin: '2580' })).toEqual({
      ok: true,
      value: { left: true },
    });
    expect(log).toEqual(['leave']);
  });

  it('kiosk:leave says too_many_attempts when the server throttles', async () => {
    const { ipc, log } = fakeDeps({ checkKioskPin: async () => 'too_many_attempts' });
    expect(await ipc.invoke('kiosk:leave', kiosk, { pin: '2580' })).toMatchObject({
      ok: false,
      error: { code: 'too_many_attempts' },
    });
    expect(log).toEqual([]);
  });

  it('prints the ticket as 80 mm HTML on the chosen printer, and the receipt page of the server', async () => {
    const { ipc, printed, file } = fakeDeps();
    expect(await ipc.invoke('print:settings:set', desk, { ticket: 'EPSON_TM' })).toEqual({
      ok: true,
      value: { ticket: 'EPSON_TM', receipt: null, autoPrintTicket: false },
    });
    const res = await ipc.invoke('print:ticket', kiosk, {
      ticket: 'A012',
      room: 'Sala 2',
      wait: '5 a 10 min',
      practitioner: null,
      clinicName: 'Clínica Demo',
      issuedAt: '2026-07-01T09:30:00.000Z',
    });
    expect(res).toEqual({ ok: true, value: { to: 'printer', device: 'EPSON_TM', pdfPath: null } });
    expect(printed[0]!.role).toBe('ticket');
    expect(printed[0]!.job.kind === 'html' && printed[0]!.job.html).toContain('A012');
    const id = '0b7e4c1e-4d53-4a8e-9d1c-2f0f7b6c9a11';
    expect(await ipc.invoke('print:receipt', desk, { paymentId: id })).toEqual({
      ok: true,
      value: { to: 'pdf', device: null, pdfPath: '/tmp/x.pdf' },
    });
    expect(printed[1]).toEqual({
      job: { kind: 'url', url: `${ORIGIN}/receipts/${id}?screen=desk` },
      role: 'receipt',
      device: null,
    });
    expect(await ipc.invoke('print:receipt', kiosk, { paymentId: id })).toMatchObject({
      error: { code: 'forbidden' },
    });
    // The settings survive a restart (a new store on the same file).
    expect(fileSettingsStore(file).get().print.ticket).toBe('EPSON_TM');
  });

  it('lets the kiosk change the camera and ticket printer only after a staff PIN', async () => {
    const { ipc } = fakeDeps();
    const cam = { deviceId: 'abc123', label: 'USB Camera' };
    expect(await ipc.invoke('camera:set', kiosk, cam)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ipc.invoke('print:settings:set', kiosk, { autoPrintTicket: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ipc.invoke('camera:get', kiosk)).toEqual({ ok: true, value: null });
    await ipc.invoke('kiosk:leave', kiosk, { pin: '1111' });
    expect(await ipc.invoke('camera:set', kiosk, cam)).toMatchObject({ error: { code: 'forbidden' } });
    expect(await ipc.invoke('kiosk:leave', kiosk, { pin: '2580' })).toMatchObject({ ok: true });
    expect(await ipc.invoke('camera:set', kiosk, cam)).toEqual({ ok: true, value: cam });
    expect(await ipc.invoke('print:settings:set', kiosk, { autoPrintTicket: true })).toEqual({
      ok: true,
      value: { ticket: null, receipt: null, autoPrintTicket: true },
    });
  });

  it('keeps the camera choice in the settings file; a broken file gives the defaults', async () => {
    const { ipc, file } = fakeDeps();
    expect(await ipc.invoke('camera:get', kiosk)).toEqual({ ok: true, value: null });
    const cam = { deviceId: 'abc123', label: 'USB Camera' };
    expect(await ipc.invoke('camera:set', desk, cam)).toEqual({ ok: true, value: cam });
    expect(await ipc.invoke('camera:get', kiosk)).toEqual({ ok: true, value: cam });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).camera).toEqual(cam);
    expect(await ipc.invoke('camera:set', desk, { deviceId: '' })).toMatchObject({
      error: { code: 'invalid_input' },
    });
    fs.writeFileSync(file, '{not json');
    expect(fileSettingsStore(file).get()).toEqual(DEFAULT_NATIVE_SETTINGS);
  });
});

describe('httpPinChecker', () => {
  it('maps the server’s 200 / 401 / 429 and sends the kiosk credential as Bearer', async () => {
    const seen: { url: string; auth: string | null; body: string }[] = [];
    const statusFor: Record<string, number> = { '2580': 200, '1111': 401, '9999': 429, '0000': 500 };
    const fakeFetch = (async (url: string, init: RequestInit) => {
      const body = String(init.body);
      seen.push({ url, auth: new Headers(init.headers).get('authorization'), body });
      return new Response('{}', { status: statusFor[JSON.parse(body).pin as string] });
    }) as unknown as typeof fetch;
    const check = httpPinChecker(
      () => ORIGIN,
      () => 'kiosk-cred',
      fakeFetch,
    );
    expect(await check('2580')).toBe('ok');
    expect(await check('1111')).toBe('wrong_pin');
    expect(await check('9999')).toBe('too_many_attempts');
    await expect(check('0000')).rejects.toThrow('500');
    expect(seen[0]).toEqual({
      url: `${ORIGIN}/api/kiosk/exit-check`,
      auth: 'Bearer kiosk-cred',
      body: '{"pin":"2580"}',
    });
    await expect(
      httpPinChecker(
        () => null,
        () => null,
        fakeFetch,
      )('2580'),
    ).rejects.toThrow('not ready');
  });
});
