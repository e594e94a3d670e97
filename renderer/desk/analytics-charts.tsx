/**
 * The analytics charts (recharts, SVG): waits over time (mean and p90), estimate error over time,
 * no-shows and late arrivals over time, and session lengths by specialty and by practitioner (bars).
 * Each chart sits in a `figure` with its title and what it measures; without data it says so instead.
 * Animations are off: the desk is a work tool, and screenshots and tests see the final picture.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipValueType,
} from 'recharts';
import { formatDate } from '../shared/format.ts';
import { currentLang } from '../shared/i18n.ts';
import type { AnalyticsBucketMetrics, AnalyticsReport } from '../shared/types.ts';
import { shortDay } from './analytics-range.ts';

/** Series colours, each at least 3:1 against white (WCAG 1.4.11); p90 lines are dashed as well. */
const COLOURS = { mean: '#0b5cad', p90: '#c4320a', inBand: '#0b6b3a', noShows: '#6941c6', late: '#b54708' };

const CHART_HEIGHT = 250;
/** Above this many points a line shows no dots (12 weeks by day would be a row of beads). */
const MAX_DOTS = 31;
const AXIS_TICK = { fontSize: 12, fill: '#475467' };

/** Numbers as the UI language writes them (decimal comma in Portuguese), at most one decimal. */
export function useNumberFormat(): (value: number | null | undefined) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'pt-PT', {
    maximumFractionDigits: 1,
  });
  return (value) => (value === null || value === undefined ? '—' : format.format(value));
}

interface CardProps {
  testId: string;
  title: string;
  hint: string;
  /** True when there is nothing to draw: the card shows "no data" instead of an empty chart. */
  empty: boolean;
  /** Spans the whole row of the charts grid. */
  wide?: boolean;
  children: ReactNode;
}

/** One chart's frame: title, what it measures, and the chart or the "no data" note. */
function ChartCard({ testId, title, hint, empty, wide, children }: CardProps) {
  const { t } = useTranslation();
  return (
    <figure
      className={wide ? 'panel chart-card chart-card--wide' : 'panel chart-card'}
      data-testid={testId}
      data-empty={empty}
    >
      <figcaption className="chart-card__caption">
        <h3 className="chart-card__title">{title}</h3>
        <p className="chart-card__hint muted">{hint}</p>
      </figcaption>
      {empty ? <p className="empty chart-card__empty">{t('desk.analytics.noData')}</p> : children}
    </figure>
  );
}

/** A bucket as a chart row: axis label ('16/11'), tooltip title (the day, or the week's first and last). */
function useRows(buckets: readonly AnalyticsBucketMetrics[], by: AnalyticsReport['by']) {
  const { t } = useTranslation();
  const lang = currentLang();
  return buckets.map((b) => ({
    bucket: b,
    label: shortDay(b.start),
    title:
      by === 'day'
        ? formatDate(b.start, lang)
        : t('desk.analytics.weekOf', { start: shortDay(b.start), end: shortDay(b.end) }),
  }));
}

type Row = ReturnType<typeof useRows>[number];

/** Tooltip heading: the row's full title rather than the short axis label. */
const rowTitle = (_label: ReactNode, payload: readonly { payload?: Row }[]) =>
  payload[0]?.payload?.title ?? '';

/** Tooltip rows in series order (recharts sorts them by name by default). */
const keepOrder = () => 0;

const percent = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

interface TimeChartProps {
  report: AnalyticsReport;
}

/** Mean and p90 wait (minutes, arrival → call) per bucket; buckets without a call are gaps. */
export function WaitsChart({ report }: TimeChartProps) {
  const { t } = useTranslation();
  const fmt = useNumberFormat();
  const rows = useRows(report.buckets, report.by).map((r) => ({
    ...r,
    mean: r.bucket.waits.meanMin,
    p90: r.bucket.waits.p90Min,
  }));
  const minutes = (v: TooltipValueType | undefined) => t('desk.analytics.minutes', { value: fmt(Number(v)) });
  return (
    <ChartCard
      testId="chart-waits"
      title={t('desk.analytics.charts.waits')}
      hint={t('desk.analytics.charts.waitsHint')}
      empty={!report.buckets.some((b) => b.waits.count > 0)}
    >
      <LineChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={rows}
        title={t('desk.analytics.charts.waits')}
        margin={{ top: 8, right: 12, bottom: 0, left: -12 }}
      >
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="label" tick={AXIS_TICK} minTickGap={12} />
        <YAxis tick={AXIS_TICK} allowDecimals={false} unit=" min" width={64} />
        <Tooltip itemSorter={keepOrder} formatter={minutes} labelFormatter={rowTitle} />
        <Legend itemSorter={null} />
        <Line
          dataKey="mean"
          name={t('desk.analytics.series.mean')}
          stroke={COLOURS.mean}
          strokeWidth={2}
          isAnimationActive={false}
          dot={rows.length <= MAX_DOTS}
        />
        <Line
          dataKey="p90"
          name={t('desk.analytics.series.p90')}
          stroke={COLOURS.p90}
          strokeWidth={2}
          strokeDasharray="6 4"
          isAnimationActive={false}
          dot={rows.length <= MAX_DOTS}
        />
      </LineChart>
    </ChartCard>
  );
}

/**
 * Estimate error per bucket: mean |shown − actual| in minutes (left axis) and, in percent (right axis),
 * the share of waits longer than shown and the share inside the band shown.
 */
export function EstimateChart({ report }: TimeChartProps) {
  const { t } = useTranslation();
  const fmt = useNumberFormat();
  const rows = useRows(report.buckets, report.by).map((r) => ({
    ...r,
    error: r.bucket.estimateError.meanAbsErrorMin,
    under: percent(r.bucket.estimateError.underPredictedShare),
    inBand: percent(r.bucket.estimateError.inBandShare),
  }));
  const value = (v: TooltipValueType | undefined, name: unknown) =>
    name === t('desk.analytics.series.meanAbsError')
      ? t('desk.analytics.minutes', { value: fmt(Number(v)) })
      : `${fmt(Number(v))} %`;
  return (
    <ChartCard
      testId="chart-estimate"
      title={t('desk.analytics.charts.estimate')}
      hint={t('desk.analytics.charts.estimateHint')}
      empty={!report.buckets.some((b) => b.estimateError.count > 0)}
    >
      <LineChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={rows}
        title={t('desk.analytics.charts.estimate')}
        margin={{ top: 8, right: 0, bottom: 0, left: -12 }}
      >
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="label" tick={AXIS_TICK} minTickGap={12} />
        <YAxis yAxisId="min" tick={AXIS_TICK} allowDecimals={false} unit=" min" width={64} />
        <YAxis yAxisId="pct" orientation="right" domain={[0, 100]} tick={AXIS_TICK} unit=" %" width={52} />
        <Tooltip itemSorter={keepOrder} formatter={value} labelFormatter={rowTitle} />
        <Legend itemSorter={null} />
        <Line
          yAxisId="min"
          dataKey="error"
          name={t('desk.analytics.series.meanAbsError')}
          stroke={COLOURS.mean}
          strokeWidth={2}
          isAnimationActive={false}
          dot={rows.length <= MAX_DOTS}
        />
        <Line
          yAxisId="pct"
          dataKey="under"
          name={t('desk.analytics.series.underShare')}
          stroke={COLOURS.p90}
          strokeWidth={2}
          strokeDasharray="6 4"
          isAnimationActive={false}
          dot={rows.length <= MAX_DOTS}
        />
        <Line
          yAxisId="pct"
          dataKey="inBand"
          name={t('desk.analytics.series.inBandShare')}
          stroke={COLOURS.inBand}
          strokeWidth={2}
          strokeDasharray="2 3"
          isAnimationActive={false}
          dot={rows.length <= MAX_DOTS}
        />
      </LineChart>
    </ChartCard>
  );
}

/** No-shows and late arrivals (counts) per bucket, side by side. */
export function AttendanceChart({ report }: TimeChartProps) {
  const { t } = useTranslation();
  const rows = useRows(report.buckets, report.by).map((r) => ({
    ...r,
    noShows: r.bucket.noShows,
    late: r.bucket.lateArrivals,
  }));
  return (
    <ChartCard
      testId="chart-attendance"
      title={t('desk.analytics.charts.attendance')}
      hint={t('desk.analytics.charts.attendanceHint', { min: report.lateAfterMin })}
      empty={report.totals.visits === 0}
      wide
    >
      <BarChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        data={rows}
        title={t('desk.analytics.charts.attendance')}
        margin={{ top: 8, right: 12, bottom: 0, left: -24 }}
      >
        <CartesianGrid stroke="#e4e7ec" vertical={false} />
        <XAxis dataKey="label" tick={AXIS_TICK} minTickGap={12} />
        <YAxis tick={AXIS_TICK} allowDecimals={false} width={52} />
        <Tooltip itemSorter={keepOrder} labelFormatter={rowTitle} />
        <Legend itemSorter={null} />
        <Bar
          dataKey="noShows"
          name={t('desk.analytics.series.noShows')}
          fill={COLOURS.noShows}
          isAnimationActive={false}
        />
        <Bar
          dataKey="late"
          name={t('desk.analytics.series.lateArrivals')}
          fill={COLOURS.late}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  );
}

interface SessionsProps {
  testId: string;
  title: string;
  groups: readonly { name: string; count: number; meanMin: number | null; p90Min: number | null }[];
}

/** Mean and p90 session length (minutes) per group, as horizontal bars (long names stay readable). */
export function SessionsChart({ testId, title, groups }: SessionsProps) {
  const { t } = useTranslation();
  const fmt = useNumberFormat();
  const minutes = (v: TooltipValueType | undefined) => t('desk.analytics.minutes', { value: fmt(Number(v)) });
  const withCount = (
    _label: ReactNode,
    payload: readonly { payload?: SessionsProps['groups'][number] }[],
  ) => {
    const g = payload[0]?.payload;
    return g ? `${g.name} · ${t('desk.analytics.series.sessions')}: ${g.count}` : '';
  };
  return (
    <ChartCard
      testId={testId}
      title={title}
      hint={t('desk.analytics.charts.sessionsHint')}
      empty={groups.length === 0}
    >
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height: 70 + groups.length * 52 }}
        data={[...groups]}
        title={title}
        margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
        barGap={2}
      >
        <CartesianGrid stroke="#e4e7ec" horizontal={false} />
        <XAxis type="number" tick={AXIS_TICK} allowDecimals={false} />
        <YAxis type="category" dataKey="name" tick={AXIS_TICK} width={132} />
        <Tooltip itemSorter={keepOrder} formatter={minutes} labelFormatter={withCount} />
        <Legend itemSorter={null} />
        <Bar
          dataKey="meanMin"
          name={t('desk.analytics.series.mean')}
          fill={COLOURS.mean}
          isAnimationActive={false}
        />
        <Bar
          dataKey="p90Min"
          name={t('desk.analytics.series.p90')}
          fill={COLOURS.p90}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  );
}
