/**
 * What the waiting-room display shows: who is being called into which room, who is waiting and for about
 * how long. Names are masked by the clinic's policy; nothing clinical (no specialty) is included. When
 * two entries would read the same, both carry `showTicket` so the screen shows their tickets.
 */
import { DEFAULT_SETTINGS } from '../../../domain/settings.ts';
import { isCallShowing, markCollisions, type LabelledEntry } from '../../../domain/display-labels.ts';
import { publicName } from '../../../domain/names.ts';
import type { NamePolicy } from '../../../domain/settings.ts';
import type { AppointmentId } from '../../../domain/ids.ts';
import type { WaitBand } from '../../../domain/wait.ts';
import type { ClinicDeps } from '../../deps.ts';
import { dayWithEstimates } from '../appointments/service.ts';
import { readSettings } from '../settings/repo.ts';

/**
 * How long a call stays in "now calling" by default, ms (the default of the clinic setting
 * `callDisplayMin`, 5 min). After that the patient is in the room (or will be recalled): the call leaves
 * the screen, and a recall (called → arrived → called) stamps a new `calledAt` and shows it again. The
 * screens refresh every 30 s (app.ts `refreshMs`), so a call leaves within 30 s after this.
 */
export const CALL_DISPLAY_MS = DEFAULT_SETTINGS.callDisplayMin * 60_000;

/** A patient being called: masked label → room. */
export interface DisplayCall {
  id: AppointmentId;
  label: string;
  ticket: string | null;
  /** True when another entry on the screen has the same label: show `ticket` beside it. */
  showTicket: boolean;
  roomName: string;
  calledAt: string;
}

/** A checked-in patient waiting, with the estimated wait in whole minutes. */
export interface DisplayWaiting {
  id: AppointmentId;
  label: string;
  ticket: string | null;
  /** True when another entry on the screen has the same label: show `ticket` beside it. */
  showTicket: boolean;
  roomName: string | null;
  practitionerName: string;
  /** Estimated wait, whole minutes. */
  waitMin: number;
  /** The band shown to patients (server/domain/wait.ts `waitBand`). */
  band: WaitBand;
}

/** Everything the display shows (no full names, nothing clinical). */
export interface DisplayState {
  clinicName: string;
  namePolicy: NamePolicy;
  now: string;
  seq: number;
  /** Most recent call first; at most 5, each for `CALL_DISPLAY_MS` after it was made. */
  nowCalling: DisplayCall[];
  /** Checked-in patients by predicted start. */
  waiting: DisplayWaiting[];
}

/**
 * The display's state now (`deps.now()`), names masked by the clinic's `namePolicy`, calls older than
 * `callDisplayMs` (ms, default the clinic setting `callDisplayMin`) left out, and colliding labels marked `showTicket`.
 */
export function displayState(deps: ClinicDeps, callDisplayMs?: number): DisplayState {
  const settings = readSettings(deps);
  const showFor = callDisplayMs ?? settings.callDisplayMin * 60_000;
  const { appointments } = dayWithEstimates(deps);
  const now = deps.now();
  const label = (fullName: string, ticket: string | null) =>
    publicName(fullName, ticket, settings.namePolicy);
  const calls = appointments
    .filter((a) => a.status === 'called' && a.calledAt && isCallShowing(Date.parse(a.calledAt), now, showFor))
    .sort((a, b) => Date.parse(b.calledAt!) - Date.parse(a.calledAt!))
    .slice(0, 5)
    .map((a) => ({
      id: a.id,
      label: label(a.patient.fullName, a.ticket),
      ticket: a.ticket,
      roomName: a.room?.name ?? '—',
      calledAt: a.calledAt!,
    }));
  const queue = appointments
    .filter((a) => a.status === 'arrived')
    .sort(
      (a, b) =>
        Date.parse(a.estimate?.predictedStartAt ?? a.startsAt) -
        Date.parse(b.estimate?.predictedStartAt ?? b.startsAt),
    )
    .map((a) => ({
      id: a.id,
      label: label(a.patient.fullName, a.ticket),
      ticket: a.ticket,
      roomName: a.room?.name ?? null,
      practitionerName: a.practitioner.displayName,
      waitMin: a.estimate?.waitMin ?? 0,
      band: a.estimate?.band ?? 'next',
    }));
  // Collisions are judged over everything on screen at once: a call and a waiting entry can collide too.
  const marked = markCollisions<LabelledEntry>([...calls, ...queue]);
  const nowCalling = calls.map((c, i) => ({ ...c, showTicket: marked[i]!.showTicket }));
  const waiting = queue.map((w, i) => ({ ...w, showTicket: marked[calls.length + i]!.showTicket }));
  return {
    clinicName: settings.clinicName,
    namePolicy: settings.namePolicy,
    now: new Date(now).toISOString(),
    seq: deps.events.seq,
    nowCalling,
    waiting,
  };
}
