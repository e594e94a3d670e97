/**
 * Live updates for "my appointments": one LISTEN per central process on the change feed's channel
 * (db/changes.ts), fanned out in memory to that process's open SSE streams by account. Because the
 * NOTIFY comes from PostgreSQL (or PGlite), a change made through any central instance reaches the
 * patient's stream on whichever instance holds it — no sticky sessions, no cluster machinery.
 */
import { CHANGES_CHANNEL, type ChangeNotice } from '../../db/changes.ts';
import type { CentralDatabase } from '../../db/database.ts';

/** Calls subscribers with the change notices that concern their account. */
export class AccountFanout {
  private readonly subscribers = new Map<string, Set<(n: ChangeNotice) => void>>();
  private listening: Promise<unknown> | null = null;

  constructor(private readonly database: CentralDatabase) {}

  /** Subscribes to an account's changes; resolves once LISTEN is in place; returns the unsubscribe. */
  async subscribe(accountId: string, onNotice: (n: ChangeNotice) => void): Promise<() => void> {
    this.listening ??= this.database.listen(CHANGES_CHANNEL, (payload) => this.dispatch(payload));
    await this.listening;
    let set = this.subscribers.get(accountId);
    if (!set) {
      set = new Set();
      this.subscribers.set(accountId, set);
    }
    set.add(onNotice);
    return () => {
      set.delete(onNotice);
      if (set.size === 0) this.subscribers.delete(accountId);
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
    if (!notice.accountId) return;
    this.subscribers.get(notice.accountId)?.forEach((fn) => fn(notice));
  }
}
