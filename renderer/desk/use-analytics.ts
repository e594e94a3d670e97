/**
 * Loads the analytics of a period through the typed client (`GET /api/analytics`) whenever the period,
 * its grouping or a retry changes; an answer for an older request is dropped (the request is aborted).
 * While a new period loads, the last report stays on screen (flagged `loading`).
 */
import { useEffect, useState } from 'react';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { errorCode } from '../shared/i18n.ts';
import type { AnalyticsReport } from '../shared/types.ts';
import type { AnalyticsRange } from './analytics-range.ts';
import { useDesk } from './store.ts';

type Outcome = { key: string; report: AnalyticsReport } | { key: string; error: string };

/** What the view shows: the latest report (maybe of an earlier period), loading, error code, retry. */
export interface AnalyticsState {
  report: AnalyticsReport | null;
  loading: boolean;
  /** Error code of the current period's request (server/domain/errors.ts, or 'network'). */
  error: string | null;
  retry(): void;
}

/** The analytics of `range`; nothing is requested while `valid` is false. */
export function useAnalytics(range: AnalyticsRange, valid: boolean): AnalyticsState {
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [report, setReport] = useState<AnalyticsReport | null>(null);
  const { from, to, by } = range;
  const key = `${from}|${to}|${by}|${attempt}`;

  useEffect(() => {
    if (!valid) return;
    const controller = new AbortController();
    unwrap(api.api.analytics.$get({ query: { from, to, by } }, { init: { signal: controller.signal } })).then(
      (r) => {
        setOutcome({ key, report: r });
        setReport(r);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
        else setOutcome({ key, error: errorCode(err) });
      },
    );
    return () => controller.abort();
  }, [from, to, by, key, valid]);

  const current = outcome?.key === key ? outcome : null;
  return {
    report,
    loading: valid && !current,
    error: current && 'error' in current ? current.error : null,
    retry: () => setAttempt((n) => n + 1),
  };
}
