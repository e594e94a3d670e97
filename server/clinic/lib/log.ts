/** Minimal structured logger: one JSON line per event on stdout (stderr for errors); no names, no biometrics. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = ORDER[(process.env.CFD_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? 20;

/** Whether messages of `level` are printed (CFD_LOG_LEVEL, default info). */
export function logEnabled(level: LogLevel): boolean {
  return ORDER[level] >= threshold;
}

/**
 * Prints one JSON line `{ t, level, event, ...fields }` (stderr for warn and error) when `level` is at or
 * above CFD_LOG_LEVEL. `fields` must hold no names and no biometric data.
 */
export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < threshold) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}
