/** The Hono environment every clinic route shares: what the security middleware puts on the context. */
import type { DeviceKind, StaffRole } from '../../domain/staff.ts';
import type { Actor } from '../db/changes.ts';

/** A logged-in staff member (server/clinic/features/staff/sessions.ts). */
export interface StaffCaller {
  kind: 'staff';
  role: StaffRole;
  staffId: string;
  username: string;
  displayName: string;
  /** The practitioner whose queue a practitioner account works; null for other roles. */
  practitionerId: string | null;
  sessionId: string;
  /** When the session ends at the latest (absolute timeout), ISO-8601 UTC. */
  expiresAt: string;
  /** The session is locked: only unlock, me and logout are served. */
  locked: boolean;
}

/** A kiosk or display: the Electron app's own window (`deviceId` null) or a paired device. */
export interface DeviceCaller {
  kind: 'device';
  role: DeviceKind;
  deviceId: string | null;
}

/** Who is calling, from the request's credential (server/clinic/http/security.ts). */
export type Caller = StaffCaller | DeviceCaller;

/**
 * `c.var.caller`: who is calling (null on a public route called without credentials); `c.var.actor`:
 * how the audit log names them (server/clinic/db/changes.ts `Actor`); `c.var.sessionExpired`: a staff
 * token was presented but its session has ended (the 401 then says `session_expired`).
 */
export interface AppEnv {
  Variables: { actor: Actor; caller: Caller | null; sessionExpired: boolean };
}
