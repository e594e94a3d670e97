/**
 * Per-kiosk session state (in memory): the live sequence (the recent frames' decisions and facial
 * keypoints) and the last identification by booking code (what a withdrawal of face consent at the
 * kiosk is bound to). A "streak" is the run of most recent observations, inside the time window, with
 * the same key (the same appointment, or null for "no match").
 */
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';

/** One analysed frame of a kiosk session. */
export interface Observation {
  /** ms since epoch */
  at: number;
  /** The matched appointment id, or null for "no match". */
  key: string | null;
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

/** Sessions kept at once; the least recently used is dropped beyond this (a kiosk restarts its session). */
const MAX_SESSIONS = 64;

/** The live sequences of all kiosks, keyed by the session id each kiosk sends with its frames. */
export class KioskSessions {
  private readonly sessions = new Map<string, Observation[]>();
  private readonly codes = new Map<string, CodeIdentification>();

  /** Adds an observation and returns the current streak (oldest first). */
  push(sessionId: string, obs: Observation, windowMs: number): Observation[] {
    const list = (this.sessions.get(sessionId) ?? []).filter((o) => obs.at - o.at <= windowMs);
    list.push(obs);
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, list.slice(-20));
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const streak: Observation[] = [];
    for (let i = list.length - 1; i >= 0 && list[i]!.key === obs.key; i--) streak.unshift(list[i]!);
    return streak;
  }

  /** Forgets a session's live sequence (no face, a decision made, or the kiosk reset). */
  reset(sessionId: string): void {
    this.sessions.delete(sessionId);
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
