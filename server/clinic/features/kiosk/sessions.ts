/**
 * Per-kiosk session state (in memory): the live sequence (the recent frames' probe descriptors and facial
 * landmarks), a guarded face identification awaiting confirmation (template refresh), and the last
 * identification by booking code (what a withdrawal of face consent at the kiosk is bound to). The
 * "sequence" is the run of most recent observations inside the time window; it survives up to
 * {@link MAX_MISSED_FRAMES} consecutive frames without a usable face (a blink, a turn too far, motion
 * blur) and ends after more (`miss`) or at once on another person or a decision (`reset`). Probe
 * descriptors live only here, for the seconds of the window.
 */
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';

/** One analysed frame of a kiosk session. */
export interface Observation {
  /** ms since epoch */
  at: number;
  /** The probe descriptor: the kiosk's decision searches the mean of the sequence's descriptors. */
  descriptor: Float32Array;
  /** Facial landmarks in frame pixels, [x, y]. */
  keypoints: [number, number][];
  /** The 68 landmarks and the face box, frame pixels (liveness, domain/liveness.ts); absent in old tests. */
  landmarks?: [number, number][];
  box?: { x: number; y: number; width: number; height: number };
}

/** What a kiosk session last identified by booking code, and when (ms since epoch). */
export interface CodeIdentification {
  appointmentId: AppointmentId;
  patientId: PatientId;
  at: number;
}

/**
 * A face identification that passed the template-refresh guards, kept until the patient confirms (or
 * the session identifies again): which appointment and patient, the probe descriptor to add, the fused
 * distance and margin, and when (ms since epoch).
 */
export interface FaceMatchMemory {
  appointmentId: AppointmentId;
  patientId: PatientId;
  descriptor: Float32Array;
  distance: number;
  margin: number | null;
  at: number;
}

/**
 * A session's sequence (probe descriptors of whoever stood at the kiosk) is dropped this long after its
 * last frame even if the kiosk never sends another (page closed, crash), ms; a guarded match awaiting
 * confirmation after {@link MATCH_KEEP_MS}.
 */
export const SEQUENCE_KEEP_MS = 60_000;
/** How long a guarded face identification waits for its confirmation, ms (the kiosk's confirm step). */
export const MATCH_KEEP_MS = 5 * 60_000;

/** Consecutive frames without a usable face that a sequence survives. */
export const MAX_MISSED_FRAMES = 2;

/** Frames a sequence keeps (the newest); a decision fuses them all. */
export const MAX_SEQUENCE = 20;

/** Sessions kept at once; the least recently used is dropped beyond this (a kiosk restarts its session). */
const MAX_SESSIONS = 64;

/** The live sequences of all kiosks, keyed by the session id each kiosk sends with its frames. */
export class KioskSessions {
  private readonly sessions = new Map<string, Observation[]>();
  private readonly misses = new Map<string, number>();
  private readonly codes = new Map<string, CodeIdentification>();
  private readonly matches = new Map<string, FaceMatchMemory>();

  /**
   * Forgets every other session's probe data that outlived its use: sequences whose last frame is older
   * than {@link SEQUENCE_KEEP_MS}, matches older than {@link MATCH_KEEP_MS} (`now`: ms since epoch).
   */
  purgeStale(now: number): void {
    for (const [id, list] of this.sessions) {
      const last = list[list.length - 1];
      if (!last || now - last.at > SEQUENCE_KEEP_MS) this.reset(id);
    }
    for (const [id, match] of this.matches) if (now - match.at > MATCH_KEEP_MS) this.matches.delete(id);
  }

  /** Remembers a guarded face identification of `sessionId` until it is confirmed (replacing any other). */
  rememberMatch(sessionId: string, match: FaceMatchMemory): void {
    this.matches.delete(sessionId);
    this.matches.set(sessionId, match);
    if (this.matches.size > MAX_SESSIONS) this.matches.delete(this.matches.keys().next().value!);
  }

  /** The session's remembered face identification, removed as it is read (used once at most). */
  takeMatch(sessionId: string): FaceMatchMemory | undefined {
    const match = this.matches.get(sessionId);
    this.matches.delete(sessionId);
    return match;
  }

  /**
   * Adds an observation and returns the current sequence, oldest first: the observations of the last
   * `windowMs`, at most {@link MAX_SEQUENCE} of them.
   */
  push(sessionId: string, obs: Observation, windowMs: number): Observation[] {
    this.purgeStale(obs.at);
    this.misses.delete(sessionId);
    const list = (this.sessions.get(sessionId) ?? []).filter((o) => obs.at - o.at <= windowMs);
    list.push(obs);
    const sequence = list.slice(-MAX_SEQUENCE);
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, sequence);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return [...sequence];
  }

  /**
   * Records a frame without a usable face: the sequence goes on (its frames so far are returned) unless
   * this is more than {@link MAX_MISSED_FRAMES} in a row, or there is none; then it is forgotten and
   * null returned.
   */
  miss(sessionId: string): Observation[] | null {
    const list = this.sessions.get(sessionId);
    const misses = (this.misses.get(sessionId) ?? 0) + 1;
    if (!list || list.length === 0 || misses > MAX_MISSED_FRAMES) {
      this.reset(sessionId);
      return null;
    }
    this.misses.set(sessionId, misses);
    return [...list];
  }

  /** Forgets a session's live sequence (another person, a decision made, too many misses, or a reset). */
  reset(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.misses.delete(sessionId);
  }

  /** Records that `sessionId` identified a patient by booking code (replacing any earlier one). */
  rememberCode(sessionId: string, identification: CodeIdentification): void {
    this.codes.delete(sessionId);
    this.codes.set(sessionId, identification);
    if (this.codes.size > MAX_SESSIONS) this.codes.delete(this.codes.keys().next().value!);
  }

  /** The session's last identification by booking code, if any (check its age). */
  codeIdentification(sessionId: string): CodeIdentification | undefined {
    return this.codes.get(sessionId);
  }

  /** Forgets the session's identification by booking code (used, expired, or the kiosk reset). */
  forgetCode(sessionId: string): void {
    this.codes.delete(sessionId);
  }
}

/** Mean displacement (pixels) of the keypoints between consecutive frames; 0 for a frozen image. */
export function keypointMovement(frames: [number, number][][]): number {
  let total = 0;
  let count = 0;
  for (let i = 1; i < frames.length; i++) {
    const a = frames[i - 1]!;
    const b = frames[i]!;
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      total += Math.hypot(a[k]![0] - b[k]![0], a[k]![1] - b[k]![1]);
      count += 1;
    }
  }
  return count === 0 ? 0 : total / count;
}
