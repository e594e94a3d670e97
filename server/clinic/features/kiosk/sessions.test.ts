/**
 * The kiosk's in-memory sessions: the sequence's window, tolerated misses, and that probe data of a
 * kiosk that stopped sending frames is dropped (descriptors of people who never consented must not
 * linger in memory).
 */
import { describe, expect, it } from 'vitest';
import type { AppointmentId, PatientId } from '../../../domain/ids.ts';
import {
  KioskSessions,
  MATCH_KEEP_MS,
  SEQUENCE_KEEP_MS,
  type FaceMatchMemory,
  type Observation,
} from './sessions.ts';

/** A guarded match made at `at`. */
const match = (at: number): FaceMatchMemory => ({
  appointmentId: 'a' as AppointmentId,
  patientId: 'p' as PatientId,
  descriptor: new Float32Array(128),
  distance: 0.4,
  margin: null,
  at,
});
const obs = (at: number): Observation => ({ at, keypoints: [], descriptor: new Float32Array(128).fill(at) });

describe('KioskSessions', () => {
  it('keeps the frames of the window, survives two misses and forgets after a third', () => {
    const s = new KioskSessions();
    s.push('k1', obs(0), 6000);
    expect(s.push('k1', obs(1000), 6000).map((o) => o.at)).toEqual([0, 1000]);
    expect(s.push('k1', obs(7500), 6000).map((o) => o.at)).toEqual([7500]);
    expect(s.miss('k1')?.length).toBe(1);
    expect(s.miss('k1')?.length).toBe(1);
    expect(s.miss('k1')).toBeNull();
    expect(s.push('k1', obs(8000), 6000).map((o) => o.at)).toEqual([8000]);
  });

  it("drops another kiosk's sequence and an unconfirmed match once they outlive their use", () => {
    const s = new KioskSessions();
    s.push('gone', obs(0), 6000);
    s.rememberMatch('gone', match(0));
    s.push('other', obs(SEQUENCE_KEEP_MS), 6000);
    expect(s.miss('gone')?.length).toBe(1); // still there at exactly SEQUENCE_KEEP_MS
    s.push('other', obs(SEQUENCE_KEEP_MS + 1), 6000);
    expect(s.miss('gone')).toBeNull();
    s.purgeStale(MATCH_KEEP_MS);
    expect(s.takeMatch('gone')).toBeDefined();
    s.rememberMatch('gone', match(0));
    s.purgeStale(MATCH_KEEP_MS + 1);
    expect(s.takeMatch('gone')).toBeUndefined();
  });
});
