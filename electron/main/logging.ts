/**
 * Main's log: electron-log writing to a rotating file (5 MiB, three archives: ./logging-rotation.ts) in the
 * OS's log folder — `~/.config/Clinic Front Desk/logs/main.log` on Linux, `%APPDATA%\Clinic Front
 * Desk\logs\main.log` on Windows, `~/Library/Logs/Clinic Front Desk/main.log` on macOS — and to the
 * console. Main's own console output and uncaught errors go there too; the server child's stdout/stderr
 * are piped in by the server host (electron/main/server-host.ts). Holds no patient data: the server's
 * log lines carry none (server/clinic/lib/log.ts).
 */
import log from 'electron-log/main';
import { LOG_ARCHIVES, MAX_LOG_BYTES, rotateLogFile } from './logging-rotation.ts';

/** Where the log goes, for the About screen, the README and support requests. */
export interface LoggingSetup {
  /** Absolute path of the live log file. */
  logFile: string;
}

/**
 * Configures electron-log once, before anything logs: file transport with rotation, console transport,
 * `console.*` of main routed through it, uncaught errors and unhandled rejections logged.
 * @returns the live log file's path
 */
export function setupLogging(): LoggingSetup {
  log.transports.file.maxSize = MAX_LOG_BYTES;
  log.transports.file.archiveLogFn = (file) => {
    rotateLogFile(file.path, LOG_ARCHIVES);
  };
  log.transports.file.level = 'info';
  log.transports.console.level = 'info';
  Object.assign(console, log.functions);
  log.errorHandler.startCatching({ showDialog: false });
  return { logFile: log.transports.file.getFile().path };
}

/** The configured logger, for modules that log through it (updates.ts, the server host). */
export { log };
