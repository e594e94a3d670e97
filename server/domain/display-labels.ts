/**
 * Rules of the waiting-room display's labels and calls (pure): when masked names collide the ticket is
 * shown beside them, and a call leaves "now calling" after a fixed time.
 */

/** An entry on a public screen: its masked label and the ticket the kiosk printed (null before arrival). */
export interface LabelledEntry {
  label: string;
  ticket: string | null;
}

/**
 * The form two labels are compared in: case, accents and spacing ignored ('Ana S.', 'ana  s.' and
 * 'Ána S.' read alike from across a waiting room, so they count as the same label).
 */
export function labelKey(label: string): string {
  return label.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('pt-PT').replace(/\s+/g, ' ').trim();
}

/**
 * Marks the entries whose ticket must be shown beside their label: those whose label (as `labelKey`
 * compares it) appears more than once in `entries` — every entry of such a group is marked, so each of
 * the two 'Ana S.' shows its own ticket. An entry without a ticket, or whose label already is its ticket
 * (namePolicy 'ticket'), is never marked. Pass every entry that is on the screen at once (calls and
 * waiting list together).
 * @returns a new array, same order and length, each entry copied with `showTicket`
 */
export function markCollisions<T extends LabelledEntry>(
  entries: readonly T[],
): (T & { showTicket: boolean })[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(labelKey(e.label), (counts.get(labelKey(e.label)) ?? 0) + 1);
  return entries.map((e) => ({
    ...e,
    showTicket:
      (counts.get(labelKey(e.label)) ?? 0) > 1 &&
      e.ticket !== null &&
      e.ticket !== '' &&
      e.ticket !== e.label,
  }));
}

/**
 * Whether a call made at `calledAtMs` still shows in "now calling" at `nowMs`: for `displayMs` from the
 * call, i.e. while `nowMs - calledAtMs < displayMs` (at exactly `displayMs` it has expired). A call
 * stamped in the future (clock adjusted) shows. All three in milliseconds (epoch for the instants).
 */
export function isCallShowing(calledAtMs: number, nowMs: number, displayMs: number): boolean {
  return nowMs - calledAtMs < displayMs;
}
