/**
 * Typed mirror of the central database (migrations/*.sql are the source of truth; `schema.test.ts`
 * checks that every table and column here exists with the same type in a migrated database).
 * Drizzle ORM table objects, used by the repositories on both drivers (PGlite and node-postgres).
 * Times are `Date` (timestamptz, UTC); `during` on appointments is a generated column and not mapped.
 */
import {
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const clinics = pgTable('clinics', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  email: text('email').notNull(),
  nif: text('nif'),
  paymentMode: text('payment_mode').$type<'pay_online' | 'pay_at_clinic'>().notNull(),
  cancelNoticeHours: integer('cancel_notice_hours').notNull(),
  bufferMin: integer('buffer_min').notNull(),
  slotStepMin: integer('slot_step_min').notNull(),
  minNoticeMin: integer('min_notice_min').notNull(),
  horizonDays: integer('horizon_days').notNull(),
  vatRateBp: integer('vat_rate_bp').notNull(),
  vatExemption: text('vat_exemption'),
  createdAt: ts('created_at').notNull(),
});

export const clinicSpecialties = pgTable(
  'clinic_specialties',
  {
    clinicId: uuid('clinic_id').notNull(),
    code: text('code').notNull(),
    durationMin: integer('duration_min').notNull(),
    priceCents: integer('price_cents').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.code] })],
);

export const rooms = pgTable('rooms', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  name: text('name').notNull(),
});

export const practitioners = pgTable('practitioners', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  name: text('name').notNull(),
  displayName: text('display_name').notNull(),
  bioPt: text('bio_pt').notNull(),
  bioEn: text('bio_en').notNull(),
  languages: text('languages').array().notNull(),
  photoSvg: text('photo_svg'),
  active: boolean('active').notNull(),
});

export const practitionerSpecialties = pgTable(
  'practitioner_specialties',
  {
    clinicId: uuid('clinic_id').notNull(),
    practitionerId: uuid('practitioner_id').notNull(),
    code: text('code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practitionerId, t.code] })],
);

export const openingHours = pgTable(
  'opening_hours',
  {
    clinicId: uuid('clinic_id').notNull(),
    weekday: integer('weekday').notNull(),
    opensMin: integer('opens_min').notNull(),
    closesMin: integer('closes_min').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.weekday, t.opensMin] })],
);

export const schedules = pgTable('schedules', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  weekday: integer('weekday').notNull(),
  startMin: integer('start_min').notNull(),
  endMin: integer('end_min').notNull(),
  roomId: uuid('room_id'),
});

export const timeOff = pgTable('time_off', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  reason: text('reason').notNull(),
});

export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey(),
  email: text('email'),
  emailVerifiedAt: ts('email_verified_at'),
  name: text('name').notNull(),
  phone: text('phone'),
  nif: text('nif'),
  birthDate: date('birth_date', { mode: 'string' }),
  passwordHash: text('password_hash'),
  locale: text('locale').$type<'pt' | 'en'>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  deletedAt: ts('deleted_at'),
});

export const emailTokens = pgTable('email_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: uuid('account_id').notNull(),
  purpose: text('purpose').$type<'verify_email' | 'reset_password' | 'change_email'>().notNull(),
  newEmail: text('new_email'),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  createdAt: ts('created_at').notNull(),
  lastUsedAt: ts('last_used_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  revokedAt: ts('revoked_at'),
  revokedReason: text('revoked_reason'),
  userAgent: text('user_agent').notNull(),
});

export const refreshTokens = pgTable('refresh_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  sessionId: uuid('session_id').notNull(),
  createdAt: ts('created_at').notNull(),
  usedAt: ts('used_at'),
});

export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: ts('window_started_at').notNull(),
  lockedUntil: ts('locked_until'),
});

/** Appointment statuses; the first three are "live" and covered by the no-overlap constraint. */
export type AppointmentStatus =
  'held' | 'awaiting_payment' | 'confirmed' | 'cancelled' | 'expired' | 'completed' | 'no_show';

export const appointments = pgTable('appointments', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  practitionerId: uuid('practitioner_id').notNull(),
  accountId: uuid('account_id'),
  specialty: text('specialty').notNull(),
  startsAt: ts('starts_at').notNull(),
  endsAt: ts('ends_at').notNull(),
  blockedUntil: ts('blocked_until').notNull(),
  status: text('status').$type<AppointmentStatus>().notNull(),
  holdExpiresAt: ts('hold_expires_at'),
  bookingCode: text('booking_code').notNull(),
  priceCents: integer('price_cents').notNull(),
  paymentMode: text('payment_mode').$type<'pay_online' | 'pay_at_clinic'>().notNull(),
  roomId: uuid('room_id'),
  rescheduledFrom: uuid('rescheduled_from'),
  cancelledBy: text('cancelled_by').$type<'patient' | 'clinic' | 'system'>(),
  visitStatus: text('visit_status'),
  visitRoom: text('visit_room'),
  waitMin: integer('wait_min'),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  appointmentId: uuid('appointment_id').notNull(),
  accountId: uuid('account_id'),
  amountCents: integer('amount_cents').notNull(),
  vatRateBp: integer('vat_rate_bp').notNull(),
  vatExemption: text('vat_exemption'),
  status: text('status').$type<'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded'>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
});

export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  orderId: uuid('order_id').notNull(),
  provider: text('provider').notNull(),
  method: text('method').notNull(),
  providerRequestId: text('provider_request_id'),
  status: text('status').notNull(),
  amountCents: integer('amount_cents').notNull(),
  details: jsonb('details').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const changes = pgTable('changes', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  entity: text('entity').notNull(),
  entityId: uuid('entity_id').notNull(),
  op: text('op').$type<'insert' | 'update' | 'delete'>().notNull(),
  version: integer('version').notNull(),
  accountId: uuid('account_id'),
  payload: jsonb('payload').notNull(),
  createdAt: ts('created_at').notNull(),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: ts('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  clinicId: uuid('clinic_id'),
  ip: text('ip'),
  details: jsonb('details').notNull(),
});
