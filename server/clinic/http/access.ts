/**
 * Who may call which route of the local server: one allow-list, in one place (security.md
 * "Authorization: every route has an allow-list of roles, tested"). The key is `METHOD path` exactly as
 * Hono registered it (`GET /api/patients/:id/face`); the value lists the callers allowed, or `'public'`
 * for a route anyone may call (login, pairing). `authorize` (server/clinic/http/security.ts) looks the
 * matched route up and refuses, with 403 `forbidden`, any caller not listed — and any route missing from
 * this table, for every caller (fail closed). The authorization matrix test
 * (server/clinic/http/access.test.ts) walks every registered route × every caller and fails on a route
 * missing here.
 *
 * Callers:
 * - staff roles (a logged-in account): `admin` (everything, incl. staff, face thresholds, masking policy,
 *   audit), `receptionist` (the desk's day: patients, booking, check-in, payments, enrolment),
 *   `practitioner` (the board and their own queue: the services check "own");
 * - device kinds (a paired device token, or the Electron app's own windows): `kiosk` (identification and
 *   check-in only), `display` (the masked public feed only).
 */

import { DEVICE_KINDS, STAFF_ROLES } from '../../domain/staff.ts';

/** Every kind of caller the matrix names. */
export const CALLERS = [...STAFF_ROLES, ...DEVICE_KINDS] as const;
/** A kind of caller. */
export type CallerKind = (typeof CALLERS)[number];

const ADMIN = ['admin'] as const;
const DESK = ['admin', 'receptionist'] as const;
const STAFF = ['admin', 'receptionist', 'practitioner'] as const;
const KIOSK = ['kiosk'] as const;

/** The allow-list: `METHOD /path` → callers allowed, or 'public'. */
export const ROUTE_ACCESS: Readonly<Record<string, readonly CallerKind[] | 'public'>> = {
  // Staff sessions (server/clinic/features/staff): login and first-run setup are public (setup also needs
  // the desk's launch credential); a locked session may only call me, unlock and logout.
  'GET /api/auth/status': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': STAFF,
  'GET /api/auth/me': STAFF,
  'POST /api/auth/lock': STAFF,
  'POST /api/auth/unlock': STAFF,
  'PUT /api/auth/pin': STAFF,
  'POST /api/auth/password': STAFF,
  'GET /api/staff': ADMIN,
  'POST /api/staff': ADMIN,
  'PATCH /api/staff/:id': ADMIN,

  // Paired devices: the desk makes codes and revokes; the device pairs with a code (throttled).
  'POST /api/devices/pairing-codes': DESK,
  'POST /api/devices/pair': 'public',
  'GET /api/devices': DESK,
  'POST /api/devices/:id/revoke': DESK,

  // Health: every screen shows whether the face engine is ready.
  'GET /api/health': [...STAFF, 'kiosk', 'display'],

  // Settings: everyone on staff reads them; only an admin changes thresholds and the masking policy.
  'GET /api/settings': STAFF,
  'PATCH /api/settings': ADMIN,

  // The day's board and its changes.
  'GET /api/board': STAFF,
  'GET /api/board/stream': STAFF,
  'POST /api/appointments': DESK,
  'POST /api/walk-ins': DESK,
  'POST /api/appointments/:id/status': STAFF,
  'POST /api/queue/call-next': STAFF,
  'POST /api/appointments/:id/call': STAFF,
  'POST /api/appointments/:id/recall': STAFF,
  'POST /api/appointments/:id/move': DESK,
  'POST /api/board/undo': STAFF,

  // The waiting-room display's masked public feed (staff may preview it).
  'GET /api/display': [...STAFF, 'display'],
  'GET /api/display/stream': [...STAFF, 'display'],

  // Patients.
  'GET /api/patients': DESK,
  'POST /api/patients': DESK,
  // The same-patient merge (issue 9): suggestions, the staff merge, the portal invitation.
  'GET /api/patients/:id/same-person': DESK,
  'POST /api/patients/:id/merge': DESK,
  'POST /api/patients/:id/portal-invite': DESK,
  'GET /api/patients/:id': DESK,

  // Face enrolment (consent recorded at the desk); only an admin rotates the key.
  'GET /api/patients/:id/face': DESK,
  'POST /api/patients/:id/face': DESK,
  'DELETE /api/patients/:id/face': DESK,
  'POST /api/face/check': DESK,
  'POST /api/face/rotate-key': ADMIN,

  // The kiosk: identification and check-in only.
  'GET /api/kiosk/settings': KIOSK,
  'POST /api/kiosk/frames': KIOSK,
  'POST /api/kiosk/code': KIOSK,
  'POST /api/kiosk/confirm': KIOSK,
  'POST /api/kiosk/face/withdraw': KIOSK,
  // Electron main checks a staff PIN before the kiosk window leaves kiosk mode (features/kiosk/exit.ts).
  'POST /api/kiosk/exit-check': KIOSK,

  // Management.
  'GET /api/analytics': ADMIN,
  'GET /api/analytics.csv': ADMIN,
  'GET /api/audit': ADMIN,
  'GET /api/audit.csv': ADMIN,

  // The desk's calendar: any day, booking, moving and cancelling.
  'GET /api/calendar': DESK,
  'GET /api/calendar/slots': DESK,
  'POST /api/calendar/appointments': DESK,
  'POST /api/appointments/:id/reschedule': DESK,
  'POST /api/appointments/:id/cancel': DESK,

  // Payments at the desk.
  'GET /api/appointments/:id/payment': DESK,
  'POST /api/appointments/:id/payments': DESK,
  'POST /api/payments/:id/void': DESK,
  'GET /receipts/:id': DESK,

  // First-run setup and the admin's configuration (server/clinic/features/setup). The state is read by
  // every staff screen (the desk decides whether to show the wizard); practitioners' public photos by
  // every screen (the kiosk and the display show them); every change is the admin's.
  'GET /api/setup': STAFF,
  'PUT /api/setup/clinic': ADMIN,
  'POST /api/rooms': ADMIN,
  'PATCH /api/rooms/:id': ADMIN,
  'POST /api/practitioners': ADMIN,
  'PATCH /api/practitioners/:id': ADMIN,
  'PUT /api/practitioners/:id/photo': ADMIN,
  'GET /api/practitioners/:id/photo': [...STAFF, 'kiosk', 'display'],
  'POST /api/specialties': ADMIN,
  'PATCH /api/specialties/:id': ADMIN,
  'PUT /api/opening-hours': ADMIN,

  // Sync with the central API (server/clinic/sync): every staff screen shows the state; only an admin
  // pairs the clinic or rotates its credential.
  'GET /api/sync/status': STAFF,
  'POST /api/sync/pair': ADMIN,
  'POST /api/sync/rotate': ADMIN,
};

/** The matrix key of a route. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/**
 * Whether `caller` may call the route `key`: false for a route missing from the table.
 * @param caller null for a request without credentials
 */
export function allowed(key: string, caller: CallerKind | null): boolean {
  const rule = ROUTE_ACCESS[key];
  if (rule === undefined) return false;
  if (rule === 'public') return true;
  return caller !== null && rule.includes(caller);
}

/**
 * The allow-list as a Markdown table (docs/access-matrix.md): one row per route, one column per caller,
 * ✓ where allowed; public routes say so.
 */
export function renderAccessMatrix(): string {
  const head = `| Route | ${CALLERS.join(' | ')} |\n|---|${CALLERS.map(() => ':-:').join('|')}|\n`;
  const rows = Object.entries(ROUTE_ACCESS)
    .map(([key, rule]) =>
      rule === 'public'
        ? `| \`${key}\` | ${CALLERS.map(() => 'public').join(' | ')} |`
        : `| \`${key}\` | ${CALLERS.map((c) => (rule.includes(c) ? '✓' : '')).join(' | ')} |`,
    )
    .join('\n');
  return (
    '# Who may call what (local server)\n\n' +
    'Generated from `server/clinic/http/access.ts` by `npm run docs:access`; the authorization matrix test\n' +
    '(`server/clinic/http/access.test.ts`) fails when this file, the allow-list and the routes disagree.\n' +
    'Staff roles log in (`admin`, `receptionist`, `practitioner`: a practitioner works their own queue);\n' +
    "`kiosk` and `display` are paired devices or the Electron app's own windows. Anything not listed is\n" +
    'refused for everyone.\n\n' +
    head +
    rows +
    '\n'
  );
}
