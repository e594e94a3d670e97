/** The Hono environment every clinic route shares: what the security middleware puts on the context. */
import type { Actor } from '../db/changes.ts';

/** `c.var.actor`: who is calling, from the request's credential (server/clinic/http/security.ts). */
export interface AppEnv {
  Variables: { actor: Actor };
}
