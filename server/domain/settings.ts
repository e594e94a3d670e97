/**
 * Clinic-editable settings (CONVENTIONS §8: thresholds and policies live in the settings table).
 * Stored one JSON value per key; defaults below apply to keys never written.
 */
import { z } from 'zod';
import { openingHours } from './setup.ts';

export const NAME_POLICIES = ['first_name_initial', 'initials', 'ticket'] as const;
export type NamePolicy = (typeof NAME_POLICIES)[number];

export const settingsSchema = z.object({
  clinicName: z.string().min(1).max(80),
  /** The clinic's NIF (9 digits), postal address and phone (9 digits); '' until the setup saves them. */
  clinicNif: z.string().regex(/^(\d{9})?$/),
  clinicAddress: z.string().max(200),
  clinicPhone: z.string().regex(/^(\d{9})?$/),
  /** Weekly opening hours (server/domain/setup.ts); empty until the setup saves them. */
  openingHours,
  /** How public screens show a patient: 'Ana S.', 'A. S.' or only the ticket ('A07'). */
  namePolicy: z.enum(NAME_POLICIES),
  /** A patient can check in from `checkInBeforeMin` before to `checkInAfterMin` after the booked time. */
  checkInBeforeMin: z.number().int().min(0).max(240),
  checkInAfterMin: z.number().int().min(0).max(240),
  /** 1:N acceptance: best Euclidean distance ≤ maxDistance and runner-up ≥ best + minMargin. */
  faceMaxDistance: z.number().min(0.2).max(1),
  faceMinMargin: z.number().min(0).max(0.5),
  /**
   * Kiosk detector (Tiny Face Detector): input size (multiple of 32) and minimum score. A kiosk face is
   * near and large, where 320 finds it more steadily than 416 and costs less (docs/benchmarks.md).
   */
  faceDetectorInputSize: z.number().int().min(128).max(608).multipleOf(32),
  faceDetectorMinScore: z.number().min(0.1).max(0.9),
  /** Smallest face accepted, in pixels of box width (enrolment and kiosk). */
  faceMinSizePx: z.number().int().min(40).max(400),
  /** Live sequence: frames that must agree on the same candidate, within `faceSequenceWindowMs`. */
  faceSequenceFrames: z.number().int().min(1).max(10),
  faceSequenceWindowMs: z.number().int().min(500).max(20000),
  /** Minimum mean movement of the facial keypoints across the sequence, pixels (a frozen image has 0). */
  faceMinMovementPx: z.number().min(0).max(20),
  /**
   * Liveness (presentation-attack detection, domain/liveness.ts): when on, a candidate needs
   * `livenessMinFrames` frames whose 68 landmarks no single planar transform explains (residual ≥
   * `livenessMinResidual` inter-ocular distances); a planar sequence that moved (≥ `livenessMinMotion`)
   * is a picture and falls back to the booking code, one that barely moved gets "turn your head". When
   * off (the demo, whose camera clip is itself a photo), the movement check decides and the kiosk says so.
   */
  livenessEnforced: z.boolean(),
  livenessMinFrames: z.number().int().min(4).max(20),
  livenessMinResidual: z.number().min(0.01).max(0.5),
  livenessMinMotion: z.number().min(0.01).max(0.5),
  /**
   * Template refresh (issue 14, part 3): after a patient confirms a face check-in, the matched probe (the
   * mean descriptor of the sequence) is added to their enrolment as a template (at most 2 such, the oldest
   * replaced), so the gallery follows slow changes (beard, glasses, ageing). Guarded: only with liveness
   * on and live, when its distance was at most `faceRefreshMaxDistance` and the margin at least twice
   * `faceMinMargin`; audited.
   */
  faceTemplateRefresh: z.boolean(),
  faceRefreshMaxDistance: z.number().min(0.2).max(1),
  /** Minutes a call stays in the display's "now calling" (a recall shows it again). */
  callDisplayMin: z.number().int().min(1).max(30),
  /** Minutes added between consecutive sessions of one practitioner (room turnover). */
  turnoverBufferMin: z.number().int().min(0).max(30),
  /** Minutes from the call to the session's start (the walk to the room), added to a waiting patient's wait. */
  callToStartMin: z.number().int().min(0).max(10),
  /** How early a free practitioner starts a patient who is there, minutes before the booked time. */
  earlyStartMin: z.number().int().min(0).max(30),
  /**
   * The desk board's alerts (server/domain/visit.ts `boardAlert`): a checked-in patient waiting at least
   * `waitAlertMin` minutes past their booked time (or arrival, if later) is flagged 'waiting_long'; a booked
   * patient not checked in `lateAlertMin` minutes after the booked time is flagged 'late'.
   */
  waitAlertMin: z.number().int().min(1).max(240),
  lateAlertMin: z.number().int().min(1).max(240),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Defaults; face thresholds from `npm run bench` on shared/faces (docs/benchmarks.md). */
export const DEFAULT_SETTINGS: Settings = {
  clinicName: 'Clínica de Fisioterapia',
  clinicNif: '',
  clinicAddress: '',
  clinicPhone: '',
  openingHours: [],
  namePolicy: 'first_name_initial',
  checkInBeforeMin: 60,
  checkInAfterMin: 30,
  faceMaxDistance: 0.55,
  faceMinMargin: 0.05,
  faceDetectorInputSize: 320,
  faceDetectorMinScore: 0.3,
  faceMinSizePx: 80,
  faceSequenceFrames: 3,
  faceSequenceWindowMs: 6000,
  faceMinMovementPx: 0.3,
  // Liveness thresholds from npm run bench:liveness (docs/benchmarks.md, "Liveness").
  livenessEnforced: true,
  livenessMinFrames: 6,
  livenessMinResidual: 0.045,
  livenessMinMotion: 0.075,
  // Off by default: it changes templates without staff present; a clinic turns it on in its settings.
  faceTemplateRefresh: false,
  faceRefreshMaxDistance: 0.45,
  callDisplayMin: 5,
  turnoverBufferMin: 0,
  // Wait rules measured on simulated days (npm run bench:wait): counting the walk removes most
  // under-predictions; early starts are off by default, so no patient is promised a start before the
  // booked time unless the clinic says its practitioners do start early.
  callToStartMin: 1,
  earlyStartMin: 0,
  waitAlertMin: 20,
  lateAlertMin: 10,
};
