/**
 * The clinic ↔ central sync protocol, version 1 (docs/sync.md "Protocol v1"): the zod contracts both
 * sides share. Pure (zod only), so the clinic's pusher/puller (server/clinic) and the central API
 * (server/central/features/sync) import the same shapes and constants.
 *
 * - Every `/api/sync/*` request carries the header `x-cfd-sync-protocol: 1` (`SYNC_PROTOCOL_HEADER`,
 *   `SYNC_PROTOCOL_VERSION`); a push body also carries `format: 1` (the clinic's `OUTBOX_FORMAT`). A
 *   missing or different value is refused with 400 `sync_protocol_mismatch`, details
 *   `{ supported, received }`.
 * - Every call except `POST /api/sync/pair` carries `Authorization: Bearer <credential>`.
 */
import { z } from 'zod';

/** The protocol version this build speaks (the header's value). */
export const SYNC_PROTOCOL_VERSION = 1;

/** The request header that carries the protocol version (lower case, as HTTP/2 sends it). */
export const SYNC_PROTOCOL_HEADER = 'x-cfd-sync-protocol';

/** The outbox payload format the central API accepts in a push (the clinic's `OUTBOX_FORMAT`). */
export const SYNC_PUSH_FORMAT = 1;

/** Most entries one push may carry (the clinic's `readOutbox` default batch). */
export const SYNC_PUSH_MAX_ENTRIES = 500;

/** Largest push body, in bytes (4 MiB; a 500-entry batch of visits is about 0.5 MB): 413 beyond it. */
export const SYNC_PUSH_MAX_BYTES = 4 * 1024 * 1024;

/** Most changes one pull may return; the default `limit`. */
export const SYNC_PULL_MAX_LIMIT = 1000;
export const SYNC_PULL_DEFAULT_LIMIT = 500;

/** How long a pairing code stays usable after the admin made it, in ms (15 minutes). */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

/**
 * Pairing code alphabet (Crockford base32: no I, L, O, U), and its length: 10 characters = 50 bits,
 * typed once at the clinic within 15 minutes and usable once.
 */
export const PAIRING_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_LENGTH = 10;

/**
 * Entities a clinic pushes (the clinic's outbox entity names, docs/sync.md "What is queued"). Face
 * entities are not here: they never leave the clinic, and central rejects them.
 */
export const SYNC_ENTITIES = [
  'patient',
  'appointment',
  'payment',
  'room',
  'practitioner',
  'specialty',
  'practitioner_specialty',
  'settings',
] as const;

/** A pushable entity name. */
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/** `POST /api/admin/clinics/{clinicId}/pairing-codes` → 201. */
export const pairingCodeDto = z.object({
  /** `PAIRING_CODE_LENGTH` characters of `PAIRING_CODE_ALPHABET`. */
  code: z.string(),
  /** ISO-8601 UTC; after it the code is refused. */
  expiresAt: z.string(),
});
export type PairingCodeDto = z.infer<typeof pairingCodeDto>;

/** `POST /api/sync/pair` body. Case and spaces/dashes are ignored (people type codes). */
export const pairInput = z.object({ code: z.string().min(1).max(40) });
export type PairInput = z.infer<typeof pairInput>;

/**
 * `POST /api/sync/pair` and `POST /api/sync/credential/rotate` → 200: the clinic's id and its new
 * credential (43 base64url characters = 256 bits). The clinic stores it with restrictive permissions;
 * central keeps only its SHA-256. Pairing again or rotating revokes the clinic's earlier credentials.
 */
export const credentialDto = z.object({
  clinicId: z.string().uuid(),
  credential: z.string(),
});
export type CredentialDto = z.infer<typeof credentialDto>;

/** `POST /api/admin/clinics/{clinicId}/credentials/revoke` → 200: how many live credentials it revoked. */
export const revokeDto = z.object({ revoked: z.number().int() });

/**
 * One outbox entry as the clinic's `readOutbox` returns it (server/clinic/db/changes.ts `OutboxEntry`):
 * `id` is the idempotency key; `payload` the row as committed, snake_case, times ISO-8601 UTC text,
 * money integer cents, booleans 0/1. `entity` is checked per entry (an unknown one is answered
 * 'rejected', not a 400 for the whole batch).
 */
export const outboxEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  id: z.string().uuid(),
  entity: z.string().min(1).max(64),
  entityId: z.string().min(1).max(200),
  op: z.enum(['upsert', 'delete']),
  version: z.number().int().min(1),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string().max(40),
});
export type SyncOutboxEntry = z.infer<typeof outboxEntrySchema>;

/** `POST /api/sync/push` body: the outbox format and at most `SYNC_PUSH_MAX_ENTRIES` entries. */
export const pushInput = z.object({
  /** Must equal `SYNC_PUSH_FORMAT`; any other number → 400 sync_protocol_mismatch. */
  format: z.number().int(),
  entries: z.array(outboxEntrySchema).max(SYNC_PUSH_MAX_ENTRIES),
});
export type PushInput = z.infer<typeof pushInput>;

/**
 * What central did with one entry. The clinic acknowledges every entry whose status is not 'rejected':
 * - `applied`: stored (and mapped onto central's tables where it has them);
 * - `duplicate`: this entry id was delivered before; nothing changed now;
 * - `stale`: central already has this version of the entity or a newer one; nothing changed;
 * - `conflict_central_wins`: central's copy wins (docs/sync.md, conflict table); what the clinic may
 *   still decide (the day's visit state) was applied; the clinic gets central's copy from the pull;
 * - `rejected`: not accepted (unknown entity, malformed payload, another clinic's row); `reason` says
 *   why. The clinic keeps the entry.
 */
export const PUSH_STATUSES = ['applied', 'duplicate', 'stale', 'conflict_central_wins', 'rejected'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

/** One entry's answer. */
export const pushResultSchema = z.object({
  id: z.string(),
  status: z.enum(PUSH_STATUSES),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

/** `POST /api/sync/push` → 200: one result per entry, in the order sent. */
export const pushDto = z.object({ results: z.array(pushResultSchema) });
export type PushDto = z.infer<typeof pushDto>;

/** `GET /api/sync/pull` query: after `cursor` (a seq, 0 = from the start), at most `limit` changes. */
export const pullQuery = z.object({
  cursor: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(SYNC_PULL_MAX_LIMIT).default(SYNC_PULL_DEFAULT_LIMIT),
});
export type PullQuery = z.infer<typeof pullQuery>;

/**
 * One change of central's feed: `seq` orders the feed; `entity`/`entityId` name the row (central's own
 * entity names: 'appointment', 'order', 'payment', … and the clinic's for rows it pushed); `payload` is
 * what changed (camelCase for central's rows). `op` 'delete' with `payload.erased = true` on a 'patient'
 * is an erasure the clinic must apply.
 */
export const pulledChangeSchema = z.object({
  seq: z.number().int(),
  entity: z.string(),
  entityId: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  version: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type PulledChange = z.infer<typeof pulledChangeSchema>;

/**
 * Central's catalogue in the feed (docs/sync.md "Pull"; central's `publishCatalogue`), one change of each
 * per practitioner, entity id = the practitioner's id. `practitioner`: name, display name, whether
 * central offers them, and their specialty codes.
 */
export const practitionerFeedPayload = z.object({
  id: z.string().uuid(),
  name: z.string().min(1),
  displayName: z.string().min(1),
  active: z.boolean(),
  specialties: z.array(z.string()),
});
export type PractitionerFeedPayload = z.infer<typeof practitionerFeedPayload>;

/**
 * `schedule`: the practitioner's whole week, replacing the clinic's copy; ISO weekday (1 = Monday),
 * minutes after local midnight (the clinic's wall clock), start before end.
 */
export const scheduleFeedPayload = z.object({
  practitionerId: z.string().uuid(),
  blocks: z.array(
    z
      .object({
        id: z.string().uuid(),
        weekday: z.number().int().min(1).max(7),
        startMin: z.number().int().min(0).max(1440),
        endMin: z.number().int().min(0).max(1440),
      })
      .refine((b) => b.startMin < b.endMin, 'start before end'),
  ),
});
export type ScheduleFeedPayload = z.infer<typeof scheduleFeedPayload>;

/** `time_off`: the practitioner's whole list of absences (ISO-8601 UTC), replacing the clinic's copy. */
export const timeOffFeedPayload = z.object({
  practitionerId: z.string().uuid(),
  periods: z.array(z.object({ id: z.string().uuid(), startsAt: z.string(), endsAt: z.string() })),
});
export type TimeOffFeedPayload = z.infer<typeof timeOffFeedPayload>;

/**
 * `order`: the payment state of an online booking's order, as central's payments feature records it
 * (server/central/features/payments/service.ts `orderChanged`): amounts in integer cents, `paidAt`
 * ISO-8601 UTC, `payment.method` the provider method of the latest attempt (`multibanco`, `mbway`,
 * `link`; `desk_cash`/`desk_card` for a desk payment central applied, which the clinic's own pull skips
 * as an echo). Unknown extra fields are ignored.
 */
export const orderFeedPayload = z.looseObject({
  appointmentId: z.string().uuid(),
  status: z.enum(['pending', 'paid', 'expired', 'cancelled', 'refunded']),
  amountCents: z.number().int().min(0),
  paidAt: z.string().nullable().optional(),
  payment: z.looseObject({ method: z.string().max(40) }).optional(),
});
export type OrderFeedPayload = z.infer<typeof orderFeedPayload>;

/**
 * `GET /api/sync/pull` → 200: changes in seq order; `cursor` is the seq to send next time (the last
 * change's, or the one sent when there was none); `more` = another page is waiting.
 */
export const pullDto = z.object({
  changes: z.array(pulledChangeSchema),
  cursor: z.number().int(),
  more: z.boolean(),
});
export type PullDto = z.infer<typeof pullDto>;

/**
 * Normalises a typed pairing code: upper case, spaces and dashes dropped, Crockford's look-alikes
 * (O → 0, I/L → 1) folded.
 */
export function normalisePairingCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
