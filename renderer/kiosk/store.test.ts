/**
 * Small tests of the kiosk store's "delete my face data" step: offered only for a candidate found by
 * booking code with a face enrolment; after the withdrawal the candidate stays up for check-in.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppointmentId } from '../../server/domain/ids.ts';
import { canOfferWithdraw, useKiosk } from './store.ts';

const candidate = {
  appointmentId: 'a-1' as AppointmentId,
  initials: 'O. P.',
  startsAt: '2026-11-21T10:20:00.000Z',
  practitionerName: 'Dr.ª Marta Lopes',
};

beforeEach(() => useKiosk.getState().reset());

describe('kiosk store: withdrawal of face consent', () => {
  it('offers it only by code and when enrolled', () => {
    expect(canOfferWithdraw({ candidate: { ...candidate, faceEnrolled: true }, checkInMethod: 'code' })).toBe(
      true,
    );
    expect(
      canOfferWithdraw({ candidate: { ...candidate, faceEnrolled: false }, checkInMethod: 'code' }),
    ).toBe(false);
    expect(canOfferWithdraw({ candidate, checkInMethod: 'face' })).toBe(false);
    expect(canOfferWithdraw({ candidate: null, checkInMethod: 'code' })).toBe(false);

    useKiosk.getState().showCandidate(candidate, 'face');
    useKiosk.getState().askWithdraw();
    expect(useKiosk.getState().withdraw).toBe('none');
  });

  it('confirm → withdrawn keeps the candidate for check-in, no longer enrolled; cancel goes back', () => {
    const s = () => useKiosk.getState();
    s().showCandidate({ ...candidate, faceEnrolled: true }, 'code');
    s().askWithdraw();
    expect(s().withdraw).toBe('confirm');
    s().cancelWithdraw();
    expect(s().withdraw).toBe('none');

    s().askWithdraw();
    s().setBusy(true);
    s().withdrawn();
    expect(s()).toMatchObject({
      screen: 'candidate',
      checkInMethod: 'code',
      withdraw: 'done',
      busy: false,
      candidate: { ...candidate, faceEnrolled: false },
    });
    expect(canOfferWithdraw(s())).toBe(false);

    s().showReceipt({
      ticket: 'A001',
      roomName: null,
      practitionerName: 'Dr.ª Marta Lopes',
      waitMin: 0,
      band: 'next',
      predictedStartAt: null,
    });
    expect(s().withdraw).toBe('none');
  });
});
