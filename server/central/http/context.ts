/**
 * Per-request variables of the central API (Hono `Env`): who is calling, once the auth middleware
 * (http/auth.ts) has checked their access token.
 */

/** A logged-in patient: their account and the session (refresh-token family) the token belongs to. */
export interface Caller {
  accountId: string;
  sessionId: string;
}

/** Hono env of the central API. */
export interface CentralEnv {
  Variables: {
    caller: Caller;
  };
}
