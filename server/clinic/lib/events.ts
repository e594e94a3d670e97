/** In-process change notifications: every committed change to the day's queue emits one `change`. */
import { EventEmitter } from 'node:events';

/** What changed: the screens' streams send a new snapshot on any of them. */
export type ChangeKind = 'appointment' | 'settings' | 'catalog' | 'face';

/** The process's change bus: services `emit` after each committed change, SSE streams `subscribe`. */
export class ChangeBus {
  private readonly emitter = new EventEmitter();
  /** Monotonic sequence of changes since start; screens use it to know they are current. */
  seq = 0;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  emit(kind: ChangeKind, entityId?: string): void {
    this.seq += 1;
    this.emitter.emit('change', { seq: this.seq, kind, entityId });
  }

  /** @returns an unsubscribe function */
  subscribe(listener: (change: { seq: number; kind: ChangeKind; entityId?: string }) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
