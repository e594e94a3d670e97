/**
 * The clinic's sync engine (docs/sync.md "Clinic side"): push the outbox, pull central's feed, and a
 * scheduler that runs both every `intervalMs` and soon after each local change, backing off with full
 * jitter on network errors and stopping (no retry storm) on a protocol mismatch or a refused credential.
 *
 * - `pushOutbox`: `readOutbox` in batches of ≤ 500 → `POST /api/sync/push` → `acknowledgeOutbox` of every
 *   result but 'rejected' (rejected entries are logged with their reason and kept). At least once:
 *   central is idempotent by entry id.
 * - `pullChanges`: `GET /api/sync/pull?cursor=` → `applyPulledPage` (page + cursor in one transaction)
 *   until `more` is false.
 * - `SyncService`: pairing, rotation, the loop and its state `{ paired, online, lastSyncAt, lastError,
 *   pending, conflicts, … }`. `startSync` builds one and starts it when the clinic is paired.
 * - Conflicts for staff: every push answer `conflict_central_wins`, and every `rejected` entry (once per
 *   entry id), is recorded in `sync_conflicts` (migration 0130; entity, id, reason, when: no patient
 *   data), and the status carries the newest 20 (`readConflicts`).
 */
import { acknowledgeOutbox, outboxBacklog, readOutbox } from '../db/changes.ts';
import { eraseFromWal } from '../features/face/service.ts';
import type { ClinicDeps } from '../deps.ts';
import { AppError } from '../../domain/errors.ts';
import { SYNC_PUSH_MAX_ENTRIES, type PushStatus } from '../../domain/sync.ts';
import type { DbContext } from '../db/database.ts';
import { log } from '../lib/log.ts';
import { applyPulledPage, readPullCursor } from './apply.ts';
import { SyncClient, SyncRequestError } from './client.ts';
import { loadPairing, savePairing, syncPairingFile, type SyncPairing } from './credentials.ts';

/** What one push pass did. */
export interface PushReport {
  /** Entries sent (all batches). */
  sent: number;
  /** Entries acknowledged (deleted from the outbox). */
  acknowledged: number;
  /** Entries central rejected (kept in the outbox), with their reason. */
  rejected: { id: string; entity: string; entityId: string; reason: string | undefined }[];
  /** How many answers of each status central gave. */
  statuses: Partial<Record<PushStatus, number>>;
}

/** A push answer the desk must hear about (central kept its copy, or refused the entry). */
export interface SyncConflict {
  /** The outbox entity ('appointment', 'payment', 'patient', …). */
  entity: string;
  /** The row's id at the clinic. */
  entityId: string;
  /** Central's reason: `slot_taken`, `central_owns_booking`, `paid_online`, `erased`, or a rejection's. */
  reason: string;
  /** When the clinic received the answer, ISO-8601 UTC (the clinic's clock). */
  at: string;
}

/** How many conflicts `sync_conflicts` keeps (older rows are deleted as new ones arrive). */
const CONFLICTS_KEPT = 200;

/**
 * Records push answers the desk must hear about: each `conflict_central_wins`, and each `rejected`
 * entry the first time it is rejected (it stays in the outbox and is sent again every pass; recording it
 * once keeps the list readable). Keeps the newest `CONFLICTS_KEPT` rows.
 */
export function recordConflicts(
  ctx: DbContext,
  items: readonly {
    entryId: string;
    entity: string;
    entityId: string;
    status: PushStatus;
    reason?: string;
  }[],
): void {
  if (items.length === 0) return;
  const at = new Date(ctx.now()).toISOString();
  const insert = ctx.db.prepare(
    `INSERT INTO sync_conflicts (entry_id, entity, entity_id, status, reason, at)
     VALUES (@entryId, @entity, @entityId, @status, @reason, @at) ON CONFLICT (entry_id) DO NOTHING`,
  );
  ctx.db.transaction(() => {
    for (const i of items) insert.run({ ...i, reason: i.reason ?? 'unknown', at });
    ctx.db
      .prepare('DELETE FROM sync_conflicts WHERE seq <= (SELECT MAX(seq) FROM sync_conflicts) - ?')
      .run(CONFLICTS_KEPT);
  })();
}

/** The newest `limit` recorded conflicts (default 20), newest first. */
export function readConflicts(ctx: DbContext, limit = 20): SyncConflict[] {
  return ctx.db
    .prepare(`SELECT entity, entity_id AS entityId, reason, at FROM sync_conflicts ORDER BY seq DESC LIMIT ?`)
    .all(limit) as SyncConflict[];
}

/**
 * Pushes the whole outbox, oldest first, in batches of at most `batchSize` (≤ 500), acknowledging every
 * entry central did not reject. Rejected entries stay queued (the next pass sends them again).
 * @param options.acknowledge false to push without acknowledging (tests of a lost acknowledgement)
 * @throws SyncRequestError when a request fails (what was acknowledged before stays acknowledged)
 */
export async function pushOutbox(
  deps: ClinicDeps,
  client: SyncClient,
  options: { batchSize?: number; acknowledge?: boolean } = {},
): Promise<PushReport> {
  const batchSize = Math.min(options.batchSize ?? SYNC_PUSH_MAX_ENTRIES, SYNC_PUSH_MAX_ENTRIES);
  const report: PushReport = { sent: 0, acknowledged: 0, rejected: [], statuses: {} };
  let afterSeq = 0;
  for (;;) {
    const batch = readOutbox(deps, { afterSeq, limit: batchSize });
    if (batch.length === 0) break;
    const { results } = await client.push(batch);
    report.sent += batch.length;
    const byId = new Map(batch.map((e) => [e.id, e]));
    const ok: string[] = [];
    const conflicts: Parameters<typeof recordConflicts>[1][number][] = [];
    for (const r of results) {
      const e = byId.get(r.id);
      if (!e) continue;
      report.statuses[r.status] = (report.statuses[r.status] ?? 0) + 1;
      if (r.status === 'rejected' || r.status === 'conflict_central_wins')
        conflicts.push({
          entryId: r.id,
          entity: e.entity,
          entityId: e.entityId,
          status: r.status,
          ...(r.reason ? { reason: r.reason } : {}),
        });
      if (r.status === 'rejected') {
        report.rejected.push({ id: r.id, entity: e.entity, entityId: e.entityId, reason: r.reason });
        log('warn', 'sync.push.rejected', {
          entry: r.id,
          entity: e.entity,
          entityId: e.entityId,
          reason: r.reason,
        });
      } else ok.push(r.id);
    }
    recordConflicts(deps, conflicts);
    if (options.acknowledge !== false) report.acknowledged += acknowledgeOutbox(deps, { ids: ok });
    afterSeq = batch.at(-1)!.seq;
    if (batch.length < batchSize) break;
  }
  return report;
}

/** What one pull pass did. */
export interface PullReport {
  /** Changes received (all pages). */
  received: number;
  /** Local rows written. */
  applied: number;
  skipped: number;
  /** The cursor stored at the end. */
  cursor: number;
}

/**
 * Pulls central's feed from the stored cursor until `more` is false, applying each page with its new
 * cursor in one transaction; emits the change bus for what it changed (the desk's board refreshes).
 * @throws SyncRequestError when a request fails (pages already applied stay applied)
 */
export async function pullChanges(
  deps: ClinicDeps,
  client: SyncClient,
  options: { limit?: number } = {},
): Promise<PullReport> {
  const report: PullReport = { received: 0, applied: 0, skipped: 0, cursor: readPullCursor(deps) };
  for (;;) {
    const page = await client.pull(report.cursor, options.limit ?? 500);
    const result = applyPulledPage(deps, page.changes, page.cursor);
    report.received += page.changes.length;
    report.applied += result.appointments.length + result.patients.length + result.practitioners.length;
    report.skipped += result.skipped;
    report.cursor = page.cursor;
    if (result.erased.length > 0) eraseFromWal(deps);
    for (const id of result.appointments) deps.events.emit('appointment', id);
    for (const id of result.practitioners) deps.events.emit('catalog', id);
    if (!page.more || page.changes.length === 0) break;
  }
  return report;
}

/** The sync state the desk shows (`GET /api/sync/status`). */
export interface SyncStatus {
  /** A pairing is stored. */
  paired: boolean;
  /** The last attempt reached central (false before the first one, and after a network error). */
  online: boolean;
  /** The loop is running (paired and not stopped by a fatal error). */
  running: boolean;
  /** When the last full push + pull succeeded, ISO-8601 UTC (the clinic's clock), or null. */
  lastSyncAt: string | null;
  /** The last failure: central's code (or 'network'), its message and when; null after a success. */
  lastError: { code: string; message: string; at: string } | null;
  /** Set when syncing stopped and needs someone: update the app, or pair again. */
  stopped: 'sync_protocol_mismatch' | 'sync_credential_invalid' | null;
  /** Outbox entries waiting, and when the oldest was recorded (ISO-8601 UTC, null if none). */
  pending: number;
  oldestPendingAt: string | null;
  /** Entries central rejected in the last push (kept, and sent again). */
  rejected: number;
  /** Failed passes in a row (the backoff grows with it; 0 after a success). */
  failures: number;
  /** What central refused or kept its own copy of: the newest 20, newest first (no patient data). */
  conflicts: SyncConflict[];
  centralUrl: string | null;
  clinicId: string | null;
}

/** How the service runs. */
export interface SyncOptions {
  /** The server's data folder: the pairing is kept in `<dataDir>/keys/sync.json`. */
  dataDir: string;
  /** Central's URL from `CFD_CENTRAL_URL`: the default for pairing (a stored pairing wins). */
  centralUrl?: string;
  /** Time between passes while online, ms (default 5 000). */
  intervalMs?: number;
  /** Wait after a local change before a pass, ms (default 200: a burst of changes is one pass). */
  debounceMs?: number;
  /** Backoff on network errors: first and largest wait, ms (default 1 000 … 300 000), full jitter. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Random in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
  /** Per-request timeout, ms (default 30 000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The clinic's sync: pairing, rotation and the push/pull loop. Stamps use `deps.now()`; timers are real.
 */
export class SyncService {
  private pairing: SyncPairing | null;
  private readonly file: string;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private state: Pick<SyncStatus, 'online' | 'lastSyncAt' | 'lastError' | 'stopped' | 'rejected'> = {
    online: false,
    lastSyncAt: null,
    lastError: null,
    stopped: null,
    rejected: 0,
  };
  private started = false;

  constructor(
    private readonly deps: ClinicDeps,
    private readonly options: SyncOptions,
  ) {
    this.file = syncPairingFile(options.dataDir);
    try {
      this.pairing = loadPairing(this.file);
    } catch (err) {
      // A damaged pairing file must not stop the clinic's server (it works offline): unpaired until
      // an admin pairs again, which rewrites the file.
      log('error', 'sync.pairing_unreadable', { message: (err as Error).message });
      this.pairing = null;
    }
  }

  /** The state for the desk. */
  status(): SyncStatus {
    const backlog = outboxBacklog(this.deps);
    return {
      paired: this.pairing !== null,
      running: this.started && this.state.stopped === null,
      failures: this.failures,
      ...this.state,
      pending: backlog.pending,
      oldestPendingAt: backlog.oldestAt,
      conflicts: readConflicts(this.deps),
      centralUrl: this.pairing?.centralUrl ?? this.options.centralUrl ?? null,
      clinicId: this.pairing?.clinicId ?? null,
    };
  }

  private client(): SyncClient {
    if (!this.pairing) throw new AppError('sync_not_paired', 'this clinic is not paired with central');
    return new SyncClient({
      centralUrl: this.pairing.centralUrl,
      credential: this.pairing.credential,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
  }

  /**
   * Pairs with central using a one-time code made by a central admin; stores the pairing (0600) and
   * (re)starts the loop. Pairing again replaces the stored pairing (central revokes the old credential).
   * @param centralUrl central's base URL; defaults to `CFD_CENTRAL_URL`
   * @throws AppError validation_failed (no URL), pairing_code_invalid, sync_protocol_mismatch,
   *   central_unreachable
   */
  async pair(code: string, centralUrl?: string): Promise<{ clinicId: string; centralUrl: string }> {
    const url = centralUrl ?? this.options.centralUrl;
    if (!url) throw new AppError('validation_failed', 'centralUrl: required (CFD_CENTRAL_URL is not set)');
    const client = new SyncClient({
      centralUrl: url,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
    const answer = await client.pair(code).catch((err: unknown) => {
      throw toAppError(err);
    });
    this.pairing = {
      centralUrl: url.replace(/\/+$/, ''),
      clinicId: answer.clinicId,
      credential: answer.credential,
    };
    savePairing(this.file, this.pairing);
    log('info', 'sync.paired', { clinicId: answer.clinicId, central: this.pairing.centralUrl });
    this.state = { ...this.state, stopped: null, lastError: null };
    this.failures = 0;
    this.start();
    this.trigger(0);
    return { clinicId: answer.clinicId, centralUrl: this.pairing.centralUrl };
  }

  /**
   * Rotates the credential: central issues a new one and revokes the old; the new one is written to
   * disk (atomically) before anything else.
   * @throws AppError sync_not_paired (also when central refuses the credential), central_unreachable
   */
  async rotate(): Promise<{ clinicId: string }> {
    const pairing = this.pairing;
    const answer = await this.client()
      .rotate()
      .catch((err: unknown) => {
        throw toAppError(err);
      });
    this.pairing = { ...pairing!, clinicId: answer.clinicId, credential: answer.credential };
    savePairing(this.file, this.pairing);
    log('info', 'sync.credential_rotated', { clinicId: answer.clinicId });
    return { clinicId: answer.clinicId };
  }

  /**
   * One pass: push the outbox, then pull the feed. Updates the state; a fatal answer stops the loop.
   * @throws SyncRequestError | AppError sync_not_paired (the state records it too)
   */
  async syncOnce(): Promise<{ push: PushReport; pull: PullReport }> {
    const client = this.client();
    try {
      const push = await pushOutbox(this.deps, client);
      const pull = await pullChanges(this.deps, client);
      this.failures = 0;
      this.state = {
        ...this.state,
        online: true,
        lastSyncAt: new Date(this.deps.now()).toISOString(),
        lastError: null,
        rejected: push.rejected.length,
      };
      return { push, pull };
    } catch (err) {
      const e = err instanceof SyncRequestError ? err : null;
      this.state = {
        ...this.state,
        online: e ? e.status !== 0 : this.state.online,
        lastError: {
          code: e?.code ?? 'internal',
          message: (err as Error).message,
          at: new Date(this.deps.now()).toISOString(),
        },
      };
      if (e?.fatal) {
        this.state.stopped = e.code as SyncStatus['stopped'];
        log('error', 'sync.stopped', { code: e.code, details: e.details });
      }
      throw err;
    }
  }

  /** Starts the loop (idempotent): a pass now, then every `intervalMs`, and after each local change. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.deps.events.subscribe(() => this.trigger(this.options.debounceMs ?? 200));
    this.trigger(0);
  }

  /** Stops the loop and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** Resolves when no pass is running (now, or when the one in flight ends). */
  async whenIdle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** The backoff after `failures` consecutive failures: full jitter, random × min(max, min × 2^(n−1)), ms. */
  backoffMs(failures: number): number {
    const min = this.options.backoffMinMs ?? 1_000;
    const max = this.options.backoffMaxMs ?? 300_000;
    const cap = Math.min(max, min * 2 ** Math.max(0, failures - 1));
    return Math.max(min / 10, (this.options.random ?? Math.random)() * cap);
  }

  /** Schedules a pass in `delayMs` (sooner wins); while a pass runs, one more follows it. */
  private trigger(delayMs: number): void {
    if (!this.started || this.state.stopped || !this.pairing) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    // While backing off, a local change does not cut the wait short (no storm against a down central).
    if (this.failures > 0 && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    this.inFlight = this.syncOnce().then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof SyncRequestError && !err.fatal) this.failures += 1;
        if (!(err instanceof SyncRequestError)) {
          this.failures += 1;
          log('error', 'sync.failed', { message: (err as Error).message });
        } else if (!err.fatal) log('warn', 'sync.retry', { code: err.code, failures: this.failures });
      },
    );
    void this.inFlight.then(() => {
      this.inFlight = null;
      if (!this.started || this.state.stopped) return;
      const interval = this.options.intervalMs ?? 5_000;
      if (this.failures > 0) this.schedule(this.backoffMs(this.failures));
      else this.schedule(this.again ? 0 : interval);
      this.again = false;
    });
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }
}

/** A sync request failure as the clinic's own API answers it. */
function toAppError(err: unknown): Error {
  if (!(err instanceof SyncRequestError)) return err as Error;
  if (err.code === 'pairing_code_invalid') return new AppError('pairing_code_invalid', err.message);
  if (err.code === 'sync_protocol_mismatch')
    return new AppError('sync_protocol_mismatch', err.message, err.details);
  // Not a 401 at the clinic's API: the desk would take it for its own session ending.
  if (err.code === 'sync_credential_invalid')
    return new AppError('sync_not_paired', 'central refused the clinic credential; pair again', {
      code: err.code,
    });
  return new AppError('central_unreachable', err.message, { code: err.code, status: err.status });
}

/**
 * Builds the clinic's sync service and starts its loop when the clinic is paired (a stored
 * `<dataDir>/keys/sync.json`). Unpaired (or with a damaged pairing file, logged), it waits for `pair`
 * (the admin's `POST /api/sync/pair`).
 */
export function startSync(deps: ClinicDeps, options: SyncOptions): SyncService {
  const service = new SyncService(deps, options);
  if (service.status().paired) service.start();
  return service;
}
