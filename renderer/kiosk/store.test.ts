/**
 * Small tests of the kiosk store's "delete my face data" step: offered only for a candidate found by
 * booking code with a face enrolment; after the withdrawal the candidate stays up for check-in. And the
 * liveness states: "turn your head", the code offered for a picture, the demo's "liveness off".
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

describe('kiosk store: liveness states', () => {
  const frame = (state: string, livenessEnforced = true) =>
    ({
      state,
      face: { x: 10, y: 10, width: 100, height: 100 },
      frameWidth: 640,
      frameHeight: 480,
      progress: 1,
      candidate: null,
      livenessEnforced,
    }) as Parameters<ReturnType<typeof useKiosk.getState>['applyFrame']>[0];

  it('asks to turn the head while scanning, and offers the code (no blame) for a picture', () => {
    const s = () => useKiosk.getState();
    s().applyFrame(frame('turn_head'));
    expect(s()).toMatchObject({ screen: 'scanning', hint: 'turn', progress: 1, livenessOff: false });
    s().applyFrame(frame('liveness_failed'));
    expect(s()).toMatchObject({ screen: 'fallback', face: null, progress: 0 });
  });

  it('knows when liveness is off (the demo) from the frame answers', () => {
    useKiosk.getState().applyFrame(frame('searching', false));
    expect(useKiosk.getState().livenessOff).toBe(true);
  });
});
