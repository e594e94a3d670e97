/**
 * Main launched for real, minus Electron (no binary can be downloaded here): electron/main/index.ts is
 * bundled as scripts/build-main.mjs does and run with `electron`, `electron-log/main` and
 * `electron-updater` replaced by recording fakes, and a fake local server that posts its ready message.
 * Checks the wiring the unit tests cannot: the server's environment, the three windows (webPreferences,
 * screens, kiosk lock, display cursor and power-save blocker), the session policies, the tray, IPC,
 * a display unplugged, a crash and restart without reloading the pages, and a clean quit.
 */
import { build } from 'esbuild';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const MAIN_FILE = path.join(ROOT, 'dist/electron/main.cjs'); // virtual: compiled in memory, never written
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-main-smoke-'));
const PORT = 4555;
const urls = {
  desk: `http://127.0.0.1:${PORT}/desk/?token=d`,
  kiosk: `http://127.0.0.1:${PORT}/kiosk/?token=k`,
  display: `http://127.0.0.1:${PORT}/display/?token=s`,
};

type Calls = unknown[][];
/** An object whose listed members are real and any other method is a recording no-op. */
function recorder<T extends object>(real: T, calls: Calls): T & Record<string, (...a: unknown[]) => unknown> {
  return new Proxy(real, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return (...args: unknown[]) => void calls.push([prop, ...args]);
    },
  }) as T & Record<string, (...a: unknown[]) => unknown>;
}

const display = (id: number, x: number, w: number, h: number, touch: boolean) => ({
  id,
  label: `screen ${id}`,
  size: { width: w, height: h },
  bounds: { x, y: 0, width: w, height: h },
  workArea: { x, y: 0, width: w, height: h - 40 },
  touchSupport: touch ? 'available' : 'unknown',
});
let displays = [
  display(1, 0, 1920, 1080, false),
  display(2, 1920, 1080, 1920, true),
  display(3, 3000, 3840, 2160, false),
];

const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  quits: 0,
  commandLine: { appendSwitch: () => {} },
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getPath: () => userData,
  getLocale: () => 'pt-PT',
  getVersion: () => '0.1.0',
  getLoginItemSettings: () => ({ openAtLogin: false }),
  setLoginItemSettings: () => {},
  quit() {
    this.quits += 1;
  },
});
const screenApi = Object.assign(new EventEmitter(), {
  getAllDisplays: () => displays,
  getPrimaryDisplay: () => displays[0]!,
  getDisplayMatching: () => displays[0]!,
});
const sessionCalls: Calls = [];
const defaultSession = recorder({ webRequest: recorder({}, sessionCalls) }, sessionCalls);

class FakeContents extends EventEmitter {
  url = '';
  css: string[] = [];
  loads: string[] = [];
  calls: Calls = [];
  setWindowOpenHandler(fn: () => unknown) {
    this.calls.push(['setWindowOpenHandler', fn()]);
  }
  insertCSS(css: string) {
    this.css.push(css);
    return Promise.resolve('');
  }
  getURL() {
    return this.url;
  }
}
const windows: FakeWindow[] = [];
class FakeWindow extends EventEmitter {
  webContents = new FakeContents();
  calls: Calls = [];
  full = false;
  bounds: { x: number; y: number; width: number; height: number };
  constructor(
    readonly options: Record<string, unknown> & { x: number; y: number; width: number; height: number },
  ) {
    super();
    this.bounds = { x: options.x, y: options.y, width: options.width, height: options.height };
    windows.push(this);
    return recorder(this, this.calls);
  }
  loadURL(url: string) {
    this.webContents.url = url;
    this.webContents.loads.push(url);
    this.webContents.emit('did-finish-load');
    return Promise.resolve();
  }
  setBounds(b: FakeWindow['bounds']) {
    this.bounds = b;
  }
  getBounds() {
    return this.bounds;
  }
  getNormalBounds() {
    return this.bounds;
  }
  setFullScreen(v: boolean) {
    this.full = v;
  }
  isFullScreen() {
    return this.full;
  }
  isDestroyed() {
    return false;
  }
  isMaximized() {
    return false;
  }
  kioskState() {
    return this.calls.filter((c) => c[0] === 'setKiosk').at(-1)?.[1] ?? false;
  }
}

/** The fake local server: posts ready soon after it is forked; exits when killed. */
const forks: { env: Record<string, string>; child: EventEmitter & { kill(): boolean } }[] = [];
const utilityProcess = {
  fork(_entry: string, _args: string[], options: { env: Record<string, string> }) {
    const child = Object.assign(new EventEmitter(), {
      postMessage: () => {},
      kill() {
        setImmediate(() => child.emit('exit', 0));
        return true;
      },
    });
    forks.push({ env: options.env, child });
    setImmediate(() => child.emit('message', { type: 'ready', port: PORT, urls }));
    return child;
  },
};
const trays: { menu: unknown }[] = [];
const ipcHandled: string[] = [];
const blockers: string[] = [];
const fakeElectron = {
  app,
  screen: screenApi,
  session: { defaultSession },
  BrowserWindow: FakeWindow,
  utilityProcess,
  ipcMain: { handle: (channel: string) => ipcHandled.push(channel), removeHandler: () => {} },
  Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: () => {} },
  Tray: class {
    menu: unknown = null;
    constructor() {
      trays.push(this);
    }
    setToolTip() {}
    setContextMenu(menu: unknown) {
      this.menu = menu;
    }
  },
  nativeImage: { createFromDataURL: (url: string) => ({ url }) },
  dialog: { showMessageBox: () => Promise.resolve({ response: 1 }), showErrorBox: () => {} },
  powerSaveBlocker: {
    start: (type: string) => blockers.push(type),
    stop: () => {},
    isStarted: () => true,
  },
  safeStorage: {
    isEncryptionAvailable: () => false,
    getSelectedStorageBackend: () => 'basic_text',
  },
};
const fakeLog = {
  transports: { file: { getFile: () => ({ path: path.join(userData, 'logs/main.log') }) }, console: {} },
  functions: {},
  errorHandler: { startCatching: () => {} },
  info: () => {},
  warn: () => {},
  error: () => {},
};
const fakes: Record<string, unknown> = {
  electron: fakeElectron,
  'electron-log/main': fakeLog, // CommonJS: the module is the logger
  'electron-updater': { autoUpdater: {} },
};

const moduleApi = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const realLoad = moduleApi._load;
const savedDataDir = process.env.CFD_DATA_DIR;
const realConsole = { log: console.log, warn: console.warn, error: console.error };
afterAll(() => {
  moduleApi._load = realLoad;
  if (savedDataDir === undefined) delete process.env.CFD_DATA_DIR;
  else process.env.CFD_DATA_DIR = savedDataDir;
  Object.assign(console, realConsole);
  fs.rmSync(userData, { recursive: true, force: true });
});

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const byTitle = (title: string) => windows.find((w) => w.options.title === title)!;

describe('electron main, launched with fake Electron', () => {
  it('starts the server, opens and places the windows, follows an unplug and a crash, and quits cleanly', async () => {
    const out = await build({
      entryPoints: [path.join(ROOT, 'electron/main/index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      packages: 'external',
      external: ['electron'],
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    process.env.CFD_DATA_DIR = path.join(userData, 'data');
    moduleApi._load = function (request: string, ...rest: unknown[]) {
      return request in fakes ? fakes[request] : realLoad.call(this, request, ...rest);
    };
    const mod = new Module(MAIN_FILE) as Module & {
      _compile(code: string, file: string): void;
      paths: string[];
    };
    mod.filename = MAIN_FILE;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
      path.dirname(MAIN_FILE),
    );
    mod._compile(out.outputFiles[0]!.text, MAIN_FILE);
    await tick(50);

    // The server: data folder, port 0 at first, one launch secret.
    expect(forks).toHaveLength(1);
    expect(forks[0]!.env).toMatchObject({ CFD_DATA_DIR: path.join(userData, 'data'), CFD_PORT: '0' });
    expect(forks[0]!.env.CFD_TOKEN).toMatch(/^[\w-]{32}$/);

    // Three windows on their pages, locked down.
    expect(windows.map((w) => w.options.title)).toEqual(['Receção', 'Check-in', 'Sala de espera']);
    for (const w of windows) {
      expect(w.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        preload: path.join(ROOT, 'dist/electron/preload.cjs'),
      });
      expect(w.webContents.calls).toContainEqual(['setWindowOpenHandler', { action: 'deny' }]);
      expect(w.webContents.listenerCount('will-navigate')).toBe(1);
    }
    const [desk, kiosk, tv] = [byTitle('Receção'), byTitle('Check-in'), byTitle('Sala de espera')];
    expect(desk.webContents.loads).toEqual([urls.desk]);
    expect(kiosk.bounds).toEqual(displays[1]!.bounds);
    expect(kiosk.kioskState()).toBe(true);
    expect(tv.bounds).toEqual(displays[2]!.bounds);
    expect(tv.full).toBe(true);
    expect(tv.webContents.css).toEqual(['* { cursor: none !important; }']);
    expect(blockers).toEqual(['prevent-display-sleep']);
    expect(kiosk.calls.filter((c) => c[0] === 'setMenu')).toEqual([['setMenu', null]]);
    expect(sessionCalls.map((c) => c[0])).toEqual(
      expect.arrayContaining([
        'setPermissionRequestHandler',
        'setPermissionCheckHandler',
        'onBeforeRequest',
        'onHeadersReceived',
      ]),
    );
    expect(ipcHandled.length).toBeGreaterThan(5);
    expect(trays).toHaveLength(1);
    const trayLabels = (trays[0]!.menu as { template: { label?: string }[] }).template.map((m) => m.label);
    expect(trayLabels).toContain('Servidor local: a funcionar');

    // The TV is unplugged: the display becomes a normal window on the desk's screen.
    displays = displays.slice(0, 2);
    screenApi.emit('display-removed');
    expect(tv.full).toBe(false);
    expect(tv.bounds).toEqual({ x: 80, y: 80, width: 1280, height: 720 });
    expect(kiosk.kioskState()).toBe(true);

    // The server crashes: restarted after 1 s on the same port; the pages are not reloaded.
    forks[0]!.child.emit('exit', 1);
    await tick(1300);
    expect(forks).toHaveLength(2);
    expect(forks[1]!.env.CFD_PORT).toBe(String(PORT));
    expect(forks[1]!.env.CFD_TOKEN).toBe(forks[0]!.env.CFD_TOKEN);
    expect(windows).toHaveLength(3);
    expect(windows.map((w) => w.webContents.loads.length)).toEqual([1, 1, 1]);

    // Staff closed the display window; the tray's "restore" reopens it and re-locks the kiosk.
    tv.emit('closed');
    const kioskLocks = kiosk.calls.filter((c) => c[0] === 'setKiosk' && c[1] === true).length;
    const menu = (trays[0]!.menu as { template: { label?: string; click?: () => void }[] }).template;
    menu.find((m) => m.label === 'Repor check-in e sala de espera')!.click!();
    expect(windows.map((w) => w.options.title)).toEqual([
      'Receção',
      'Check-in',
      'Sala de espera',
      'Sala de espera',
    ]);
    expect(windows[3]!.webContents.loads).toEqual([urls.display]);
    expect(kiosk.calls.filter((c) => c[0] === 'setKiosk' && c[1] === true)).toHaveLength(kioskLocks + 1);

    // Quit: the first before-quit is held until the server has exited, then quit goes ahead.
    let prevented = 0;
    app.emit('before-quit', { preventDefault: () => (prevented += 1) });
    expect(prevented).toBe(1);
    await tick(50);
    expect(app.quits).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(userData, 'window-state.json'), 'utf8')).desk.bounds).toEqual(
      desk.bounds,
    );
  });
});
