/** Small tests of the portal's formatting: money, Lisbon times across the clock changes, the day strip. */
import { describe, expect, it } from 'vitest';
import { countdown, dayLong, dayParts, dayRange, midSentence, money, specialtyName, time } from './format.ts';

describe('portal formatting', () => {
  it('formats integer cents per language', () => {
    expect(money(4500, 'pt')).toBe('45,00\u00a0€');
    expect(money(4500, 'en')).toBe('€45.00');
  });

  it('shows times in Lisbon whatever the zone, across daylight saving', () => {
    expect(time('2026-07-15T08:00:00Z', 'pt')).toBe('09:00'); // WEST, UTC+1
    expect(time('2026-12-15T09:00:00Z', 'en')).toBe('09:00'); // WET, UTC+0
  });

  it('fits a week of days on a phone: three-letter weekdays', () => {
    expect(dayParts('2026-12-01', 'pt')).toEqual({ weekday: 'Ter', day: '1' });
    expect(dayParts('2026-12-05', 'pt')).toEqual({ weekday: 'Sáb', day: '5' });
    expect(dayParts('2026-12-01', 'en')).toEqual({ weekday: 'Tue', day: '1' });
    expect(dayRange('2026-12-01', '2026-12-07', 'pt')).toMatch(/^1\s*–\s*7 de dezembro$/);
    expect(dayLong('2026-12-01', 'pt')).toBe('Terça-feira, 1 de dezembro');
  });

  it('names specialties from the clinic list, else the standard names, else the code', () => {
    const list = [
      { code: 'massage', namePt: 'Massagem X', nameEn: 'Massage X', durationMin: 45, priceCents: 1 },
    ];
    expect(specialtyName(list as never, 'massage', 'pt')).toBe('Massagem X');
    expect(specialtyName(null, 'shock_waves', 'en')).toBe('Shock waves');
    expect(specialtyName(null, 'unknown', 'pt')).toBe('unknown');
  });

  it('counts down in m:ss, never below zero', () => {
    expect(countdown(450_000)).toBe('7:30');
    expect(countdown(59_001)).toBe('1:00');
    expect(countdown(-5)).toBe('0:00');
  });
});

describe('midSentence', () => {
  it('lower-cases a Portuguese date inside a sentence and leaves English alone', () => {
    expect(midSentence('Terça-feira, 8 de dezembro de 2026', 'pt')).toBe(
      'terça-feira, 8 de dezembro de 2026',
    );
    expect(midSentence('Tuesday 8 December 2026', 'en')).toBe('Tuesday 8 December 2026');
  });
});
