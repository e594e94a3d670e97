/**
 * What the waiting-room display shows: who is being called into which room, who is waiting and for about
 * how long. Names are masked by the clinic's policy; nothing clinical (no specialty) is included.
 */
import { publicName } from '../../../domain/names.ts';
import type { NamePolicy } from '../../../domain/settings.ts';
import type { AppointmentId } from '../../../domain/ids.ts';
import type { WaitBand } from '../../../domain/wait.ts';
import type { ClinicDeps } from '../../deps.ts';
import { dayWithEstimates } from '../appointments/service.ts';
import { readSettings } from '../settings/repo.ts';

/** A patient being called: masked label → room. */
export interface DisplayCall {
  id: AppointmentId;
  label: string;
  ticket: string | null;
  roomName: string;
  calledAt: string;
}

/** A checked-in patient waiting, with the estimated wait in whole minutes. */
export interface DisplayWaiting {
  id: AppointmentId;
  label: string;
  ticket: string | null;
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
  /** Most recent call first; at most 5. */
  nowCalling: DisplayCall[];
  /** Checked-in patients by predicted start. */
  waiting: DisplayWaiting[];
}

/** The display's state now, names masked by the clinic's `namePolicy`. */
export function displayState(deps: ClinicDeps): DisplayState {
  const settings = readSettings(deps);
  const { appointments } = dayWithEstimates(deps);
  const label = (fullName: string, ticket: string | null) =>
    publicName(fullName, ticket, settings.namePolicy);
  const nowCalling = appointments
    .filter((a) => a.status === 'called' && a.calledAt)
    .sort((a, b) => Date.parse(b.calledAt!) - Date.parse(a.calledAt!))
    .slice(0, 5)
    .map((a) => ({
      id: a.id,
      label: label(a.patient.fullName, a.ticket),
      ticket: a.ticket,
      roomName: a.room?.name ?? '—',
      calledAt: a.calledAt!,
    }));
  const waiting = appointments
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
  return {
    clinicName: settings.clinicName,
    namePolicy: settings.namePolicy,
    now: new Date(deps.now()).toISOString(),
    seq: deps.events.seq,
    nowCalling,
    waiting,
  };
}
