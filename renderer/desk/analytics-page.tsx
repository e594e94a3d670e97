/**
 * The desk's analytics view: a period (quick presets or two dates) grouped by day or week, a summary of
 * the period, the charts (./analytics-charts.tsx) and the CSV export of the same buckets. Figures come
 * from `GET /api/analytics` (definitions in server/clinic/features/analytics/service.ts).
 */
import { useTranslation } from 'react-i18next';
import { ANALYTICS_BUCKETS, ANALYTICS_MAX_DAYS } from '../../server/domain/schemas.ts';
import { api, linkFor } from '../shared/api.ts';
import { formatShortDate } from '../shared/format.ts';
import { errorKey } from '../shared/i18n.ts';
import type { AnalyticsReport } from '../shared/types.ts';
import {
  AttendanceChart,
  EstimateChart,
  SessionsChart,
  WaitsChart,
  useNumberFormat,
} from './analytics-charts.tsx';
import { RANGE_PRESETS, isValidRange, presetOf, type AnalyticsRange } from './analytics-range.ts';
import { clinicToday, useAnalyticsRange } from './analytics-store.ts';
import { useAnalytics } from './use-analytics.ts';

/**
 * The CSV export's address, from the typed client (`$url`), naming the desk's screen like the event
 * streams do, since a plain link cannot send the `x-cfd-screen` header.
 */
function csvHref(range: AnalyticsRange): string {
  return linkFor(api.api['analytics.csv'].$url({ query: { from: range.from, to: range.to, by: range.by } }));
}

/** The CSV export of the period shown (a download link), disabled while the period is invalid. */
function CsvLink({ range, valid }: { range: AnalyticsRange; valid: boolean }) {
  const { t } = useTranslation();
  const dateLabel = (d: string) => formatShortDate(`${d}T12:00:00Z`);
  return valid ? (
    <a
      className="btn btn--primary analytics__csv"
      data-testid="analytics-csv"
      href={csvHref(range)}
      download={`analytics-${range.from}-${range.to}.csv`}
      aria-label={t('desk.analytics.exportCsvAria', {
        from: dateLabel(range.from),
        to: dateLabel(range.to),
      })}
    >
      {t('desk.analytics.exportCsv')}
    </a>
  ) : (
    <button type="button" className="btn btn--primary analytics__csv" disabled>
      {t('desk.analytics.exportCsv')}
    </button>
  );
}

/** Presets, dates and day/week. */
function Controls({ range, valid }: { range: AnalyticsRange; valid: boolean }) {
  const { t } = useTranslation();
  const { choosePreset, setFrom, setTo, setBy } = useAnalyticsRange();
  const preset = presetOf(range, clinicToday());
  return (
    <section className="panel analytics-controls" aria-label={t('desk.analytics.controls')}>
      <div className="segmented" role="group" aria-label={t('desk.analytics.presets')}>
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            data-testid={`preset-${p}`}
            aria-pressed={preset === p}
            onClick={() => choosePreset(p)}
          >
            {t(`desk.analytics.${p}`)}
          </button>
        ))}
      </div>
      <div className="analytics-controls__dates">
        <label className="field field--inline">
          <span>{t('desk.analytics.from')}</span>
          <input
            type="date"
            data-testid="analytics-from"
            value={range.from}
            max={range.to || undefined}
            aria-invalid={!valid}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="field field--inline">
          <span>{t('desk.analytics.to')}</span>
          <input
            type="date"
            data-testid="analytics-to"
            value={range.to}
            min={range.from || undefined}
            aria-invalid={!valid}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
      </div>
      <div className="segmented" role="group" aria-label={t('desk.analytics.by')}>
        {ANALYTICS_BUCKETS.map((by) => (
          <button
            key={by}
            type="button"
            data-testid={`by-${by}`}
            aria-pressed={range.by === by}
            onClick={() => setBy(by)}
          >
            {t(`desk.analytics.${by}`)}
          </button>
        ))}
      </div>
    </section>
  );
}

interface FigureProps {
  testId: string;
  label: string;
  value: string;
  /** The number as the API sent it, for tests and tools (absent when there is none). */
  raw: number | null;
  hint: string;
}

/** One figure of the summary. */
function Figure({ testId, label, value, raw, hint }: FigureProps) {
  return (
    <div className="figure" data-testid={testId} data-value={raw ?? undefined}>
      <dt className="figure__label">{label}</dt>
      <dd className="figure__value">{value}</dd>
      <dd className="figure__hint muted">{hint}</dd>
    </div>
  );
}

/** The period's totals: visits, no-shows, late arrivals, waits, estimate error. */
function Summary({ report }: { report: AnalyticsReport }) {
  const { t } = useTranslation();
  const fmt = useNumberFormat();
  const { totals } = report;
  const min = (v: number | null) => (v === null ? fmt(v) : t('desk.analytics.minutes', { value: fmt(v) }));
  const inBand = totals.estimateError.inBandShare;
  return (
    <section className="panel" aria-labelledby="analytics-summary-title">
      <h3 id="analytics-summary-title" className="panel__title">
        {t('desk.analytics.summary.title')}
      </h3>
      <dl className="figures" data-testid="analytics-summary">
        <Figure
          testId="summary-visits"
          label={t('desk.analytics.summary.visits')}
          value={fmt(totals.visits)}
          raw={totals.visits}
          hint={t('desk.analytics.summary.visitsHint')}
        />
        <Figure
          testId="summary-no-shows"
          label={t('desk.analytics.summary.noShows')}
          value={fmt(totals.noShows)}
          raw={totals.noShows}
          hint={totals.visits ? `${fmt((100 * totals.noShows) / totals.visits)} %` : ''}
        />
        <Figure
          testId="summary-late"
          label={t('desk.analytics.summary.lateArrivals')}
          value={fmt(totals.lateArrivals)}
          raw={totals.lateArrivals}
          hint={t('desk.analytics.summary.lateHint', { min: report.lateAfterMin })}
        />
        <Figure
          testId="summary-wait-mean"
          label={t('desk.analytics.summary.waitMean')}
          value={min(totals.waits.meanMin)}
          raw={totals.waits.meanMin}
          hint={t('desk.analytics.summary.waitHint')}
        />
        <Figure
          testId="summary-wait-p90"
          label={t('desk.analytics.summary.waitP90')}
          value={min(totals.waits.p90Min)}
          raw={totals.waits.p90Min}
          hint={t('desk.analytics.summary.p90Hint')}
        />
        <Figure
          testId="summary-estimate-error"
          label={t('desk.analytics.summary.estimateError')}
          value={min(totals.estimateError.meanAbsErrorMin)}
          raw={totals.estimateError.meanAbsErrorMin}
          hint={t('desk.analytics.summary.estimateHint')}
        />
        <Figure
          testId="summary-in-band"
          label={t('desk.analytics.summary.inBand')}
          value={inBand === null ? fmt(null) : `${fmt(inBand * 100)} %`}
          raw={inBand}
          hint={t('desk.analytics.summary.inBandHint', {
            count: totals.estimateError.count,
            n: fmt(totals.estimateError.count),
          })}
        />
      </dl>
    </section>
  );
}

/** The report: empty state, or the summary and the charts. */
function Report({ report, lang }: { report: AnalyticsReport; lang: 'pt' | 'en' }) {
  const { t } = useTranslation();
  if (report.totals.visits === 0) {
    return (
      <p className="panel empty" data-testid="analytics-empty">
        {t('desk.analytics.empty')}
      </p>
    );
  }
  return (
    <>
      <Summary report={report} />
      <div className="charts">
        <WaitsChart report={report} />
        <EstimateChart report={report} />
        <AttendanceChart report={report} />
        <SessionsChart
          testId="chart-specialty"
          title={t('desk.analytics.charts.bySpecialty')}
          groups={report.sessionsBySpecialty.map((s) => ({
            ...s,
            name: lang === 'en' ? s.nameEn : s.namePt,
          }))}
        />
        <SessionsChart
          testId="chart-practitioner"
          title={t('desk.analytics.charts.byPractitioner')}
          groups={report.sessionsByPractitioner.map((p) => ({ ...p, name: p.displayName }))}
        />
      </div>
    </>
  );
}

/** The analytics view: controls, then the loading, error, empty or filled report. */
export function AnalyticsPage() {
  const { t, i18n } = useTranslation();
  const range = useAnalyticsRange((s) => s.range);
  const valid = isValidRange(range);
  const { report, loading, error, retry } = useAnalytics(range, valid);
  const lang = i18n.language === 'en' ? 'en' : 'pt';

  return (
    <main className="analytics" data-testid="analytics" aria-labelledby="analytics-title">
      <div className="analytics__head">
        <h2 id="analytics-title" className="analytics__title">
          {t('desk.analytics.title')}
        </h2>
        <p className="muted analytics__intro">{t('desk.analytics.intro')}</p>
        <CsvLink range={range} valid={valid} />
      </div>
      <Controls range={range} valid={valid} />
      {!valid && (
        <p className="alert alert--error" role="alert" data-testid="analytics-invalid">
          {t('desk.analytics.invalidRange', { max: ANALYTICS_MAX_DAYS })}
        </p>
      )}
      {valid && error && (
        <div className="alert alert--error" role="alert">
          <span>
            {t('desk.analytics.loadFailed')} {t(errorKey(error))}
          </span>
          <button type="button" className="btn" onClick={retry}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {valid && !error && !report && (
        <p className="panel empty" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> {t('desk.analytics.loading')}
        </p>
      )}
      {valid && !error && report && (
        <div className="analytics__report" aria-busy={loading} data-loading={loading}>
          <Report report={report} lang={lang} />
        </div>
      )}
    </main>
  );
}
