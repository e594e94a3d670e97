/** Small tests of the setup contracts: phone and wall-time parsing, opening hours, photo sniffing, steps. */
import { describe, expect, it } from 'vitest';
import {
  formatWallTime,
  normaliseClinicPhone,
  openingHours,
  parseWallTime,
  photoSize,
  setupSteps,
  sniffPhotoType,
} from './setup.ts';

describe('setup contracts', () => {
  it('normalises Portuguese landlines and mobiles, refusing the rest', () => {
    expect(normaliseClinicPhone('+351 21 234 5678')).toBe('212345678');
    expect(normaliseClinicPhone('912.345.678')).toBe('912345678');
    expect(normaliseClinicPhone('00351-253-000-111')).toBe('253000111');
    expect(normaliseClinicPhone('812345678')).toBeNull();
    expect(normaliseClinicPhone('21234567')).toBeNull();
  });

  it('reads and writes wall-clock times', () => {
    expect(parseWallTime('09:30')).toBe(570);
    expect(parseWallTime('24:00')).toBe(1440);
    expect(parseWallTime('24:30')).toBeNull();
    expect(parseWallTime('9:75')).toBeNull();
    expect(formatWallTime(570)).toBe('09:30');
    expect(formatWallTime(1440)).toBe('24:00');
  });

  it('sorts opening hours and refuses overlaps and a fourth block a day', () => {
    const parsed = openingHours.parse([
      { weekday: 2, opensMin: 840, closesMin: 1140 },
      { weekday: 1, opensMin: 540, closesMin: 780 },
      { weekday: 2, opensMin: 540, closesMin: 840 },
    ]);
    expect(parsed.map((b) => [b.weekday, b.opensMin])).toEqual([
      [1, 540],
      [2, 540],
      [2, 840],
    ]);
    expect(
      openingHours.safeParse([
        { weekday: 3, opensMin: 540, closesMin: 800 },
        { weekday: 3, opensMin: 780, closesMin: 900 },
      ]).success,
    ).toBe(false);
    const four = [0, 1, 2, 3].map((i) => ({ weekday: 4, opensMin: i * 120, closesMin: i * 120 + 60 }));
    expect(openingHours.safeParse(four).success).toBe(false);
  });

  it('tells JPEG and WebP by their bytes', () => {
    expect(sniffPhotoType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ');
    expect(sniffPhotoType(webp)).toBe('image/webp');
    expect(sniffPhotoType(new TextEncoder().encode('\x89PNG\r\n'))).toBeNull();
  });

  it('reads a JPEG and a WebP size from the header', () => {
    // SOI, an APP0 segment, then SOF0 (precision 8, height 192, width 256).
    const jpeg = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0, 192, 1, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3,
      0x11, 1,
    ]);
    expect(photoSize(jpeg)).toEqual({ width: 256, height: 192 });
    const vp8x = new Uint8Array(30);
    vp8x.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8X'));
    vp8x.set([255, 0, 0, 127, 0, 0], 24); // canvas 256 × 128 (stored minus one)
    expect(photoSize(vp8x)).toEqual({ width: 256, height: 128 });
    expect(photoSize(new Uint8Array([0xff, 0xd8, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });

  it('counts a step done only when its facts are there', () => {
    const none = {
      clinicSaved: false,
      activeRooms: 0,
      activePractitioners: 0,
      activeSpecialties: 0,
      openingBlocks: 0,
      namePolicySaved: false,
    };
    expect(Object.values(setupSteps(none)).some(Boolean)).toBe(false);
    expect(setupSteps({ ...none, activeRooms: 1, namePolicySaved: true })).toMatchObject({
      rooms: true,
      publicScreens: true,
      practitioners: false,
    });
  });
});
