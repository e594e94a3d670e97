/**
 * The sync benchmark's settings and its pure parts (`bench/sync.ts`): the shape of the clinic's days of
 * work that fill the outbox (`planDays`), the online bookings that fill central's feed (`buildFeed`), and
 * the figures of a run of timed batches (`batchFigures`). No I/O here; the harness writes the plans through
 * the clinic's repositories and central's tables.
 */
import path from 'node:path';
import { BOOKING_CODE_ALPHABET } from '../../server/domain/booking.ts';
import { DEMO_PRACTITIONERS } from '../../server/domain/demo-clinic.ts';
import { newId } from '../../server/domain/ids.ts';
import { round } from './metrics.ts';
import { summarizeLatency, type LatencySummary } from './central-load.ts';
import { REPO_ROOT } from './config.ts';

/** Where the figures go. */
export const SYNC_RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/sync.json');

/**
 * What one run does, per driver: `entries` outbox entries pushed in batches of `batchSize` (the protocol's
 * maximum), and a feed of exactly `feed.bookings + 2 × feed.moved + feed.cancelled` changes pulled in pages
 * of `pageSize`. `seed` makes the plans (not the ids) the same on every run.
 */
export const SYNC_BENCH = {
  entries: 5_000,
  batchSize: 500,
  pageSize: 500,
  seed: 20_261_201,
  /** Entries inserted again one per transaction (the bare cost of a transaction per entry). */
  transactionSample: 1_000,
  /** Visits a clinic day: each visit's times are spread over 08:00–19:00 UTC of its day. */
  visitsPerDay: 100,
  /** The first day of visits (a Monday); the clinic's clock is moved through the days as the desk works. */
  firstDay: '2026-10-05',
  feed: {
    /** Bookings made online (one `insert` each). */
    bookings: 4_000,
    /** Of those, moved online: a new booking (`insert`, `rescheduledFrom`) and the old one cancelled. */
    moved: 300,
    /** Of those (others than the moved ones), cancelled online (`update`, status `cancelled`). */
    cancelled: 400,
    /** Portal accounts that book (some book more than once). */
    accounts: 2_600,
    /** The first bookable day (the weeks after the visits) and the length of a booking, minutes. */
    firstDay: '2026-12-07',
    durationMin: 45,
  },
} as const;

/** The feed's shape (`SYNC_BENCH.feed`). */
export interface FeedShape {
  bookings: number;
  moved: number;
  cancelled: number;
  accounts: number;
  /** YYYY-MM-DD. */
  firstDay: string;
  durationMin: number;
}

/** How a visit of the day ends. In-flight ones stop before `called`, so no room is held at the end. */
export type VisitEnd = 'done' | 'no_show' | 'cancelled' | 'arrived' | 'scheduled';

/** One visit to write: a new or returning patient, how it ends, whether it is paid at the desk. */
export interface VisitPlan {
  /** Index of the patient among those the plan creates (0-based, in creation order). */
  patient: number;
  /** True when this visit creates its patient (the patient's first entry). */
  newPatient: boolean;
  end: VisitEnd;
  /** A desk payment (one more entry); only for `done`. */
  paid: boolean;
  walkIn: boolean;
  /** How the patient checked in, when they did. */
  checkIn: 'face' | 'code' | 'desk';
}

/** The plan of the clinic's work that queues exactly `entries` outbox entries. */
export interface DaysPlan {
  visits: VisitPlan[];
  /** Patients registered at the desk with no visit yet (fill the last 1–2 entries). */
  patientsOnly: number;
  /** What the outbox holds after it: one entry per patient, appointment and payment. */
  expected: { patients: number; appointments: number; payments: number; entries: number };
}

const ENDS: [VisitEnd, number][] = [
  ['done', 0.8],
  ['no_show', 0.05],
  ['cancelled', 0.06],
  ['arrived', 0.05],
  ['scheduled', 0.04],
];

function pickEnd(u: number): VisitEnd {
  let acc = 0;
  for (const [end, p] of ENDS) {
    acc += p;
    if (u < acc) return end;
  }
  return 'done';
}

/**
 * Plans visits until the outbox would hold `entries` entries: each visit is one appointment entry (the
 * outbox keeps one entry per row, at its last version), plus one patient entry when the patient is new
 * (45 %), plus one payment entry when it ends `done` and is paid at the desk (90 % of those). Ends: done
 * 80 %, no-show 5 %, cancelled 6 %, still waiting (arrived) 5 %, not come yet (scheduled) 4 %; 15 % walk-ins;
 * check-in by face 40 %, booking code 30 %, desk 30 %. The last one or two entries are patients registered
 * without a visit.
 * @param rand uniform [0, 1) source (seeded for a reproducible plan)
 */
export function planDays(entries: number, rand: () => number): DaysPlan {
  const visits: VisitPlan[] = [];
  let patients = 0;
  let count = 0;
  let payments = 0;
  while (entries - count >= 3) {
    const newPatient = patients === 0 || rand() < 0.45;
    const end = pickEnd(rand());
    const paid = end === 'done' && rand() < 0.9;
    const walkIn = rand() < 0.15;
    const u = rand();
    const checkIn = u < 0.4 ? 'face' : u < 0.7 ? 'code' : 'desk';
    const patient = newPatient ? patients++ : Math.floor(rand() * patients);
    visits.push({ patient, newPatient, end, paid, walkIn, checkIn });
    count += (newPatient ? 1 : 0) + 1 + (paid ? 1 : 0);
    if (paid) payments++;
  }
  const patientsOnly = entries - count;
  return {
    visits,
    patientsOnly,
    expected: {
      patients: patients + patientsOnly,
      appointments: visits.length,
      payments,
      entries,
    },
  };
}

/** A portal account that books online (inserted into central's `accounts`). */
export interface FeedAccount {
  id: string;
  name: string;
  phone: string;
  email: string;
}

/** A row of central's change feed, as the booking service records it (`changePayload` + account). */
export interface FeedRow {
  entity: 'appointment';
  entityId: string;
  op: 'insert' | 'update';
  version: number;
  accountId: string;
  payload: {
    id: string;
    practitionerId: string;
    accountId: string;
    specialty: string;
    startsAt: string;
    endsAt: string;
    status: 'confirmed' | 'cancelled';
    bookingCode: string;
    rescheduledFrom: string | null;
    version: number;
  };
}

/** A feed and what the clinic must hold once it pulled it all. */
export interface Feed {
  accounts: FeedAccount[];
  rows: FeedRow[];
  expected: {
    /** Every appointment id the feed names, with its final status and start at the clinic. */
    appointments: Map<string, { status: 'scheduled' | 'cancelled'; startsAt: string; version: number }>;
    /** Distinct accounts that booked (each becomes a clinic patient). */
    patients: number;
    cancelled: number;
  };
}

/**
 * Online bookings as central's booking service records them in the feed: `bookings` inserts (status
 * `confirmed`, version 1, each with a portal account among `accounts`, a demo practitioner and one of
 * their specialties, on a 45-minute grid from `firstDay`), then, scattered after their booking (0–300
 * positions later), `moved` reschedules (a new booking `insert` with `rescheduledFrom` and the old one
 * `update`d to `cancelled`, version 2) and `cancelled` cancellations (`update`, version 2). Booking codes
 * are unique and avoid `takenCodes` (the clinic's own).
 * @returns exactly bookings + 2 × moved + cancelled rows, in feed order
 */
export function buildFeed(
  shape: FeedShape,
  rand: () => number,
  takenCodes: ReadonlySet<string> = new Set(),
): Feed {
  const accounts: FeedAccount[] = Array.from({ length: shape.accounts }, (_, i) => {
    const id = newId<'account'>();
    return {
      id,
      name: `Utente Online ${i}`,
      phone: `+35191${String(i).padStart(7, '0')}`,
      email: `online-${i}@bench.example`,
    };
  });
  const codes = new Set<string>();
  const code = () => {
    for (;;) {
      let c = '';
      for (let i = 0; i < 6; i++)
        c += BOOKING_CODE_ALPHABET[Math.floor(rand() * BOOKING_CODE_ALPHABET.length)];
      if (!codes.has(c) && !takenCodes.has(c)) {
        codes.add(c);
        return c;
      }
    }
  };
  const first = Date.parse(`${shape.firstDay}T09:00:00.000Z`);
  let slot = 0;
  const booking = (accountId: string, rescheduledFrom: string | null): FeedRow => {
    const practitioner = DEMO_PRACTITIONERS[slot % DEMO_PRACTITIONERS.length]!;
    const k = Math.floor(slot / DEMO_PRACTITIONERS.length);
    slot++;
    // 12 starts a day (09:00 … 17:15, every 45 min), then the next day.
    const startsAt = first + Math.floor(k / 12) * 86_400_000 + (k % 12) * shape.durationMin * 60_000;
    const id = newId<'appointment'>();
    return {
      entity: 'appointment',
      entityId: id,
      op: 'insert',
      version: 1,
      accountId,
      payload: {
        id,
        practitionerId: practitioner.id,
        accountId,
        specialty: practitioner.codes[Math.floor(rand() * practitioner.codes.length)]!,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + shape.durationMin * 60_000).toISOString(),
        status: 'confirmed',
        bookingCode: code(),
        rescheduledFrom,
        version: 1,
      },
    };
  };
  const cancel = (b: FeedRow): FeedRow => ({
    ...b,
    op: 'update',
    version: 2,
    payload: { ...b.payload, status: 'cancelled', version: 2 },
  });

  const inserts = Array.from({ length: shape.bookings }, () =>
    booking(accounts[Math.floor(rand() * accounts.length)]!.id, null),
  );
  // Which bookings change afterwards: a shuffled prefix is moved, the next part cancelled.
  const order = inserts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const events: { at: number; rows: FeedRow[] }[] = inserts.map((row, i) => ({ at: i, rows: [row] }));
  order.slice(0, shape.moved + shape.cancelled).forEach((b, n) => {
    const old = inserts[b]!;
    const at = Math.min(b + 0.5 + Math.floor(rand() * 300), shape.bookings);
    const rows = n < shape.moved ? [booking(old.accountId, old.entityId), cancel(old)] : [cancel(old)];
    events.push({ at, rows });
  });
  events.sort((a, b) => a.at - b.at);
  const rows = events.flatMap((e) => e.rows);

  const appointments: Feed['expected']['appointments'] = new Map();
  for (const r of rows)
    appointments.set(r.entityId, {
      status: r.payload.status === 'cancelled' ? 'cancelled' : 'scheduled',
      startsAt: r.payload.startsAt,
      version: r.version,
    });
  return {
    accounts,
    rows,
    expected: {
      appointments,
      patients: new Set(rows.map((r) => r.accountId)).size,
      cancelled: shape.moved + shape.cancelled,
    },
  };
}

/** One timed batch (a push request, or a pull page). */
export interface TimedBatch {
  /** Entries sent, or changes received. */
  n: number;
  /** When the request started, ms from the phase's start. */
  startMs: number;
  /** Request → answer parsed (the client's HTTP round trip, JSON both ways included). */
  httpMs: number;
  /** Request → acknowledged (push: outbox rows deleted; pull: page and cursor committed), ms. */
  doneMs: number;
  /** Central's time inside the route (from the request reaching its app to the answer built), ms. */
  serverMs: number | null;
}

/** The figures of a phase: the total time, changes/s and batch latency percentiles. */
export interface BatchFigures {
  changes: number;
  batches: number;
  totalMs: number;
  perSecond: number;
  /** Request → acknowledged. */
  batchMs: LatencySummary;
  httpMs: LatencySummary;
  serverMs: LatencySummary | null;
  /** Summed over the batches: central's route time, the rest of the HTTP round trip, the clinic's own work. */
  split: { serverMs: number | null; httpAndJsonMs: number | null; clinicMs: number };
}

/**
 * Figures of a phase of `totalMs` made of `batches` (total = first request → last acknowledgement, the
 * clinic's reading of its first batch included).
 */
export function batchFigures(batches: readonly TimedBatch[], totalMs: number): BatchFigures {
  const changes = batches.reduce((s, b) => s + b.n, 0);
  const server = batches.every((b) => b.serverMs !== null) ? batches.map((b) => b.serverMs!) : null;
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  const http = sum(batches.map((b) => b.httpMs));
  return {
    changes,
    batches: batches.length,
    totalMs: round(totalMs, 1),
    perSecond: round(totalMs > 0 ? (changes / totalMs) * 1000 : NaN, 1),
    batchMs: summarizeLatency(batches.map((b) => b.doneMs)),
    httpMs: summarizeLatency(batches.map((b) => b.httpMs)),
    serverMs: server ? summarizeLatency(server) : null,
    split: {
      serverMs: server ? round(sum(server), 1) : null,
      httpAndJsonMs: server ? round(http - sum(server), 1) : null,
      clinicMs: round(totalMs - http, 1),
    },
  };
}
