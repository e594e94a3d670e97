/**
 * Whether and where the app checks for updates (electron/main/updates.ts), as a pure decision in plain
 * Node so Vitest reaches it. Updates are off unless a feed URL is given (CFD_UPDATE_URL) and the app is
 * packaged; the feed is electron-builder's "generic" provider: a folder served over HTTPS holding the
 * installers and the `latest.yml` / `latest-linux.yml` / `latest-mac.yml` files the build writes.
 */

/** Platforms electron-updater updates: NSIS on Windows, dmg/zip on macOS, AppImage and deb on Linux. */
export const UPDATABLE_PLATFORMS: readonly NodeJS.Platform[] = ['win32', 'darwin', 'linux'];

/** Time between update checks while the app runs, ms (6 h): kiosks and displays run for days. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** Why no update check runs. */
export type NoUpdateReason = 'not-packaged' | 'no-feed' | 'invalid-feed' | 'unsupported-platform';

/** The decision: check a generic feed at `url`, or do nothing for `reason`. */
export type UpdatePlan =
  { check: true; feed: { provider: 'generic'; url: string } } | { check: false; reason: NoUpdateReason };

/** Inputs of updatePlan: electron's `app.isPackaged`, the feed URL (CFD_UPDATE_URL) and `process.platform`. */
export interface UpdatePlanInput {
  isPackaged: boolean;
  feedUrl: string | undefined;
  platform: NodeJS.Platform;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Decides the update check. Rules, in order: no feed URL (unset or blank) → `no-feed`; a development
 * run (not packaged) → `not-packaged`; a platform electron-updater cannot update → `unsupported-platform`;
 * a URL that is not https (plain http only on a loopback host, for a local test feed) or carries
 * credentials → `invalid-feed`. Otherwise check `url` (trimmed, with a trailing slash removed).
 */
export function updatePlan(input: UpdatePlanInput): UpdatePlan {
  const raw = input.feedUrl?.trim();
  if (!raw) return { check: false, reason: 'no-feed' };
  if (!input.isPackaged) return { check: false, reason: 'not-packaged' };
  if (!UPDATABLE_PLATFORMS.includes(input.platform)) return { check: false, reason: 'unsupported-platform' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { check: false, reason: 'invalid-feed' };
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || url.username || url.password) return { check: false, reason: 'invalid-feed' };
  return { check: true, feed: { provider: 'generic', url: url.href.replace(/\/$/, '') } };
}
