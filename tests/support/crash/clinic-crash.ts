/**
 * The clinic crash loop (issue 13 part 4): concurrent desk writes over real HTTP to the clinic server
 * (tests/support/crash/clinic-process.ts), a SIGKILL at a seeded random moment, a restart on the same data,
 * repeated; then proof that nothing acknowledged was lost or doubled and the database is sound.
 *
 * Writes (chosen by a seeded mulberry32 stream, server/clinic/simulation/rng.ts):
 * - `POST /api/patients` with a name used by no other write (letters only, so the search treats it as
 *   name words);
 * - `POST /api/walk-ins` (new patient + appointment + check-in in one transaction), also with a unique name;
 * - `POST /api/appointments/:id/payments` on an acknowledged walk-in not yet paid (cash, its price).
 * A 2xx answer is an acknowledged write: its id goes in the ledger. A write whose answer never came (the
 * process died) is "in doubt", and is settled after the restart the way the desk does it: patient and
 * walk-in POSTs carry an `Idempotency-Key` (server/clinic/http/idempotency.ts), so the same request is
 * simply sent again with the same key and answers the entity the first attempt created
 * (`Idempotent-Replayed: true`) or creates it now; a payment is posted again, and the database's
 * one-live-payment-per-appointment rule answers 409 `already_paid` (with the payment id) when the first
 * attempt committed.
 *
 * Verification (`verifyClinic`, on the database file with the server down): `PRAGMA integrity_check` = ok,
 * `PRAGMA foreign_key_check` empty; every acknowledged patient, walk-in (appointment, checked in) and
 * payment is there, each unique name at most once (no duplicates, settled or not), at most one live
 * payment per appointment, receipt numbers of each year 1…n without gaps (the rule of
 * server/clinic/features/payments), and the change log consistent: each patient, appointment and payment
 * row has exactly one outbox row (the outbox keeps the newest snapshot per entity, db/changes.ts) whose
 * version and payload are the row's, and no outbox seq beyond `sqlite_sequence` (AUTOINCREMENT never
 * reuses one).
 */
import Database from 'better-sqlite3';
import { mulberry32, type RandomSource } from '../../../server/clinic/simulation/rng.ts';
import type { ClinicProcess } from './clinic-process.ts';
import { crashLoop } from './loop.ts';

/** What the desk was told succeeded, and what was settled after a kill. */
export interface ClinicLedger {
  /** Acknowledged patient creations: unique name → patient id. */
  patients: Map<string, string>;
  /** Acknowledged walk-ins: unique name → { appointment id, patient id }. */
  walkIns: Map<string, { appointmentId: string; patientId: string }>;
  /** Acknowledged payments: appointment id → payment id. */
  payments: Map<string, string>;
  /** Every name a write used (acknowledged or not). */
  names: Set<string>;
  /** Writes answered 2xx. */
  acknowledged: number;
  /** Writes cut off by a kill (no answer), settled after the restart. */
  inDoubt: number;
  /** In-doubt writes found committed after the restart (a replayed key, or 409 already_paid). */
  foundCommitted: number;
  /** Writes answered with an unexpected status (4xx/5xx other than the ones the loop expects). */
  unexpected: string[];
}

/** An empty ledger. */
export function newLedger(): ClinicLedger {
  return {
    patients: new Map(),
    walkIns: new Map(),
    payments: new Map(),
    names: new Set(),
    acknowledged: 0,
    inDoubt: 0,
    foundCommitted: 0,
    unexpected: [],
  };
}

/** A write whose answer never came. */
type Doubt =
  | { kind: 'patient'; name: string; key: string }
  | { kind: 'walk-in'; name: string; key: string }
  | { kind: 'payment'; appointmentId: string };

/** Letters-only unique suffix for write number `n` (base 26, at least three letters). */
function letters(n: number): string {
  let s = '';
  let x = n;
  do {
    s = String.fromCharCode(97 + (x % 26)) + s;
    x = Math.floor(x / 26);
  } while (x > 0);
  return s.padStart(3, 'a');
}

/** The crash loop's state across kills. */
export class ClinicCrashLoad {
  readonly ledger = newLedger();
  private readonly rand: RandomSource;
  private counter = 0;
  private doubts: Doubt[] = [];
  private readonly unpaid: string[] = [];
  private specialtyId = '';
  private priceCents = 0;

  /**
   * @param proc the clinic process (started by the caller before `settle` / `run`)
   * @param seed seeds the operation mix, names and kill moments
   */
  constructor(
    private readonly proc: ClinicProcess,
    seed: number,
  ) {
    this.rand = mulberry32(seed);
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.proc.accessToken}` };
  }

  private post(route: string, body: unknown, key?: string): Promise<Response> {
    return fetch(this.proc.url + route, {
      method: 'POST',
      headers: { ...this.headers(), ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  }

  /** Reads the walk-in specialty and its price from the database (once). */
  private catalogue(): void {
    if (this.specialtyId) return;
    const db = new Database(this.proc.dbFile, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare("SELECT id, price_cents AS price FROM specialties WHERE code = 'massage'")
        .get() as { id: string; price: number };
      this.specialtyId = row.id;
      this.priceCents = row.price;
    } finally {
      db.close();
    }
  }

  /** One write; resolves false when the server did not answer (it was killed). */
  private async one(): Promise<boolean> {
    const r = this.rand();
    const payable = this.unpaid.length > 0 && r < 0.25;
    if (payable) {
      const i = Math.floor(this.rand() * this.unpaid.length);
      const appointmentId = this.unpaid.splice(i, 1)[0]!;
      return this.pay(appointmentId, false);
    }
    const kind = r < 0.6 ? 'patient' : 'walk-in';
    const n = this.counter++;
    const name = `Teste Falha ${letters(n)}`;
    this.ledger.names.add(name);
    return this.create(kind, name, `crash-write-${n}`, false);
  }

  private async create(
    kind: 'patient' | 'walk-in',
    name: string,
    key: string,
    settling: boolean,
  ): Promise<boolean> {
    let res: Response;
    try {
      res =
        kind === 'patient'
          ? await this.post('/api/patients', { fullName: name }, key)
          : await this.post(
              '/api/walk-ins',
              { fullName: name, specialtyId: this.specialtyId, checkIn: true },
              key,
            );
    } catch {
      if (!settling) this.ledger.inDoubt++;
      this.doubts.push({ kind, name, key });
      return false;
    }
    if (res.status !== 201) {
      this.ledger.unexpected.push(`${kind} ${res.status} ${await res.text()}`);
      return true;
    }
    const body = (await res.json()) as { id: string; patient?: { id: string }; patientId?: string };
    if (res.headers.get('idempotent-replayed') === 'true') {
      if (settling) this.ledger.foundCommitted++;
      else this.ledger.unexpected.push(`${kind} replayed on its first send`);
    }
    this.ledger.acknowledged++;
    if (kind === 'patient') this.ledger.patients.set(name, body.id);
    else {
      const patientId = body.patient?.id ?? body.patientId ?? '';
      this.ledger.walkIns.set(name, { appointmentId: body.id, patientId });
      this.unpaid.push(body.id);
    }
    return true;
  }

  private async pay(appointmentId: string, settling: boolean): Promise<boolean> {
    let res: Response;
    try {
      res = await this.post(`/api/appointments/${appointmentId}/payments`, {
        method: 'cash',
        amountCents: this.priceCents,
      });
    } catch {
      if (!settling) this.ledger.inDoubt++;
      this.doubts.push({ kind: 'payment', appointmentId });
      return false;
    }
    const body = (await res.json()) as {
      id?: string;
      error?: { code: string; details?: { paymentId?: string } };
    };
    if (res.status === 201 && body.id) {
      this.ledger.acknowledged++;
      this.ledger.payments.set(appointmentId, body.id);
    } else if (settling && res.status === 409 && body.error?.code === 'already_paid') {
      this.ledger.foundCommitted++;
      this.ledger.payments.set(appointmentId, body.error.details!.paymentId!);
    } else this.ledger.unexpected.push(`payment ${res.status} ${JSON.stringify(body)}`);
    return true;
  }

  /**
   * Settles the writes a kill left in doubt (the server must be up): each is sent again as it was, with
   * the same idempotency key (a committed one answers replayed, with its id); a payment is posted again.
   * @throws Error when the server stops answering meanwhile
   */
  async settle(): Promise<void> {
    this.catalogue();
    const doubts = this.doubts;
    this.doubts = [];
    for (const d of doubts) {
      if (d.kind === 'payment') {
        if (!(await this.pay(d.appointmentId, true))) throw new Error('server down while settling');
        continue;
      }
      if (!(await this.create(d.kind, d.name, d.key, true))) throw new Error('server down while settling');
    }
  }

  /** `workers` concurrent write loops until the server stops answering. */
  async run(workers: number): Promise<void> {
    this.catalogue();
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (await this.one());
      }),
    );
  }

  /** A kill delay in [minMs, maxMs), from the seeded stream. */
  killDelay(minMs: number, maxMs: number): number {
    return Math.floor(minMs + this.rand() * (maxMs - minMs));
  }
}

/** Figures of one crash loop. */
export interface CrashFigures {
  kills: number;
  restarts: number;
  acknowledged: number;
  inDoubt: number;
  foundCommitted: number;
  lost: number;
  duplicates: number;
  ms: number;
}

/**
 * The crash loop (tests/support/crash/loop.ts) with `workers` desk write loops: a round's kill comes after
 * its first acknowledged write. Returns the load (its ledger) for `verifyClinic`, and the restarts.
 */
export async function clinicCrashLoop(
  proc: ClinicProcess,
  options: { kills: number; seed: number; workers: number; minMs: number; maxMs: number },
): Promise<{ load: ClinicCrashLoad; restarts: number }> {
  const load = new ClinicCrashLoad(proc, options.seed);
  const restarts = await crashLoop(
    proc,
    {
      settle: () => load.settle(),
      run: () => load.run(options.workers),
      acknowledged: () => load.ledger.acknowledged,
      killDelay: (minMs, maxMs) => load.killDelay(minMs, maxMs),
    },
    options,
  );
  return { load, restarts };
}

/** What `verifyClinic` found; every list empty and `integrity` 'ok' means the run is sound. */
export interface ClinicVerdict {
  integrity: string;
  foreignKeyViolations: number;
  /** Acknowledged writes missing from the database (or with another id). */
  lost: string[];
  /** Names present more than once. */
  duplicates: string[];
  /** Receipt-number gaps and payment anomalies. */
  payments: string[];
  /** Rows whose outbox entry is missing, doubled or stale. */
  changeLog: string[];
  /** Rows checked: patients, appointments and payments of the run. */
  rows: { patients: number; appointments: number; payments: number; outbox: number };
}

/** Checks the database file (server down) against the ledger (see the module comment). */
export function verifyClinic(dbFile: string, ledger: ClinicLedger): ClinicVerdict {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const foreignKeyViolations = (db.pragma('foreign_key_check') as unknown[]).length;
    const lost: string[] = [];
    const byName = new Map<string, string[]>();
    for (const r of db
      .prepare("SELECT id, full_name AS name FROM patients WHERE full_name LIKE 'Teste Falha %'")
      .all() as { id: string; name: string }[])
      byName.set(r.name, [...(byName.get(r.name) ?? []), r.id]);
    const duplicates = [...byName].filter(([, ids]) => ids.length > 1).map(([n]) => n);
    for (const name of byName.keys()) if (!ledger.names.has(name)) lost.push(`unknown patient ${name}`);
    for (const [name, id] of ledger.patients)
      if (!byName.get(name)?.includes(id)) lost.push(`patient ${name} (${id})`);
    const appointment = db.prepare('SELECT patient_id AS patientId, status FROM appointments WHERE id = ?');
    for (const [name, w] of ledger.walkIns) {
      const row = appointment.get(w.appointmentId) as { patientId: string; status: string } | undefined;
      if (!row) lost.push(`walk-in ${name} (${w.appointmentId})`);
      else if (!byName.get(name)?.includes(row.patientId)) lost.push(`walk-in patient ${name}`);
      else if (row.status === 'scheduled') lost.push(`walk-in ${name} not checked in`);
    }
    const payment = db.prepare('SELECT appointment_id AS a, voided_at AS v FROM payments WHERE id = ?');
    for (const [appointmentId, id] of ledger.payments) {
      const row = payment.get(id) as { a: string; v: string | null } | undefined;
      if (!row || row.a !== appointmentId || row.v !== null) lost.push(`payment ${id} of ${appointmentId}`);
    }
    const payments: string[] = [];
    for (const y of db
      .prepare(
        'SELECT receipt_year AS y, COUNT(*) AS n, MAX(receipt_seq) AS top FROM payments GROUP BY receipt_year',
      )
      .all() as { y: number; n: number; top: number }[])
      if (y.n !== y.top) payments.push(`receipts ${y.y}: ${y.n} payments, highest number ${y.top}`);
    for (const r of db
      .prepare(
        'SELECT appointment_id AS a, COUNT(*) AS n FROM payments WHERE voided_at IS NULL GROUP BY 1 HAVING n > 1',
      )
      .all() as { a: string; n: number }[])
      payments.push(`appointment ${r.a}: ${r.n} live payments`);

    const changeLog: string[] = [];
    const rows = { patients: 0, appointments: 0, payments: 0, outbox: 0 };
    const outboxOf = db.prepare('SELECT version, payload FROM outbox WHERE entity = ? AND entity_id = ?');
    for (const [entity, table] of [
      ['patient', 'patients'],
      ['appointment', 'appointments'],
      ['payment', 'payments'],
    ] as const) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
        rows[table]++;
        const entries = outboxOf.all(entity, row.id) as { version: number; payload: string }[];
        if (entries.length !== 1)
          changeLog.push(`${entity} ${row.id as string}: ${entries.length} outbox rows`);
        else if (entries[0]!.version !== row.version)
          changeLog.push(
            `${entity} ${row.id as string}: outbox v${entries[0]!.version}, row v${row.version as number}`,
          );
        else if (JSON.stringify(JSON.parse(entries[0]!.payload)) !== JSON.stringify(row))
          changeLog.push(`${entity} ${row.id as string}: outbox payload differs from the row`);
      }
    }
    const outbox = db.prepare('SELECT COUNT(*) AS n, MAX(seq) AS top FROM outbox').get() as {
      n: number;
      top: number | null;
    };
    rows.outbox = outbox.n;
    const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as
      { seq: number } | undefined;
    if ((outbox.top ?? 0) > (sequence?.seq ?? 0))
      changeLog.push(`outbox seq ${outbox.top} beyond sqlite_sequence ${sequence?.seq ?? 0}`);
    return { integrity, foreignKeyViolations, lost, duplicates, payments, changeLog, rows };
  } finally {
    db.close();
  }
}
