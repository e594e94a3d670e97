/**
 * Electron hardening (Electron security checklist; shared/reference/security.md): every window runs with
 * contextIsolation + sandbox and no Node; navigation and new windows are denied outside the local server's
 * origin; the only permission granted is the camera ("media"), and only to that origin.
 */
import { session, type BrowserWindowConstructorOptions, type WebContents } from 'electron';

/** The webPreferences every BrowserWindow gets: context isolation, sandbox, no Node, web security on. */
export function secureWebPreferences(): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    spellcheck: false,
  };
}

/**
 * Grants the camera ("media") permission to `origin` only and denies every other permission request and check
 * on the default session.
 * @param origin the local server's origin, e.g. `http://127.0.0.1:PORT`
 */
export function lockDownSession(origin: string): void {
  session.defaultSession.setPermissionRequestHandler((webContents, permission, callback) => {
    callback(permission === 'media' && new URL(webContents.getURL()).origin === origin);
  });
  session.defaultSession.setPermissionCheckHandler(
    (_wc, permission, requestingOrigin) => permission === 'media' && requestingOrigin === origin,
  );
}

/**
 * Blocks navigation of `contents` away from `origin` and denies every new window
 * (window.open, target=_blank).
 * @param origin the local server's origin; same-origin navigation stays allowed
 */
export function lockDownContents(contents: WebContents, origin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
