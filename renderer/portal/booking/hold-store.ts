/**
 * The slot held while the patient reviews (zustand). The hold is the server's (it lapses at
 * `expiresAt` by itself); we keep it here to show the review step and give it back (DELETE) when the
 * patient goes back or leaves, so the slot is free for others at once.
 */
import { create } from 'zustand';
import { releaseHold } from '../api.ts';
import type { Hold } from '../types.ts';

interface HoldState {
  hold: Hold | null;
}

/** The current hold. */
export const useHold = create<HoldState>(() => ({ hold: null }));

/** Records a new hold. */
export function setHold(hold: Hold): void {
  useHold.setState({ hold });
}

/** Forgets the hold without releasing it (it became an appointment, or it expired). */
export function forgetHold(): void {
  useHold.setState({ hold: null });
}

/** Releases the current hold on the server (best effort: it expires anyway) and forgets it. */
export function dropHold(): void {
  const { hold } = useHold.getState();
  if (!hold) return;
  useHold.setState({ hold: null });
  if (Date.parse(hold.expiresAt) > Date.now()) releaseHold(hold.id).catch(() => undefined);
}
