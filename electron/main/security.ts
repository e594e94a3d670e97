/**
 * Electron hardening (issue 11 part 3; Electron's security checklist, 17 items, /work/shared/reference/
 * security.md; the table with each item's test is in docs/security.md "Desktop app (Electron checklist)").
 *
 * Every decision is a pure function (`webPreferencesFor`, `permissionDecision`, `navigationAllowed`,
 * `requestAllowed`, `withCsp`, …) and the adapters (`lockDownSession`, `lockDownContents`) take the
 * session or webContents as an argument, so this module imports only electron's types and unit tests
 * drive it with fakes. In short: windows run with context isolation, sandbox and no Node, with our own
 * preload only; they load nothing but the local server's loopback origin (and data:/blob: URLs); they
 * cannot navigate away, open windows or attach webviews; a strict CSP is set on every response; the only
 * permission ever granted is the camera (video "media"), to our origin, in the desk and kiosk windows.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import path from 'node:path';

/** The app's windows. */
export type WindowRole = 'desk' | 'kiosk' | 'display';

/** Windows that may use the camera: the kiosk (check-in) and the desk (enrolment). */
export const CAMERA_ROLES: readonly WindowRole[] = ['desk', 'kiosk'];

/** File name of the windows' preload bundle (scripts/build-main.mjs), beside main's bundle. */
export const PRELOAD_FILE = 'preload.cjs';

/**
 * The Content-Security-Policy main sets on every response of the local server (checklist item 7). It
 * matches the pages' own (server/clinic/http/pages.ts): the browser enforces both, so main's must allow
 * what the pages need (camera frames and images as blob:/data:) and nothing more.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The webPreferences of a window (checklist items 2, 3, 4, 6, 8, 9, 10, 11 and devtools): context
 * isolation, sandbox, no Node anywhere, web security on, no insecure content, no experimental or Blink
 * features, no <webview>, our preload only, devtools only when not packaged. The display and kiosk keep
 * running at full speed when not focused (no background throttling); the display may play its chime
 * without a user gesture.
 * @param role the window
 * @param options `mainDir`: the folder of main's bundle (the preload lies beside it); `packaged`: app.isPackaged
 */
export function webPreferencesFor(
  role: WindowRole,
  options: { mainDir: string; packaged: boolean },
): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: !options.packaged,
    preload: path.join(path.resolve(options.mainDir), PRELOAD_FILE),
    backgroundThrottling: role === 'desk',
    ...(role === 'display' ? { autoplayPolicy: 'no-user-gesture-required' as const } : {}),
  };
}

/**
 * Whether `origin` is a loopback http origin (the local server listens on 127.0.0.1; checklist item 1:
 * no remote content, and loopback traffic never leaves the machine).
 */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (
      url.protocol === 'http:' &&
      url.origin === origin &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** What a permission request or check is about. */
export interface PermissionQuery {
  /** Electron's permission name, e.g. 'media', 'geolocation', 'notifications'. */
  permission: string;
  /** The requesting page's URL or origin. */
  requestingUrl: string;
  /** The local server's origin, or null before it is ready. */
  origin: string | null;
  /** The window asking, or null when unknown (e.g. a check without a webContents). */
  role: WindowRole | null;
  /** For 'media': the media types asked for (request) or checked (check); audio is never granted. */
  mediaTypes?: readonly string[];
}

/**
 * Checklist item 5: grants only the camera ('media' for video), only to the local server's origin,
 * only in the desk and kiosk windows; denies everything else (microphone, notifications, geolocation,
 * HID/USB/serial, screen capture, …). Without a handler Electron grants every permission.
 */
export function permissionDecision(query: PermissionQuery): boolean {
  if (query.permission !== 'media') return false;
  if (!query.origin || originOf(query.requestingUrl) !== query.origin) return false;
  if (!query.role || !CAMERA_ROLES.includes(query.role)) return false;
  return !(query.mediaTypes ?? []).includes('audio');
}

/**
 * Checklist item 13: a window may navigate only within the local server's origin.
 * @param url where the page wants to go
 * @param origin the local server's origin, or null before it is ready (nothing allowed)
 */
export function navigationAllowed(url: string, origin: string | null): boolean {
  return origin !== null && originOf(url) === origin;
}

/**
 * Checklist item 1 (no remote content): which requests the default session lets through. The local
 * server's origin (pages, API, SSE), inline `data:` and `blob:` URLs (camera frames, the error page, the
 * print window's ticket), and `devtools:` when not packaged; every other URL is cancelled.
 */
export function requestAllowed(url: string, origin: string | null, packaged: boolean): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  if (!packaged && url.startsWith('devtools:')) return true;
  return origin !== null && originOf(url) === origin;
}

/**
 * Checklist item 7: response headers with main's CSP added to the local server's responses (kept beside
 * the server's own, which the browser enforces too); other responses unchanged.
 * @param headers the response headers as Electron gives them
 */
export function withCsp(
  headers: Record<string, string[]> | undefined,
  url: string,
  origin: string | null,
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...(headers ?? {}) };
  if (origin === null || originOf(url) !== origin) return out;
  const key = Object.keys(out).find((k) => k.toLowerCase() === 'content-security-policy');
  if (key) out[key] = [...(out[key] ?? []), APP_CSP];
  else out['Content-Security-Policy'] = [APP_CSP];
  return out;
}

/** The Session methods lockDownSession uses; Electron's Session satisfies it. */
export type SessionLike = Pick<
  Session,
  | 'setPermissionRequestHandler'
  | 'setPermissionCheckHandler'
  | 'setDevicePermissionHandler'
  | 'setDisplayMediaRequestHandler'
> & { webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'> };

/**
 * Installs the session's policies: permission request and check handlers (`permissionDecision`), no
 * HID/USB/serial devices, no screen capture, requests limited by `requestAllowed`, CSP by `withCsp`.
 * @param ses the default session
 * @param origin the local server's origin, or null before it is ready
 * @param roleOf which window a webContents is (null: none of ours, e.g. the hidden print window)
 * @param packaged app.isPackaged
 */
export function lockDownSession(
  ses: SessionLike,
  origin: () => string | null,
  roleOf: (contents: WebContents) => WindowRole | null,
  packaged: boolean,
): void {
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(
      permissionDecision({
        permission,
        requestingUrl: details.requestingUrl || contents.getURL(),
        origin: origin(),
        role: roleOf(contents),
        ...(mediaTypes ? { mediaTypes } : {}),
      }),
    );
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    permissionDecision({
      permission,
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      origin: origin(),
      role: contents ? roleOf(contents) : null,
      ...(details.mediaType ? { mediaTypes: [details.mediaType] } : {}),
    }),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !requestAllowed(details.url, origin(), packaged) }),
  );
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details.responseHeaders, details.url, origin()) }),
  );
}

/** The WebContents members lockDownContents uses; Electron's WebContents satisfies it. */
export type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

/**
 * Per window (checklist items 11–14 and devtools): navigation and redirects only within the local
 * server's origin, every new window denied (window.open, target=_blank; never `shell.openExternal`),
 * <webview> attachment refused, devtools closed at once when packaged.
 */
export function lockDownContents(
  contents: ContentsLike,
  origin: () => string | null,
  packaged: boolean,
): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!navigationAllowed(url, origin())) event.preventDefault();
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (packaged) contents.on('devtools-opened', () => contents.closeDevTools());
}
