/**
 * Kiosk page state (zustand): which screen is up and what the last camera frame said.
 *
 *   idle ⇄ scanning ─► candidate ─► checked-in ─► (10 s) idle
 *     │        └──► fallback (no match) ─► candidate (code)
 *     └─ use-code ─► code ─► candidate (code)
 *
 * On the candidate screen reached by code, a patient with a face enrolment may withdraw their consent:
 * withdraw 'none' ─► 'confirm' ─► (POST /api/kiosk/face/withdraw) 'done', then check in as usual.
 *
 * Frames only move the kiosk while it is in idle/scanning; a late answer after the patient tapped
 * "use a code" is dropped.
 */
import { create } from 'zustand';
import type { CheckInReceipt, FrameResult, KioskCandidate } from '../shared/types.ts';
import type { KioskCheckInMethod } from '../../server/domain/visit.ts';

/** Where the "delete my face data" step of the candidate screen stands. */
export type WithdrawStep = 'none' | 'confirm' | 'done';

/** Whether the candidate screen may offer to delete the patient's face data: found by code, enrolled. */
export const canOfferWithdraw = (s: {
  candidate: KioskCandidate | null;
  checkInMethod: KioskCheckInMethod;
}) => s.checkInMethod === 'code' && s.candidate?.faceEnrolled === true;

export type KioskScreen = 'idle' | 'scanning' | 'candidate' | 'checked-in' | 'fallback' | 'code';
/** The instruction shown over the camera, from the last frame's state. */
export type Hint = 'look' | 'closer' | 'one' | 'hold' | 'turn';
export type FaceBox = NonNullable<FrameResult['face']>;

/** Whether `s` shows the camera (idle or scanning): the only screens where frames are sent and applied. */
export const isCameraScreen = (s: KioskScreen): boolean => s === 'idle' || s === 'scanning';

interface KioskStore {
  screen: KioskScreen;
  hint: Hint;
  progress: number;
  face: FaceBox | null;
  frame: { width: number; height: number };
  /** The face engine answered 503: still loading its models. */
  engineStarting: boolean;
  /** The server said liveness is off (the demo): the kiosk says so on screen. */
  livenessOff: boolean;
  candidate: KioskCandidate | null;
  /** How the candidate on screen was found. */
  checkInMethod: KioskCheckInMethod;
  receipt: CheckInReceipt | null;
  withdraw: WithdrawStep;
  /** Server error code shown in `kiosk-error`, translated at render time. */
  errorCode: string | null;
  busy: boolean;
  unauthorized: boolean;

  applyFrame(result: FrameResult): void;
  setEngineStarting(starting: boolean): void;
  openCode(): void;
  showCandidate(candidate: KioskCandidate, checkInMethod: KioskCheckInMethod): void;
  showFallback(): void;
  /** Opens the confirm step of "delete my face data" (only when `canOfferWithdraw`). */
  askWithdraw(): void;
  cancelWithdraw(): void;
  /** The server deleted the enrolment: the candidate stays on screen, no longer enrolled. */
  withdrawn(): void;
  showReceipt(receipt: CheckInReceipt): void;
  setError(code: string | null): void;
  setBusy(busy: boolean): void;
  setUnauthorized(): void;
  reset(): void;
}

const IDLE = {
  screen: 'idle',
  hint: 'look',
  progress: 0,
  face: null,
  candidate: null,
  checkInMethod: 'face',
  receipt: null,
  withdraw: 'none',
  errorCode: null,
  busy: false,
} as const;

export const useKiosk = create<KioskStore>()((set, get) => ({
  ...IDLE,
  frame: { width: 640, height: 480 },
  engineStarting: false,
  livenessOff: false,
  unauthorized: false,

  applyFrame(r) {
    if (!isCameraScreen(get().screen)) return;
    const common = {
      face: r.face,
      frame: { width: r.frameWidth, height: r.frameHeight },
      engineStarting: false,
      livenessOff: !r.livenessEnforced,
    };
    switch (r.state) {
      case 'no_face':
        set({ ...common, screen: 'idle', hint: 'look', progress: 0 });
        break;
      case 'too_small':
        set({ ...common, screen: 'idle', hint: 'closer', progress: 0 });
        break;
      case 'multiple_faces':
        set({ ...common, screen: 'idle', hint: 'one', progress: 0 });
        break;
      case 'searching':
        set({ ...common, screen: 'scanning', hint: 'hold', progress: r.progress });
        break;
      case 'candidate':
        if (r.candidate)
          set({
            ...common,
            screen: 'candidate',
            candidate: r.candidate,
            checkInMethod: 'face',
            withdraw: 'none',
            errorCode: null,
          });
        break;
      case 'turn_head':
        // Liveness needs to see the head turn a little (a flat picture cannot).
        set({ ...common, screen: 'scanning', hint: 'turn', progress: r.progress });
        break;
      case 'no_match':
      case 'liveness_failed':
        // Either way the booking code is offered, with the same words: no one is blamed.
        set({ ...common, screen: 'fallback', face: null, progress: 0, errorCode: null });
        break;
    }
  },
  setEngineStarting: (engineStarting) => set({ engineStarting }),
  openCode: () => set({ screen: 'code', errorCode: null, busy: false, face: null }),
  showCandidate: (candidate, checkInMethod) =>
    set({ screen: 'candidate', candidate, checkInMethod, withdraw: 'none', errorCode: null, busy: false }),
  askWithdraw: () => {
    if (canOfferWithdraw(get())) set({ withdraw: 'confirm', errorCode: null });
  },
  cancelWithdraw: () => set({ withdraw: 'none', busy: false }),
  withdrawn: () => {
    const { candidate } = get();
    set({
      withdraw: 'done',
      candidate: candidate && { ...candidate, faceEnrolled: false },
      errorCode: null,
      busy: false,
    });
  },
  showFallback: () => set({ screen: 'fallback', candidate: null, errorCode: null, busy: false, face: null }),
  showReceipt: (receipt) =>
    set({ screen: 'checked-in', receipt, candidate: null, withdraw: 'none', errorCode: null, busy: false }),
  setError: (errorCode) => set({ errorCode, busy: false }),
  setBusy: (busy) => set({ busy }),
  setUnauthorized: () => set({ unauthorized: true }),
  reset: () => set({ ...IDLE }),
}));
