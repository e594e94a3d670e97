/**
 * Shared snapshots for the screens' streams and the board's JSON (issue 13). One hub per clinic process
 * (per change bus): a snapshot is computed once per change per *scope key* ('display', 'board|all',
 * 'board|<practitionerId>'), serialised once, and the same SSE frame (the same bytes) is enqueued on every
 * stream of that key. Bursts of changes are coalesced: at most one fan-out per `coalesceMs` (50 ms), the
 * first one on the next macrotask. Streams are capped (`maxStreams`, 500): past it a new stream is
 * answered 429 `too_many_streams` (docs/benchmarks.md, "Load"). A stream whose client does not read
 * (more than `MAX_QUEUED_FRAMES` frames queued) is closed; its EventSource reconnects to a fresh snapshot.
 *
 * Freshness of a cached snapshot: the change-bus sequence number, SQLite's `total_changes()` of the
 * connection (so a write that emitted no change still invalidates it) and the clinic clock in
 * `cacheMs` buckets (1 s: a cached board is at most that old, its waits are whole minutes).
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { AppError } from '../../domain/errors.ts';
import type { ClinicDeps } from '../deps.ts';

/** Default cap on open streams per process (display screens and desks together). */
export const MAX_STREAMS = 500;
/** Frames a stream may have queued unread before it is closed as stuck. */
export const MAX_QUEUED_FRAMES = 32;
/** Keep-alive comment interval, ms (proxies close idle streams). */
const KEEP_ALIVE_MS = 15_000;

/** Hub tuning; all optional. Times in ms. */
export interface HubOptions {
  /** Open streams allowed at once; default `MAX_STREAMS`. */
  maxStreams?: number;
  /** Minimum interval between two fan-outs, ms; default 50. */
  coalesceMs?: number;
  /** Periodic re-snapshot of open streams (waits change as time passes), ms; default 30 s. */
  refreshMs?: number;
  /** Clock bucket of a cached snapshot's freshness, ms; default 1000. */
  cacheMs?: number;
}

/** A serialised snapshot: the JSON text, its weak ETag and the change-bus sequence it reflects. */
export interface Snapshot {
  json: string;
  etag: string;
  seq: number;
}

/** A stream's subscription to a topic. */
interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  topic: Topic;
}

/** A scope key with open streams: what its snapshot is and who receives it. */
interface Topic {
  key: string;
  event: string;
  compute: () => unknown;
  subscribers: Set<Subscriber>;
  /** The JSON text last sent to the topic's streams (an unchanged snapshot is not sent again). */
  lastSent: string | null;
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

/** Shared snapshots and SSE fan-out of one clinic process. */
export class SnapshotHub {
  /** Open streams allowed at once (tests lower it to check the 429). */
  maxStreams: number;
  private readonly coalesceMs: number;
  private readonly refreshMs: number;
  private readonly cacheMs: number;
  private readonly cache = new Map<string, { fresh: string; value: unknown; snap?: Snapshot }>();
  private readonly topics = new Map<string, Topic>();
  private readonly computed = new Map<string, number>();
  private readonly totalChanges: Statement;
  private streams = 0;
  private lastFlush = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private refreshTimer: ReturnType<typeof setInterval> | null = null;
  private keepAliveTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: ClinicDeps,
    options: HubOptions = {},
  ) {
    this.maxStreams = options.maxStreams ?? MAX_STREAMS;
    this.coalesceMs = options.coalesceMs ?? 50;
    this.refreshMs = options.refreshMs ?? 30_000;
    this.cacheMs = options.cacheMs ?? 1000;
    this.totalChanges = deps.db.prepare('SELECT total_changes() AS n');
  }

  /** Open streams now. */
  get streamCount(): number {
    return this.streams;
  }

  /** How many times the snapshot of `key` was computed (tests assert one per change). */
  computeCount(key: string): number {
    return this.computed.get(key) ?? 0;
  }

  private freshness(): string {
    const { n } = this.totalChanges.get() as { n: number };
    return `${this.deps.events.seq}|${n}|${Math.floor(this.deps.now() / this.cacheMs)}`;
  }

  /** `compute()`'s value, cached until the next change (or clock bucket); not serialised. */
  value<T>(key: string, compute: () => T): T {
    return this.entry(key, compute).value as T;
  }

  private entry(key: string, compute: () => unknown) {
    const fresh = this.freshness();
    const hit = this.cache.get(key);
    if (hit?.fresh === fresh) return hit;
    this.computed.set(key, this.computeCount(key) + 1);
    const next = { fresh, value: compute() };
    this.cache.set(key, next);
    return next;
  }

  /** The snapshot of `key`: computed and serialised once per change, shared by every caller. */
  snapshot(key: string, compute: () => unknown): Snapshot {
    const e = this.entry(key, compute) as { value: unknown; snap?: Snapshot };
    if (!e.snap) {
      const json = JSON.stringify(e.value);
      const etag = `W/"${createHash('sha1').update(json).digest('base64url').slice(0, 22)}"`;
      e.snap = { json, etag, seq: this.deps.events.seq };
    }
    return e.snap;
  }

  /**
   * An SSE response: `event` frames with the snapshot of `key` (data = its JSON, id = the bus sequence),
   * one at once and one after every change (coalesced) and periodic refresh, keep-alive comments between.
   * @throws AppError too_many_streams (429) past `maxStreams` open streams
   */
  stream(key: string, event: string, compute: () => unknown): Response {
    if (this.streams >= this.maxStreams)
      throw new AppError('too_many_streams', `at most ${this.maxStreams} live screens at once`, {
        max: this.maxStreams,
      });
    // Computed first: a failure answers an error instead of leaving a stream counted but never opened.
    const first = this.frame(event, this.snapshot(key, compute));
    this.streams += 1;
    this.start();
    let topic = this.topics.get(key);
    if (!topic) {
      topic = { key, event, compute, subscribers: new Set(), lastSent: null };
      this.topics.set(key, topic);
    }
    const t = topic;
    let sub: Subscriber | null = null;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        sub = { controller, topic: t };
        t.subscribers.add(sub);
        controller.enqueue(first);
      },
      cancel: () => {
        if (sub) this.drop(sub);
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      },
    });
  }

  private frame(event: string, snap: Snapshot): Uint8Array {
    return encoder.encode(`event: ${event}\ndata: ${snap.json}\nid: ${snap.seq}\n\n`);
  }

  private drop(sub: Subscriber): void {
    if (!sub.topic.subscribers.delete(sub)) return;
    if (sub.topic.subscribers.size === 0) this.topics.delete(sub.topic.key);
    this.streams -= 1;
    if (this.streams === 0) this.stop();
  }

  private start(): void {
    if (this.refreshTimer) return;
    this.unsubscribe ??= this.deps.events.subscribe(() => this.schedule());
    this.refreshTimer = setInterval(() => this.schedule(), this.refreshMs);
    this.keepAliveTimer = setInterval(() => this.send(() => KEEP_ALIVE), KEEP_ALIVE_MS);
    this.refreshTimer.unref?.();
    this.keepAliveTimer.unref?.();
  }

  private stop(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.refreshTimer = this.keepAliveTimer = this.flushTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** One fan-out soon: on the next macrotask, or `coalesceMs` after the previous one. */
  private schedule(): void {
    if (this.flushTimer || this.streams === 0) return;
    const delay = Math.max(0, this.lastFlush + this.coalesceMs - performance.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.lastFlush = performance.now();
      this.flush();
    }, delay);
  }

  private flush(): void {
    for (const topic of [...this.topics.values()]) {
      let snap: Snapshot;
      try {
        snap = this.snapshot(topic.key, topic.compute);
      } catch {
        continue; // the next change or refresh tries again; the streams keep their last snapshot
      }
      if (snap.json === topic.lastSent) continue;
      topic.lastSent = snap.json;
      const frame = this.frame(topic.event, snap);
      this.send(() => frame, topic);
    }
  }

  /** Enqueues the same bytes on every stream (of `topic`, or all); closes streams that stopped reading. */
  private send(frame: () => Uint8Array, topic?: Topic): void {
    const topics = topic ? [topic] : [...this.topics.values()];
    for (const t of topics)
      for (const sub of [...t.subscribers]) {
        try {
          if ((sub.controller.desiredSize ?? 0) < -MAX_QUEUED_FRAMES) {
            sub.controller.close();
            this.drop(sub);
          } else sub.controller.enqueue(frame());
        } catch {
          this.drop(sub); // already closed
        }
      }
  }
}

const hubs = new WeakMap<object, SnapshotHub>();

/**
 * The hub of this clinic process (one per change bus), created on first use with `options` (later
 * options are ignored, so routes and tests share it).
 */
export function hubFor(deps: ClinicDeps, options?: HubOptions): SnapshotHub {
  let hub = hubs.get(deps.events);
  if (!hub) {
    hub = new SnapshotHub(deps, options);
    hubs.set(deps.events, hub);
  }
  return hub;
}
