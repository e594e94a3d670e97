/**
 * Zod contracts of the clinic's staff accounts, sessions and paired devices (local server
 * `/api/auth/*`, `/api/staff/*`, `/api/devices/*`), shared by the routes and the desk's forms.
 *
 * Rules and their sources:
 * - roles: `admin` (everything, incl. staff, face thresholds, masking policy, audit), `receptionist`
 *   (the desk's day), `practitioner` (their own queue); what each may call is the allow-list in
 *   server/clinic/http/access.ts;
 * - usernames: 3–40 characters, lowercase letters, digits, '.', '_' or '-', starting with a letter
 *   (unique, case-insensitive);
 * - passwords: the patient-account rules (server/domain/accounts.ts: 10–128 characters, not a common one;
 *   OWASP ASVS 2.1);
 * - PIN: 4–8 digits, not all the same digit and not a run like 1234 / 4321 (NIST SP 800-63B §5.1.1.2
 *   "repetitive or sequential characters"); a PIN only unlocks a locked session of the same person, it
 *   never logs anyone in;
 * - sessions: access token 15 min, idle 30 min, absolute 12 h (security.md, staff); the desk locks its
 *   screen after `LOCK_AFTER_MIN` minutes without input;
 * - pairing codes: 6 digits, valid 10 minutes, one use.
 */
import { z } from 'zod';
import { currentPassword, newPassword, personName } from './accounts.ts';
import { freeText } from './text.ts';

/** Staff roles, most powerful first. */
export const STAFF_ROLES = ['admin', 'receptionist', 'practitioner'] as const;
/** A staff role. */
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Kinds of paired device. */
export const DEVICE_KINDS = ['kiosk', 'display'] as const;
/** A device kind. */
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Lifetime of a staff access token, seconds (security.md: ≤ 15 min). */
export const ACCESS_TTL_SEC = 15 * 60;
/** A staff session ends this long after its last refresh, seconds (security.md: idle 30 min). */
export const SESSION_IDLE_SEC = 30 * 60;
/** A staff session ends this long after login whatever happens, seconds (security.md: absolute 12 h). */
export const SESSION_ABSOLUTE_SEC = 12 * 60 * 60;
/** The desk locks itself after this many minutes without keyboard, pointer or touch input. */
export const LOCK_AFTER_MIN = 5;
/** Wrong PINs on a locked session before it is ended (the password is then needed). */
export const MAX_PIN_FAILURES = 5;
/** A pairing code is valid this long, ms. */
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

/** A username: 3–40 of a–z 0–9 . _ -, starting with a letter; lowercased. */
export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9._-]{2,39}$/, '3–40 letters, digits, dots, dashes or underscores, from a letter');

/** True for a PIN of one repeated digit or a run up or down (1234, 9876, 0123…). */
export function isTrivialPin(pin: string): boolean {
  const d = [...pin].map(Number);
  const steps = d.slice(1).map((x, i) => x - d[i]!);
  return steps.every((s) => s === 0) || steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

/** A quick-unlock PIN: 4–8 digits, not trivial. */
export const pin = z
  .string()
  .regex(/^\d{4,8}$/, '4 to 8 digits')
  .refine((p) => !isTrivialPin(p), { message: 'too easy to guess (repeated or consecutive digits)' });

/** `POST /api/auth/login`. */
export const staffLoginInput = z.object({
  username: z.string().trim().toLowerCase().max(80),
  password: currentPassword,
});
/** `POST /api/auth/setup` (first run only): the clinic's first admin. */
export const firstAdminInput = z.object({ username, displayName: personName, password: newPassword });
/** `POST /api/auth/unlock`: the PIN, or the password when no PIN is set. */
export const unlockInput = z.union([
  z.object({ pin: z.string().max(16) }),
  z.object({ password: currentPassword }),
]);
/** `PUT /api/auth/pin`: sets the caller's PIN (their password proves it is them). */
export const setPinInput = z.object({ pin, password: currentPassword });
/** `POST /api/auth/password`: the caller changes their own password (other sessions are ended). */
export const changeStaffPasswordInput = z.object({ currentPassword, newPassword });

/** `POST /api/staff`: a new account (admin only). */
export const newStaffInput = z
  .object({
    username,
    displayName: personName,
    role: z.enum(STAFF_ROLES),
    practitionerId: z.string().min(1).max(64).nullable().default(null),
    password: newPassword,
  })
  .refine((s) => s.role !== 'practitioner' || s.practitionerId !== null, {
    message: 'a practitioner account names its practitioner',
    path: ['practitionerId'],
  });
/** `PATCH /api/staff/:id` (admin only): any of these; `password` resets it and ends their sessions. */
export const staffPatchInput = z.strictObject({
  displayName: personName.optional(),
  role: z.enum(STAFF_ROLES).optional(),
  practitionerId: z.string().min(1).max(64).nullable().optional(),
  active: z.boolean().optional(),
  password: newPassword.optional(),
});

/** A staff account as the API shows it (never a hash). */
export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  practitionerId: string | null;
  active: boolean;
  hasPin: boolean;
  createdAt: string;
}

/** `GET /api/auth/me`: who is logged in at this desk. */
export interface Me {
  staff: StaffView;
  /** When the session ends at the latest (absolute timeout), ISO-8601 UTC. */
  sessionExpiresAt: string;
  /** Minutes without input before the desk locks itself. */
  lockAfterMin: number;
}

/** `POST /api/devices/pairing-codes` (desk): a code for a kiosk or display to pair with. */
export const pairingCodeInput = z.object({
  kind: z.enum(DEVICE_KINDS),
  name: freeText(60),
});
/** `POST /api/devices/pair` (the device, no credentials): the code shown at the desk. */
export const pairInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '6 digits'),
});

/** A paired device as the desk lists it. */
export interface DeviceView {
  id: string;
  kind: DeviceKind;
  name: string;
  createdBy: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}
