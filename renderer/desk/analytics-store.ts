/**
 * The analytics view's period and grouping (zustand), kept while the desk switches between its views.
 * Starts on the last 7 days, by day.
 */
import { create } from 'zustand';
import type { AnalyticsBucket } from '../../server/domain/schemas.ts';
import { clinicDate } from '../../server/domain/time.ts';
import { presetRange, type AnalyticsRange, type RangePreset } from './analytics-range.ts';

interface AnalyticsStore {
  range: AnalyticsRange;
  /** The period of a preset ending today (clinic day), with the preset's grouping. */
  choosePreset(preset: RangePreset): void;
  setFrom(date: string): void;
  setTo(date: string): void;
  setBy(by: AnalyticsBucket): void;
}

/** Today in the clinic (Europe/Lisbon), whatever the computer's zone. */
export const clinicToday = (): string => clinicDate(Date.now());

/** The analytics view's period store. */
export const useAnalyticsRange = create<AnalyticsStore>()((set) => ({
  range: presetRange('last7d', clinicToday()),
  choosePreset: (preset) => set({ range: presetRange(preset, clinicToday()) }),
  setFrom: (from) => set((s) => ({ range: { ...s.range, from } })),
  setTo: (to) => set((s) => ({ range: { ...s.range, to } })),
  setBy: (by) => set((s) => ({ range: { ...s.range, by } })),
}));
