/**
 * Demo staff accounts, made with the demo clinic (CFD_DEMO=1) when there are none, and printed at start
 * (README "Run it"): an admin, a receptionist and one practitioner account per demo practitioner. Every
 * demo account has the PIN 2468 for the lock screen. Never used outside the demo.
 */
import { DEMO_PRACTITIONERS } from '../../domain/demo-clinic.ts';
import type { StaffRole } from '../../domain/staff.ts';
import { hashPassword, type Argon2Params } from '../../http/passwords.ts';
import type { DbContext } from '../db/database.ts';
import { countStaff, insertStaff } from '../features/staff/service.ts';

/** One demo login. */
export interface DemoLogin {
  username: string;
  password: string;
  role: StaffRole;
  displayName: string;
  practitionerId: string | null;
}

/** The demo PIN of every demo account. */
export const DEMO_PIN = '2468';

/** The demo logins: admin, receptionist, then one per demo practitioner (`fisio1`…). */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    username: 'admin',
    password: 'admin-demo-2026',
    role: 'admin',
    displayName: 'Administração',
    practitionerId: null,
  },
  {
    username: 'rececao',
    password: 'rececao-demo-2026',
    role: 'receptionist',
    displayName: 'Receção',
    practitionerId: null,
  },
  ...DEMO_PRACTITIONERS.map((p, i) => ({
    username: `fisio${i + 1}`,
    password: 'fisio-demo-2026',
    role: 'practitioner' as const,
    displayName: p.displayName,
    practitionerId: p.id,
  })),
];

/**
 * Makes the demo accounts when the clinic has none (idempotent across restarts).
 * @returns the logins made (empty when accounts already existed)
 */
export async function seedDemoStaff(ctx: DbContext, argon2: Argon2Params): Promise<readonly DemoLogin[]> {
  if (countStaff(ctx) > 0) return [];
  const pinHash = await hashPassword(DEMO_PIN, argon2);
  const hashes = await Promise.all(DEMO_LOGINS.map((l) => hashPassword(l.password, argon2)));
  ctx.db.transaction(() => {
    if (countStaff(ctx) > 0) return;
    DEMO_LOGINS.forEach((l, i) => {
      const s = insertStaff(ctx, { ...l, passwordHash: hashes[i]! }, 'seed');
      ctx.db.prepare('UPDATE staff SET pin_hash = ? WHERE id = ?').run(pinHash, s.id);
    });
  })();
  return DEMO_LOGINS;
}
