/**
 * The SQLSTATE of a database error, on either driver: node-postgres and PGlite put it in `code`, and
 * Drizzle wraps the driver's error in `cause`, so the chain is walked (5 levels at most). Codes used:
 * 23505 unique violation, 23P01 exclusion violation, 40P01 deadlock (PostgreSQL appendix A).
 */

/** The first 5-character SQLSTATE found on `err` or its causes, or undefined. */
export function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
