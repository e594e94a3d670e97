/**
 * Auto-update with electron-updater, off unless a feed URL is set (CFD_UPDATE_URL where the app runs; see
 * README "Build installers"). When ./updates-plan.ts says to check: `setFeedURL` with the generic feed,
 * `checkForUpdatesAndNotify` at start and every UPDATE_CHECK_INTERVAL_MS; the update downloads in the
 * background and installs when the app quits (the OS notification says so). Everything is logged through
 * electron-log (./logging.ts); a failed check is logged and retried at the next interval, never fatal.
 */
import { autoUpdater } from 'electron-updater';
import { log } from './logging.ts';
import { UPDATE_CHECK_INTERVAL_MS, updatePlan, type UpdatePlan } from './updates-plan.ts';

/** Options of setupAutoUpdate: electron's `app.isPackaged` and, for tests of main, the platform. */
export interface AutoUpdateOptions {
  isPackaged: boolean;
  platform?: NodeJS.Platform;
  /** Between checks, ms; default UPDATE_CHECK_INTERVAL_MS (6 h). */
  intervalMs?: number;
}

/** What setupAutoUpdate decided, and how to stop the periodic check (call it on quit). */
export interface AutoUpdate {
  plan: UpdatePlan;
  stop: () => void;
}

/**
 * Starts update checks when `feedUrl` (CFD_UPDATE_URL) is set and the app is packaged; otherwise logs
 * why not and does nothing.
 * @param feedUrl the generic feed's base URL, or undefined
 */
export function setupAutoUpdate(feedUrl: string | undefined, opts: AutoUpdateOptions): AutoUpdate {
  const plan = updatePlan({
    isPackaged: opts.isPackaged,
    feedUrl,
    platform: opts.platform ?? process.platform,
  });
  if (!plan.check) {
    log.info(`updates: off (${plan.reason})`);
    return { plan, stop: () => {} };
  }
  autoUpdater.logger = log;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.setFeedURL(plan.feed);
  const check = () => {
    autoUpdater.checkForUpdatesAndNotify().catch((err: unknown) => {
      log.warn(`updates: check failed: ${(err as Error).message}`);
    });
  };
  log.info(`updates: feed ${plan.feed.url}`);
  check();
  const timer = setInterval(check, opts.intervalMs ?? UPDATE_CHECK_INTERVAL_MS);
  timer.unref();
  return { plan, stop: () => clearInterval(timer) };
}
