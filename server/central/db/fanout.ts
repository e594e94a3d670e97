/**
 * Live updates from the change feed: one LISTEN per central process on its NOTIFY channel
 * (db/changes.ts), fanned out in memory to that process's subscribers by a key taken from each notice
 * (the account for "my appointments", the order for a payment page). Because the NOTIFY comes from
 * PostgreSQL (or PGlite), a change made through any central instance reaches a stream held by any other:
 * no sticky sessions, no cluster machinery.
 */
import { CHANGES_CHANNEL, type ChangeNotice } from './changes.ts';
import type { CentralDatabase } from './database.ts';

/** Calls subscribers with the change notices whose key (`keyOf`) is theirs. */
export class ChangeFanout {
  private readonly subscribers = new Map<string, Set<(n: ChangeNotice) => void>>();
  private listening: Promise<unknown> | null = null;

  /**
   * @param keyOf the key a notice is delivered under, or null to drop it (e.g. `(n) => n.accountId`)
   */
  constructor(
    private readonly database: CentralDatabase,
    private readonly keyOf: (n: ChangeNotice) => string | null,
  ) {}

  /** Subscribes to one key's notices; resolves once LISTEN is in place; returns the unsubscribe. */
  async subscribe(key: string, onNotice: (n: ChangeNotice) => void): Promise<() => void> {
    this.listening ??= this.database.listen(CHANGES_CHANNEL, (payload) => this.dispatch(payload));
    await this.listening;
    let set = this.subscribers.get(key);
    if (!set) {
      set = new Set();
      this.subscribers.set(key, set);
    }
    set.add(onNotice);
    return () => {
      set.delete(onNotice);
      if (set.size === 0) this.subscribers.delete(key);
    };
  }

  /** Number of open subscriptions (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.size;
    return n;
  }

  private dispatch(payload: string): void {
    let notice: ChangeNotice;
    try {
      notice = JSON.parse(payload) as ChangeNotice;
    } catch {
      return;
    }
    const key = this.keyOf(notice);
    if (key) this.subscribers.get(key)?.forEach((fn) => fn(notice));
  }
}
