/** Unit tests of the seeded frame-to-frame changes of the kiosk sequences (no image is decoded). */
import { describe, expect, it } from 'vitest';
import { fnv1a, MAX_SHIFT, sequenceJitter } from './kiosk-sequence.ts';

describe('fnv1a', () => {
  it('is the 32-bit FNV-1a hash', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('sequenceJitter', () => {
  it('is deterministic and stays within the documented ranges', () => {
    const a = sequenceJitter(42, 200);
    expect(sequenceJitter(42, 200)).toEqual(a);
    expect(sequenceJitter(43, 200)).not.toEqual(a);
    for (const j of a) {
      expect(Number.isInteger(j.dx) && Math.abs(j.dx) <= MAX_SHIFT).toBe(true);
      expect(Number.isInteger(j.dy) && Math.abs(j.dy) <= MAX_SHIFT).toBe(true);
      const change = Math.abs(j.scale - 1);
      expect(change >= 0.01 - 1e-12 && change <= 0.03 + 1e-12).toBe(true);
      expect(j.brightness >= 0.95 && j.brightness <= 1.05).toBe(true);
      expect(Number.isInteger(j.quality) && j.quality >= 80 && j.quality <= 92).toBe(true);
    }
    // every shift and quality value is reached over 200 frames
    expect(new Set(a.map((j) => j.dx)).size).toBe(2 * MAX_SHIFT + 1);
    expect(new Set(a.map((j) => j.quality)).size).toBe(13);
  });
});
