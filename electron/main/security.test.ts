/**
 * Electron's security checklist (17 items; docs/security.md "Desktop app (Electron checklist)"), one
 * `describe` per item, on ./security.ts's pure policies and its adapters driven with a fake session and
 * fake webContents. Item 17 (IPC sender) is E2's `senderScreen` (./ipc.ts), asserted here as well.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { senderScreen } from './ipc.ts';
import {
  APP_CSP,
  isLoopbackOrigin,
  lockDownContents,
  lockDownSession,
  navigationAllowed,
  permissionDecision,
  requestAllowed,
  webPreferencesFor,
  withCsp,
  type ContentsLike,
  type SessionLike,
  type WindowRole,
} from './security.ts';

const ORIGIN = 'http://127.0.0.1:4321';
const ROLES: WindowRole[] = ['desk', 'kiosk', 'display'];
const prefs = (role: WindowRole, packaged = true) =>
  webPreferencesFor(role, { mainDir: '/app/dist/electron', packaged });

/** A fake session recording its handlers. */
function fakeSession() {
  const h: Record<string, (...args: never[]) => unknown> = {};
  const ses = {
    setPermissionRequestHandler: (fn: never) => void (h.request = fn),
    setPermissionCheckHandler: (fn: never) => void (h.check = fn),
    setDevicePermissionHandler: (fn: never) => void (h.device = fn),
    setDisplayMediaRequestHandler: (fn: never) => void (h.displayMedia = fn),
    webRequest: {
      onBeforeRequest: (fn: never) => void (h.before = fn),
      onHeadersReceived: (fn: never) => void (h.headers = fn),
    },
  } as unknown as SessionLike;
  return { ses, h: h as unknown as Record<string, (...args: unknown[]) => unknown> };
}

/** A fake webContents: `emit(name, url)` runs its listeners and returns whether one prevented default. */
function fakeContents() {
  const listeners: Record<string, ((event: unknown) => void)[]> = {};
  let openHandler: (() => unknown) | null = null;
  let devtoolsClosed = 0;
  const contents = {
    on: (name: string, fn: (event: unknown) => void) => {
      (listeners[name] ??= []).push(fn);
      return contents;
    },
    setWindowOpenHandler: (fn: () => unknown) => void (openHandler = fn),
    closeDevTools: () => void (devtoolsClosed += 1),
  };
  return {
    contents: contents as unknown as ContentsLike,
    emit(name: string, url = '') {
      let prevented = false;
      for (const fn of listeners[name] ?? []) fn({ url, preventDefault: () => (prevented = true) });
      return prevented;
    },
    open: () => openHandler?.(),
    devtoolsClosed: () => devtoolsClosed,
  };
}

describe('1. only secure content: nothing but the loopback local server', () => {
  it('accepts loopback http origins only', () => {
    expect(isLoopbackOrigin(ORIGIN)).toBe(true);
    expect(isLoopbackOrigin('http://localhost:80')).toBe(false); // not an origin as URL serialises it
    expect(isLoopbackOrigin('http://localhost')).toBe(true);
    expect(isLoopbackOrigin('http://[::1]:5000')).toBe(true);
    expect(isLoopbackOrigin('http://192.168.1.10:4321')).toBe(false);
    expect(isLoopbackOrigin('https://example.com')).toBe(false);
    expect(isLoopbackOrigin('file:///etc/passwd')).toBe(false);
  });

  it('cancels every request outside our origin, data: and blob:', () => {
    expect(requestAllowed(`${ORIGIN}/api/queue`, ORIGIN, true)).toBe(true);
    expect(requestAllowed('data:text/html,<p>x</p>', ORIGIN, true)).toBe(true);
    expect(requestAllowed(`blob:${ORIGIN}/abc`, ORIGIN, true)).toBe(true);
    expect(requestAllowed('https://cdn.example.com/x.js', ORIGIN, true)).toBe(false);
    expect(requestAllowed('http://127.0.0.1:9999/', ORIGIN, true)).toBe(false);
    expect(requestAllowed('file:///etc/passwd', ORIGIN, true)).toBe(false);
    expect(requestAllowed(`${ORIGIN}/`, null, true)).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/x.html', ORIGIN, true)).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/x.html', ORIGIN, false)).toBe(true);
  });

  it('the session cancels remote requests', () => {
    const { ses, h } = fakeSession();
    lockDownSession(
      ses,
      () => ORIGIN,
      () => 'desk',
      true,
    );
    const answers: unknown[] = [];
    h.before!({ url: 'https://evil.example/' }, (r: unknown) => answers.push(r));
    h.before!({ url: `${ORIGIN}/desk/` }, (r: unknown) => answers.push(r));
    expect(answers).toEqual([{ cancel: true }, { cancel: false }]);
  });
});

describe('2. no Node integration', () => {
  it.each(ROLES)('%s: nodeIntegration, in workers and in subframes all off', (role) => {
    expect(prefs(role)).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });
});

describe('3. context isolation', () => {
  it.each(ROLES)('%s: contextIsolation on', (role) => expect(prefs(role).contextIsolation).toBe(true));
});

describe('4. sandbox', () => {
  it.each(ROLES)('%s: sandbox on, and the preload is ours only', (role) => {
    expect(prefs(role).sandbox).toBe(true);
    expect(prefs(role).preload).toBe(path.resolve('/app/dist/electron/preload.cjs'));
  });
});

describe('5. permission requests', () => {
  const base = {
    permission: 'media',
    requestingUrl: `${ORIGIN}/kiosk/`,
    origin: ORIGIN,
    role: 'kiosk' as const,
  };

  it('grants the camera to our origin in the kiosk and the desk', () => {
    expect(permissionDecision({ ...base, mediaTypes: ['video'] })).toBe(true);
    expect(permissionDecision({ ...base, role: 'desk', requestingUrl: `${ORIGIN}/desk/` })).toBe(true);
  });

  it('denies the display window, other origins, before ready, the microphone and other permissions', () => {
    expect(permissionDecision({ ...base, role: 'display' })).toBe(false);
    expect(permissionDecision({ ...base, role: null })).toBe(false);
    expect(permissionDecision({ ...base, requestingUrl: 'https://evil.example/kiosk/' })).toBe(false);
    expect(permissionDecision({ ...base, origin: null })).toBe(false);
    expect(permissionDecision({ ...base, mediaTypes: ['video', 'audio'] })).toBe(false);
    for (const permission of [
      'geolocation',
      'notifications',
      'display-capture',
      'openExternal',
      'hid',
      'clipboard-read',
    ])
      expect(permissionDecision({ ...base, permission })).toBe(false);
  });

  it('the session handlers apply it by window; devices and screen capture are refused', () => {
    const { ses, h } = fakeSession();
    const roles = new Map<unknown, WindowRole>();
    const kiosk = { getURL: () => `${ORIGIN}/kiosk/` };
    const display = { getURL: () => `${ORIGIN}/display/` };
    roles.set(kiosk, 'kiosk').set(display, 'display');
    lockDownSession(
      ses,
      () => ORIGIN,
      (c) => roles.get(c) ?? null,
      true,
    );
    const granted: boolean[] = [];
    const ask = (wc: unknown, permission: string, mediaTypes?: string[]) =>
      h.request!(wc, permission, (g: boolean) => granted.push(g), {
        requestingUrl: wc === kiosk ? kiosk.getURL() : display.getURL(),
        mediaTypes,
      });
    ask(kiosk, 'media', ['video']);
    ask(kiosk, 'media', ['audio']);
    ask(display, 'media', ['video']);
    ask(kiosk, 'notifications');
    expect(granted).toEqual([true, false, false, false]);
    expect(h.check!(kiosk, 'media', ORIGIN, { requestingUrl: `${ORIGIN}/kiosk/`, mediaType: 'video' })).toBe(
      true,
    );
    expect(h.check!(null, 'media', ORIGIN, { requestingUrl: `${ORIGIN}/kiosk/` })).toBe(false);
    expect(h.check!(display, 'media', ORIGIN, { requestingUrl: `${ORIGIN}/display/` })).toBe(false);
    expect(h.device!({})).toBe(false);
    const streams: unknown[] = [];
    h.displayMedia!({}, (s: unknown) => streams.push(s));
    expect(streams).toEqual([{}]);
  });
});

describe('6. webSecurity', () => {
  it.each(ROLES)('%s: webSecurity on', (role) => expect(prefs(role).webSecurity).toBe(true));
});

describe('7. Content-Security-Policy', () => {
  it('is strict: self only, no objects, no framing, no base', () => {
    const directives = APP_CSP.split('; ');
    expect(directives).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(APP_CSP).not.toContain('unsafe-eval');
    expect(APP_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('is added to our responses beside the server’s own, and leaves others alone', () => {
    expect(withCsp({ 'content-type': ['text/html'] }, `${ORIGIN}/desk/`, ORIGIN)).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [APP_CSP],
    });
    expect(withCsp({ 'content-security-policy': ["default-src 'self'"] }, `${ORIGIN}/`, ORIGIN)).toEqual({
      'content-security-policy': ["default-src 'self'", APP_CSP],
    });
    expect(withCsp({ a: ['1'] }, 'https://other.example/', ORIGIN)).toEqual({ a: ['1'] });
    expect(withCsp(undefined, `${ORIGIN}/`, null)).toEqual({});
  });

  it('the session sets it through onHeadersReceived', () => {
    const { ses, h } = fakeSession();
    lockDownSession(
      ses,
      () => ORIGIN,
      () => 'desk',
      true,
    );
    let answer: unknown;
    h.headers!({ url: `${ORIGIN}/kiosk/`, responseHeaders: {} }, (r: unknown) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'Content-Security-Policy': [APP_CSP] } });
  });
});

describe('8. no insecure content', () => {
  it.each(ROLES)('%s: allowRunningInsecureContent off', (role) =>
    expect(prefs(role).allowRunningInsecureContent).toBe(false),
  );
});

describe('9. no experimental features', () => {
  it.each(ROLES)('%s: experimentalFeatures off', (role) =>
    expect(prefs(role).experimentalFeatures).toBe(false),
  );
});

describe('10. no enableBlinkFeatures', () => {
  it.each(ROLES)('%s: not set', (role) => expect(prefs(role)).not.toHaveProperty('enableBlinkFeatures'));
});

describe('11–12. <webview>: none, and attaching one is refused', () => {
  it.each(ROLES)('%s: webviewTag off', (role) => expect(prefs(role).webviewTag).toBe(false));
  it('will-attach-webview is prevented', () => {
    const c = fakeContents();
    lockDownContents(c.contents, () => ORIGIN, true);
    expect(c.emit('will-attach-webview')).toBe(true);
  });
});

describe('13. navigation limited to our origin', () => {
  it('allows same origin only, nothing before ready', () => {
    expect(navigationAllowed(`${ORIGIN}/desk/?x=1`, ORIGIN)).toBe(true);
    expect(navigationAllowed('http://127.0.0.1:4322/desk/', ORIGIN)).toBe(false);
    expect(navigationAllowed('https://evil.example/', ORIGIN)).toBe(false);
    expect(navigationAllowed('file:///etc/passwd', ORIGIN)).toBe(false);
    expect(navigationAllowed('not a url', ORIGIN)).toBe(false);
    expect(navigationAllowed(`${ORIGIN}/desk/`, null)).toBe(false);
  });

  it('will-navigate and will-redirect away are prevented, within the origin they are not', () => {
    const c = fakeContents();
    lockDownContents(c.contents, () => ORIGIN, true);
    expect(c.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.emit('will-navigate', `${ORIGIN}/kiosk/`)).toBe(false);
    expect(c.emit('will-redirect', `${ORIGIN}/kiosk/`)).toBe(false);
  });
});

describe('14. new windows denied', () => {
  it('window.open and target=_blank are denied', () => {
    const c = fakeContents();
    lockDownContents(c.contents, () => ORIGIN, true);
    expect(c.open()).toEqual({ action: 'deny' });
  });
});

describe('15. no shell.openExternal with untrusted content', () => {
  it('no file of electron/ calls shell.openExternal', () => {
    const dir = path.resolve(__dirname, '..');
    const files = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((f) =>
      /openExternal\s*\(/.test(fs.readFileSync(path.join(dir, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('16. a current Electron', () => {
  it('is a supported major (≥ 39: the latest three when this was written, 41 installed)', () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    expect(Number(pkg.version.split('.')[0])).toBeGreaterThanOrEqual(39);
  });
});

describe('17. IPC sender validated', () => {
  it('only our origin’s screen pages are IPC senders', () => {
    expect(senderScreen(`${ORIGIN}/kiosk/`, ORIGIN)).toBe('kiosk');
    expect(senderScreen('https://evil.example/kiosk/', ORIGIN)).toBeNull();
    expect(senderScreen(`${ORIGIN}/portal/`, ORIGIN)).toBeNull();
    expect(senderScreen(`${ORIGIN}/desk/`, null)).toBeNull();
  });
});

describe('devtools off when packaged', () => {
  it.each(ROLES)('%s: devTools only unpackaged', (role) => {
    expect(prefs(role, true).devTools).toBe(false);
    expect(prefs(role, false).devTools).toBe(true);
  });
  it('a packaged window closes devtools if they open anyway', () => {
    const packaged = fakeContents();
    lockDownContents(packaged.contents, () => ORIGIN, true);
    packaged.emit('devtools-opened');
    expect(packaged.devtoolsClosed()).toBe(1);
    const dev = fakeContents();
    lockDownContents(dev.contents, () => ORIGIN, false);
    dev.emit('devtools-opened');
    expect(dev.devtoolsClosed()).toBe(0);
  });
});
