/**
 * The desk's copy of `GET /api/sync/status`, shared by the header's indicator (renderer/desk/desk-header.tsx)
 * and the settings' sync section (renderer/desk/sync-section.tsx): whichever reads it updates both, so a
 * pairing made in the section shows in the header at once, and the section's faster polling keeps the
 * header current while it is open.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { api, unwrap } from '../shared/api.ts';

/** One conflict central reported (latest 20); optional until the server's status carries them. */
export interface SyncConflict {
  /** The clinic's entity name ('appointment', 'patient', …). */
  entity: string;
  entityId: string;
  /** Central's reason code ('slot_taken', 'central_owns_booking', 'paid_online', 'erased', …). */
  reason: string;
  /** When it happened, ISO-8601 UTC. */
  at: string;
}

const loadStatus = () => unwrap(api.api.sync.status.$get());

/** The clinic's sync state as the server answers it, with `conflicts` when the server sends them. */
export type SyncStatusView = Awaited<ReturnType<typeof loadStatus>> & { conflicts?: SyncConflict[] };

/** The store: the last state read (null before the first answer), and whether the last read failed. */
interface SyncStore {
  status: SyncStatusView | null;
  failed: boolean;
}

/** The shared store (read it with a selector: `useSyncStatus((s) => s.status)`). */
export const useSyncStatus = create<SyncStore>(() => ({ status: null, failed: false }));

/** Reads the state now and shares it; a failed read keeps the last state and sets `failed`. */
export async function refreshSyncStatus(): Promise<void> {
  try {
    const status = (await loadStatus()) as SyncStatusView;
    useSyncStatus.setState({ status, failed: false });
  } catch {
    useSyncStatus.setState({ failed: true });
  }
}

/** Reads the state on mount and then every `intervalMs` while the component is mounted. */
export function usePollSyncStatus(intervalMs: number): void {
  useEffect(() => {
    void refreshSyncStatus();
    const timer = setInterval(() => void refreshSyncStatus(), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
}
