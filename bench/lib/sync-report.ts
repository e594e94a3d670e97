/**
 * The sync benchmark's report: the shapes of `bench/results/sync.json` per driver and phase, and its
 * Markdown summary (copied into `docs/benchmarks.md`, "Sync"): per driver and phase, the issue's figures
 * (total time, changes/s, batch latency p50 / p95 / max), the bare floor and our ratio to it, and where
 * the time went (central's route, HTTP and JSON, the clinic's own work).
 */
import type { LatencySummary } from './central-load.ts';
import { ratio } from './central-report.ts';
import type { BatchFigures } from './sync-data.ts';

/** One phase (push or pull) of one driver, as sync.json keeps it. */
export interface PhaseResult {
  figures: BatchFigures;
  /** Every batch: size, start (from the phase's start), HTTP round trip, until acknowledged, central's route, ms. */
  batches: { n: number; startMs: number; httpMs: number; doneMs: number; serverMs: number | null }[];
  /** The machine's 1, 5 and 15-minute load averages when the phase started (other jobs share its cores). */
  loadAverageAtStart?: number[];
  /** CPU time (user + system) during the phase: central's process, and the clinic's (this process), ms. */
  cpu: { centralMs: number; clinicMs: number; centralMsPerChange: number; clinicMsPerChange: number };
  /** The bare reference: each batch's bare HTTP and bare database time, their sums, and the floor per batch. */
  bare: {
    httpMs: number[];
    dbMs: number[];
    httpTotalMs: number;
    dbTotalMs: number;
    floorTotalMs: number;
    floorBatchMs: LatencySummary;
  };
}

/** One driver's results. */
export interface DriverResult {
  driver: 'pglite' | 'postgres';
  where: string;
  serverVersion: string;
  setup: object;
  push: PhaseResult & {
    statuses: Record<string, number>;
    check: object;
    ok: boolean;
    /** The bare insert again, one row per transaction: what a transaction per entry costs at the least. */
    bareTransactionPerEntry?: {
      what: string;
      entries: number;
      batchMs: number[];
      msPerTransaction: number;
      /** msPerTransaction × the phase's entries. */
      projectedMs: number;
    };
  };
  pull: PhaseResult & { report: object; check: object; ok: boolean };
  json: object;
}

/** What the summary reads of sync.json. */
export interface SyncSummaryInput {
  drivers: Record<string, DriverResult | null>;
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const m = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

/**
 * The Markdown tables of a run: figures per driver and phase, then where the time went.
 * Ratios are ours ÷ bare (`ratio` of the central benchmark: ×60, ×3.4).
 */
export function syncMarkdownSummary(r: SyncSummaryInput): string {
  const runs = Object.values(r.drivers).filter((d): d is DriverResult => d !== null);
  const rows = runs.flatMap((d) => (['push', 'pull'] as const).map((p) => ({ d, p, x: d[p] })));
  const lines = [
    '| driver | phase | changes | total, s | changes/s | batch p50 / p95 / max, ms | bare floor, s (HTTP + DB) | ours ÷ bare, total | ours ÷ bare, batch p95 | load average at start (1 min) | checks |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --- |',
  ];
  for (const { d, p, x } of rows) {
    const f = x.figures;
    lines.push(
      `| ${d.driver} | ${p} | ${f.changes} | ${s(f.totalMs)} | ${f.perSecond.toFixed(0)} | ` +
        `${m(f.batchMs.p50)} / ${m(f.batchMs.p95)} / ${m(f.batchMs.max)} | ` +
        `${s(x.bare.floorTotalMs)} (${s(x.bare.httpTotalMs)} + ${s(x.bare.dbTotalMs)}) | ` +
        `${ratio(f.totalMs, x.bare.floorTotalMs)} | ${ratio(f.batchMs.p95, x.bare.floorBatchMs.p95)} | ` +
        `${x.loadAverageAtStart ? x.loadAverageAtStart[0]!.toFixed(1) : '—'} | ${x.ok ? 'ok' : '**WRONG**'} |`,
    );
  }
  lines.push(
    '',
    '| driver | phase | central route, s | HTTP + JSON, s | clinic (read, apply, acknowledge), s | central CPU, ms/change | clinic CPU, ms/change | bare, a transaction per entry, ms each (× 5,000, s) |',
    '| --- | --- | --: | --: | --: | --: | --: | --: |',
  );
  for (const { d, p, x } of rows) {
    const sp = x.figures.split;
    const tx = d.push.bareTransactionPerEntry;
    lines.push(
      `| ${d.driver} | ${p} | ${sp.serverMs === null ? '—' : s(sp.serverMs)} | ` +
        `${sp.httpAndJsonMs === null ? '—' : s(sp.httpAndJsonMs)} | ${s(sp.clinicMs)} | ` +
        `${x.cpu.centralMsPerChange.toFixed(2)} | ${x.cpu.clinicMsPerChange.toFixed(2)} | ` +
        `${p === 'push' && tx ? `${tx.msPerTransaction.toFixed(2)} (${s(tx.projectedMs)})` : '—'} |`,
    );
  }
  return lines.join('\n');
}
