/** Kiosk check-in by booking code and the confirmation step shared with face check-in. */
import { AppError } from '../../../domain/errors.ts';
import { readSettings } from '../settings/repo.ts';
import { expectedNow, transition, type ClinicDeps } from '../appointments/service.ts';
import { findByBookingCode, getRow } from '../appointments/repo.ts';
import { candidateFor, type KioskCandidate } from '../face/service.ts';

/** What the kiosk shows after check-in. */
export interface CheckInReceipt {
  ticket: string;
  roomName: string | null;
  practitionerName: string;
  waitMin: number;
  predictedStartAt: string | null;
}

function assertExpectedNow(deps: ClinicDeps, appointmentId: string) {
  const row = getRow(deps.db, appointmentId);
  if (row.status !== 'scheduled')
    throw new AppError('already_checked_in', 'this appointment is already checked in or closed');
  if (!expectedNow(deps, readSettings(deps.db)).some((a) => a.id === appointmentId)) {
    throw new AppError(
      'not_expected_now',
      'this appointment is not open for check-in now; please see reception',
    );
  }
}

/** @throws AppError appointment_not_found | already_checked_in | not_expected_now */
export function lookupCode(deps: ClinicDeps, code: string): KioskCandidate {
  const row = findByBookingCode(deps.db, code);
  if (!row) throw new AppError('appointment_not_found', 'no appointment with this code');
  assertExpectedNow(deps, row.id);
  return candidateFor(deps, row.id);
}

/** Checks the patient in after they confirmed the candidate on screen. */
export function confirmCheckIn(
  deps: ClinicDeps,
  appointmentId: string,
  via: 'face' | 'code',
): CheckInReceipt {
  assertExpectedNow(deps, appointmentId);
  const a = transition(deps, appointmentId, 'arrived', { actor: 'kiosk', method: via });
  return {
    ticket: a.ticket ?? '',
    roomName: a.room?.name ?? null,
    practitionerName: a.practitioner.displayName,
    waitMin: a.estimate?.waitMin ?? 0,
    predictedStartAt: a.estimate?.predictedStartAt ?? null,
  };
}
