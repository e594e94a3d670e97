/**
 * Errors are codes, not prose (CONVENTIONS §7). Routes throw `AppError`; `app.onError` maps it to
 * `{ error: { code, message } }` with the status below. The UI maps codes to PT/EN text.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_json: 400,
  image_invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  appointment_not_found: 404,
  patient_not_found: 404,
  room_not_found: 404,
  practitioner_not_found: 404,
  specialty_not_found: 404,
  enrolment_not_found: 404,
  clinic_not_found: 404,
  account_not_found: 404,
  hold_not_found: 404,
  email_taken: 409,
  slot_unavailable: 409,
  /** The patient already has a booked appointment overlapping that time (one patient, one place). */
  appointment_overlap: 409,
  outside_policy: 409,
  hold_expired: 410,
  token_invalid: 400,
  weak_password: 400,
  invalid_credentials: 401,
  email_not_verified: 403,
  code_identification_required: 403,
  too_many_attempts: 429,
  too_many_streams: 429,
  illegal_transition: 409,
  version_conflict: 409,
  queue_empty: 409,
  room_busy: 409,
  // The desk board's undo (server/clinic/features/appointments): past its minute, or the row moved on.
  undo_expired: 409,
  undo_conflict: 409,
  not_expected_now: 409,
  already_checked_in: 409,
  /** An Idempotency-Key sent again with a different request (server/clinic/http/idempotency.ts). */
  idempotency_key_reused: 422,
  consent_required: 422,
  no_face: 422,
  multiple_faces: 422,
  face_too_small: 422,
  face_too_dark: 422,
  face_too_bright: 422,
  face_low_contrast: 422,
  face_blurred: 422,
  face_turned: 422,
  face_tilted: 422,
  face_key_not_rotatable: 409,
  payload_too_large: 413,
  /** An image over the decoder's pixel limit (decompression bomb guard, docs/security.md). */
  image_too_large: 413,
  unsupported_media_type: 415,
  /** A per-route rate limit (docs/security.md "Rate limits"); the answer carries Retry-After. */
  rate_limited: 429,
  face_engine_unavailable: 503,
  /** The database's disk is full (SQLite SQLITE_FULL, PostgreSQL 53100): nothing was saved; reads still work. */
  storage_full: 507,
  // Payments (central).
  order_not_found: 404,
  order_not_payable: 409,
  pay_link_not_found: 404,
  pay_link_expired: 410,
  invoice_not_found: 404,
  nif_invalid: 400,
  phone_landline: 400,
  phone_invalid: 400,
  phone_required: 400,
  callback_key_invalid: 403,
  provider_unavailable: 503,
  refund_not_allowed: 409,
  internal: 500,
  // Staff accounts and paired devices (server/clinic/features/staff, devices).
  session_expired: 401,
  session_locked: 423,
  pin_not_set: 409,
  // The kiosk's staff-PIN exit (server/clinic/features/kiosk/exit.ts).
  wrong_pin: 401,
  setup_done: 409,
  username_taken: 409,
  last_admin: 409,
  staff_not_found: 404,
  device_not_found: 404,
  pairing_code_invalid: 400,
  route_not_in_matrix: 403,
  not_own_patient: 403,
  // Desk payments (server/clinic/features/payments).
  already_paid: 409,
  paid_online: 409,
  payment_not_found: 404,
  payment_voided: 409,
  // The desk's calendar (server/clinic/features/calendar).
  slot_taken: 409,
  slot_in_past: 422,
  outside_hours: 422,
  not_reschedulable: 409,
  // First-run setup (server/clinic/features/setup).
  room_name_taken: 409,
  specialty_taken: 409,
  has_future_appointments: 409,
  photo_not_found: 404,
  // Clinic ↔ central sync (server/central/features/sync, docs/sync.md "Protocol v1").
  sync_protocol_mismatch: 400,
  sync_credential_invalid: 401,
  // The clinic's side of sync (server/clinic/sync, docs/sync.md "Clinic side").
  sync_not_paired: 409,
  /** A kiosk check-in of an appointment cancelled (at the desk, or online and pulled by sync). */
  appointment_cancelled: 409,
  central_unreachable: 502,
  // Same-patient merge and portal links (server/clinic/features/patients, server/central/features/links).
  both_portal_accounts: 409,
  patient_merged: 409,
  patient_has_portal_account: 409,
  contact_required: 422,
  link_token_invalid: 404,
  link_token_used: 410,
  link_token_expired: 410,
  link_conflict: 409,
} as const;

/** Every machine code an API answer can carry. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error type routes and services throw: a machine `code` (its HTTP status from `ERROR_STATUS`),
 * a human `message` (English; the pages show their own PT/EN text for the code) and optional `details`.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}
