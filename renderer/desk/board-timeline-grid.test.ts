/** Small tests of the timeline's geometry: Lisbon minutes in winter and summer, blocks clipped to the grid. */
import { describe, expect, it } from 'vitest';
import { blockColumns, TIMELINE_COLUMNS, timelineMinute } from './board-timeline-grid.ts';

describe('timeline grid', () => {
  it('places an instant in minutes after 08:00 Lisbon (UTC+0 in winter, UTC+1 in summer)', () => {
    expect(timelineMinute('2026-11-21T08:00:00Z')).toBe(0);
    expect(timelineMinute('2026-11-21T10:35:00Z')).toBe(155);
    expect(timelineMinute('2026-07-01T10:35:00Z')).toBe(215); // 11:35 in Lisbon
    expect(timelineMinute('2026-11-21T07:30:00Z')).toBe(-30);
    expect(timelineMinute('2026-11-21T20:00:00Z')).toBe(720);
  });

  it('gives a block its 5-minute columns, at least one, clipped to 08:00–20:00', () => {
    expect(TIMELINE_COLUMNS).toBe(144);
    expect(blockColumns(0, 30)).toEqual({ start: 1, span: 6 });
    expect(blockColumns(155, 45)).toEqual({ start: 32, span: 9 });
    expect(blockColumns(152, 5)).toEqual({ start: 31, span: 2 }); // 10:32–10:37 touches two columns
    expect(blockColumns(-15, 30)).toEqual({ start: 1, span: 3 });
    expect(blockColumns(700, 60)).toEqual({ start: 141, span: 4 });
    expect(blockColumns(-60, 30)).toBeNull();
    expect(blockColumns(720, 30)).toBeNull();
  });
});
