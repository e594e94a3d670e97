/**
 * The payment-callback benchmark's report: the correctness checks' shape, and the Markdown table
 * `bench/callbacks.ts` prints (copied into `docs/benchmarks.md`): one column per driver and one per
 * driver's bare reference.
 */
import type { CallbackLoadSummary } from './callbacks-load.ts';

/** What the checks after a run found (see `bench/callbacks.ts`, step 4). */
export interface CallbackChecks {
  distinctOrders: number;
  ordersPaid: number;
  ordersByStatus: Record<string, number>;
  ordersWithMoreThanOnePaid: number;
  paymentsByStatus: Record<string, number>;
  /** `payment_callbacks.outcome` tally: applied, duplicate (late, amount_mismatch, unmatched: 0). */
  outcomes: Record<string, number>;
  /** Request ids without exactly one 'applied' delivery (0 expected). */
  requestIdsNotAppliedExactlyOnce: number;
  invoices: {
    count: number;
    minSeq: number | null;
    maxSeq: number | null;
    distinctSeq: number;
    /** count = max(seq) = distinct seqs and min(seq) = 1. */
    gapless: boolean;
    paidOrdersWithoutExactlyOne: number;
  };
  appointmentsConfirmed: number;
  invoiceEmailsQueued: number;
  non200: number;
  ok: boolean;
}

/** The parts of a driver's figures the table shows. */
interface DriverRow {
  driver: string;
  deliveries: number;
  load: CallbackLoadSummary;
  fullyAppliedMs: number;
  appliedAfterLastAnswerMs: number;
  leftForJobLoop: number;
  callbackFailures: { count: number };
  serverCpuMsPerCallback: number;
  checks: CallbackChecks;
  inProcess: Record<string, { n: number; p50: number; p95: number } | Record<string, number>>;
  bare: { load: CallbackLoadSummary; rowsWritten: number; serverCpuMsPerRequest: number };
}

const fmt = (x: number, digits = 1) => x.toFixed(digits);
const tallyText = (t: Record<string, number>) =>
  Object.entries(t)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} × ${n}`)
    .join(', ');

/** The Markdown table of a run. */
export function callbacksMarkdownSummary(r: {
  date: string;
  durationSeconds: number;
  drivers: Record<string, DriverRow | null>;
}): string {
  const runs = Object.values(r.drivers).filter((d): d is DriverRow => d !== null);
  const name = (d: DriverRow) => (d.driver === 'pglite' ? 'PGlite' : 'PostgreSQL');
  const header = ['measure', ...runs.flatMap((d) => [name(d), `bare + INSERT (${name(d)})`])];
  const lines: string[][] = [];
  const row = (label: string, central: (d: DriverRow) => string, bare: (d: DriverRow) => string) =>
    lines.push([label, ...runs.flatMap((d) => [central(d), bare(d)])]);
  const lat = (l: CallbackLoadSummary) =>
    `${fmt(l.latency200Ms.p50, 2)} / ${fmt(l.latency200Ms.p95, 2)} / ${fmt(l.latency200Ms.p99, 2)}`;
  row(
    'callbacks sent (16 in flight): wall time, ms',
    (d) => fmt(d.load.durationMs, 0),
    (d) => fmt(d.bare.load.durationMs, 0),
  );
  row(
    '… answered per second',
    (d) => fmt(d.load.achievedRps),
    (d) => fmt(d.bare.load.achievedRps),
  );
  row(
    '… latency of the 200 answers p50 / p95 / p99, ms',
    (d) => lat(d.load),
    (d) => lat(d.bare.load),
  );
  row(
    '… answers',
    (d) => tallyText(d.load.statuses),
    (d) => tallyText(d.bare.load.statuses),
  );
  row(
    'fully applied (last processed_at), ms after the first send',
    (d) => `${fmt(d.fullyAppliedMs, 0)} (${fmt(d.appliedAfterLastAnswerMs, 0)} after the last answer)`,
    () => '—',
  );
  row(
    '… applied per second, first send → fully applied',
    (d) => fmt((d.deliveries / d.fullyAppliedMs) * 1000),
    () => '—',
  );
  row(
    'server process CPU per callback, ms',
    (d) => fmt(d.serverCpuMsPerCallback, 2),
    (d) => fmt(d.bare.serverCpuMsPerRequest, 2),
  );
  row(
    'orders paid (expected)',
    (d) => `${d.checks.ordersPaid} (${d.checks.distinctOrders})`,
    () => '—',
  );
  row(
    'orders with more than one paid payment',
    (d) => String(d.checks.ordersWithMoreThanOnePaid),
    () => '—',
  );
  row(
    'outcomes',
    (d) => tallyText(d.checks.outcomes),
    (d) => `rows written × ${d.bare.rowsWritten}`,
  );
  row(
    'invoices: count, seq min–max (distinct)',
    (d) =>
      `${d.checks.invoices.count}, ${d.checks.invoices.minSeq}–${d.checks.invoices.maxSeq} (${d.checks.invoices.distinctSeq})` +
      (d.checks.invoices.gapless ? ', no gap' : ', GAP'),
    () => '—',
  );
  row(
    'appointments confirmed; invoice emails queued',
    (d) => `${d.checks.appointmentsConfirmed}; ${d.checks.invoiceEmailsQueued}`,
    () => '—',
  );
  row(
    'background applies that threw; left for the job loop',
    (d) => `${d.callbackFailures.count}; ${d.leftForJobLoop}`,
    () => '—',
  );
  const step = (d: DriverRow, k: string) => {
    const v = d.inProcess[k] as { p50: number; p95: number };
    return `${fmt(v.p50, 2)} / ${fmt(v.p95, 2)}`;
  };
  row(
    'in process, one at a time: receiveCallback p50 / p95, ms',
    (d) => step(d, 'receiveCallbackMs'),
    () => '—',
  );
  row(
    '… processCallback, applied',
    (d) => step(d, 'processCallbackAppliedMs'),
    () => '—',
  );
  row(
    '… processCallback, duplicate',
    (d) => step(d, 'processCallbackDuplicateMs'),
    () => '—',
  );
  row(
    'checks',
    (d) => (d.checks.ok ? 'pass' : '**FAIL**'),
    () => '—',
  );
  const table = [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`);
  return [
    `Payment callbacks, ${r.date.slice(0, 16).replace('T', ' ')} UTC, wall time ${fmt(r.durationSeconds)} s`,
    '',
    ...table,
  ].join('\n');
}
