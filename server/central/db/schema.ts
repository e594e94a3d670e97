/**
 * Typed mirror of the central database (migrations/*.sql are the source of truth; `schema.test.ts`
 * checks that every table and column here exists with the same type in a migrated database).
 * Drizzle ORM table objects, used by the repositories on both drivers (PGlite and node-postgres).
 * Times are `Date` (timestamptz, UTC); `during` on appointments is a generated column and not mapped.
 */
import {
  bigint,
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
  legalName: text('legal_name'),
  invoiceSeries: text('invoice_series').notNull().default('FR'),
  payWindowHours: integer('pay_window_hours').notNull().default(48),
  reminderHours: integer('reminder_hours').array().notNull().default([24, 2]),
  quietStartMin: integer('quiet_start_min').notNull().default(1260),
  quietEndMin: integer('quiet_end_min').notNull().default(540),
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
  patientConfirmedAt: ts('patient_confirmed_at'),
  /** Who booked it: 'portal' (online) or 'clinic' (a desk booking pushed by sync; migration 0040). */
  source: text('source').$type<'portal' | 'clinic'>().notNull().default('portal'),
  /** The clinic's patient id of a desk booking (null for online bookings). */
  clinicPatientId: text('clinic_patient_id'),
});

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  appointmentId: uuid('appointment_id').notNull(),
  accountId: uuid('account_id'),
  amountCents: integer('amount_cents').notNull(),
  vatRateBp: integer('vat_rate_bp').notNull(),
  vatExemption: text('vat_exemption'),
  status: text('status').$type<OrderStatus>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  version: integer('version').notNull(),
  ref: text('ref').notNull(),
  expiresAt: ts('expires_at'),
  paidAt: ts('paid_at'),
  invoiceName: text('invoice_name'),
  invoiceNif: text('invoice_nif'),
  invoiceAddress: text('invoice_address'),
});

export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  orderId: uuid('order_id').notNull(),
  provider: text('provider').notNull(),
  method: text('method').$type<PaymentMethod>().notNull(),
  providerRequestId: text('provider_request_id'),
  status: text('status').$type<PaymentStatus>().notNull(),
  amountCents: integer('amount_cents').notNull(),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
  expiresAt: ts('expires_at'),
  paidAt: ts('paid_at'),
  flag: text('flag').$type<'late' | 'duplicate' | 'amount_mismatch'>(),
  lastPolledAt: ts('last_polled_at'),
});

/** Order states (payments issue). */
export type OrderStatus = 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
/** How a payment was (or is being) made. */
export type PaymentMethod = 'multibanco' | 'mbway' | 'link' | 'desk_cash' | 'desk_card';
/** A payment attempt's state; 'refund_due' = money received that must go back (late or duplicate). */
export type PaymentStatus = 'pending' | 'paid' | 'rejected' | 'expired' | 'refund_due' | 'refunded';

export const paymentCallbacks = pgTable('payment_callbacks', {
  id: uuid('id').primaryKey(),
  provider: text('provider').notNull(),
  requestId: text('request_id').notNull(),
  orderRef: text('order_ref'),
  amountCents: integer('amount_cents').notNull(),
  method: text('method').notNull(),
  paidAt: ts('paid_at').notNull(),
  params: jsonb('params').$type<Record<string, string>>().notNull(),
  receivedAt: ts('received_at').notNull(),
  outcome: text('outcome').$type<CallbackOutcome>(),
  processedAt: ts('processed_at'),
  paymentId: uuid('payment_id'),
});

/** What processing a callback concluded. */
export type CallbackOutcome = 'applied' | 'duplicate' | 'late' | 'amount_mismatch' | 'unmatched';

export const payLinks = pgTable('pay_links', {
  tokenHash: text('token_hash').primaryKey(),
  orderId: uuid('order_id').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
});

export const invoiceSeries = pgTable(
  'invoice_series',
  {
    clinicId: uuid('clinic_id').notNull(),
    series: text('series').notNull(),
    year: integer('year').notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.series, t.year] })],
);

export const invoices = pgTable('invoices', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  orderId: uuid('order_id').notNull(),
  kind: text('kind').$type<'invoice' | 'credit_note'>().notNull(),
  series: text('series').notNull(),
  year: integer('year').notNull(),
  seq: integer('seq').notNull(),
  number: text('number').notNull(),
  refersTo: uuid('refers_to'),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  totalCents: integer('total_cents').notNull(),
  issuedAt: ts('issued_at').notNull(),
  provider: text('provider').notNull(),
  externalId: text('external_id'),
  atcud: text('atcud'),
  providerIssuedAt: ts('provider_issued_at'),
});

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id'),
  accountId: uuid('account_id'),
  appointmentId: uuid('appointment_id'),
  channel: text('channel').$type<'sms' | 'email'>().notNull(),
  kind: text('kind').notNull(),
  recipient: text('recipient').notNull(),
  dedupeKey: text('dedupe_key').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  sendAfter: ts('send_after').notNull(),
  status: text('status').$type<'pending' | 'sending' | 'sent' | 'failed' | 'cancelled'>().notNull(),
  attempts: integer('attempts').notNull(),
  leaseUntil: ts('lease_until'),
  lastError: text('last_error'),
  providerMessageId: text('provider_message_id'),
  sentAt: ts('sent_at'),
  createdAt: ts('created_at').notNull(),
});

export const appointmentLinks = pgTable('appointment_links', {
  tokenHash: text('token_hash').primaryKey(),
  appointmentId: uuid('appointment_id').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
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
  /**
   * The pull cursor: drawn at commit (migration 0060's deferred trigger), so it follows commit order;
   * null only inside the writing transaction.
   */
  commitSeq: bigint('commit_seq', { mode: 'number' }),
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

// Clinic ↔ central sync (migration 0030, features/sync).
export const syncPairingCodes = pgTable('sync_pairing_codes', {
  codeHash: text('code_hash').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

export const syncCredentials = pgTable('sync_credentials', {
  id: uuid('id').primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  createdAt: ts('created_at').notNull(),
  revokedAt: ts('revoked_at'),
  revokedReason: text('revoked_reason').$type<'repaired' | 'rotated' | 'admin'>(),
});

export const syncInbox = pgTable(
  'sync_inbox',
  {
    clinicId: uuid('clinic_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    version: integer('version').notNull(),
    status: text('status').$type<'applied' | 'stale' | 'conflict_central_wins'>().notNull(),
    reason: text('reason'),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.entryId] })],
);

export const syncRecords = pgTable(
  'sync_records',
  {
    clinicId: uuid('clinic_id').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    version: integer('version').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    erasedAt: ts('erased_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.entity, t.entityId] })],
);

export const syncEchoes = pgTable('sync_echoes', {
  // A plain bigint in SQL (always inserted with the change's seq); typed as Drizzle's bigserial only
  // because that is the bigint column type database.test.ts maps.
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  clinicId: uuid('clinic_id').notNull(),
});
