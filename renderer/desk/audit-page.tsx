/**
 * The desk's audit view ('#/audit', issue 10 item 7): who did what to which patient and when, from
 * `GET /api/audit` (server/clinic/features/audit), filtered by period (clinic days), patient (the same
 * search as the walk-in form), action and actor, newest first with "load more", and the CSV export of the
 * same filter. Times are shown in Lisbon time; every reading is itself audited by the server.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { InferResponseType } from 'hono/client';
import { useTranslation } from 'react-i18next';
import { api, isUnauthorized, linkFor, unwrap } from '../shared/api.ts';
import { formatShortDate, formatTime } from '../shared/format.ts';
import { errorKey, type ErrorKey } from '../shared/i18n.ts';
import { clinicToday } from './analytics-store.ts';
import { useDesk } from './store.ts';

/** One entry as the API answers it (server/clinic/features/audit/service.ts AuditEntry). */
type Entry = InferResponseType<typeof api.api.audit.$get>['entries'][number];

/** The filter as typed; empty strings are "any". */
interface Filter {
  from: string;
  to: string;
  patient: string;
  action: string;
  actor: string;
}

const ACTORS = ['', 'desk', 'kiosk', 'display', 'system', 'seed'] as const;
const PAGE = 100;

/** The query of `filter` for the API (empty fields left out). */
function queryOf(f: Filter): { from: string; to: string; patient?: string; action?: string; actor?: string } {
  const q: { from: string; to: string; patient?: string; action?: string; actor?: string } = {
    from: f.from,
    to: f.to,
  };
  if (f.patient.trim()) q.patient = f.patient.trim();
  if (f.action.trim()) q.action = f.action.trim();
  if (f.actor) q.actor = f.actor;
  return q;
}

/** The CSV export's address (a plain link cannot send the screen header, so it goes in the query). */
function csvHref(f: Filter): string {
  return linkFor(api.api['audit.csv'].$url({ query: queryOf(f) }));
}

/** The detail of an entry as short `key: value` text (it never holds names or face data). */
function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** The audit view. */
export function AuditPage() {
  const { t } = useTranslation();
  const id = useId();
  const today = clinicToday();
  const [draft, setDraft] = useState<Filter>({ from: today, to: today, patient: '', action: '', actor: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [error, setError] = useState<ErrorKey | null>(null);

  /**
   * Loads a page of `f` (older than `before`, or the newest) into the view: appended after the entries
   * shown, or replacing them. `isCurrent` false (a newer filter was applied meanwhile) drops the answer.
   */
  const load = (f: Filter, before: number | null, isCurrent: () => boolean = () => true) => {
    const query = { ...queryOf(f), limit: String(PAGE), ...(before ? { before: String(before) } : {}) };
    unwrap(api.api.audit.$get({ query })).then(
      (page) => {
        if (!isCurrent()) return;
        setEntries((list) => (before ? [...list, ...page.entries] : page.entries));
        setNext(page.nextBefore);
        setState('ready');
        setError(null);
      },
      (err: unknown) => {
        if (!isCurrent()) return;
        if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
        setState('failed');
        setError(errorKey(err));
      },
    );
  };

  useEffect(() => {
    let cancelled = false;
    load(filter, null, () => !cancelled);
    return () => {
      cancelled = true;
    };
  }, [filter]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setState('loading');
    setFilter({ ...draft });
  };
  const field = (key: keyof Filter) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });

  return (
    <main className="analytics audit" data-testid="audit-page" aria-labelledby={`${id}-title`}>
      <header className="analytics__head">
        <h1 id={`${id}-title`} className="analytics__title">
          {t('desk.audit.title')}
        </h1>
        <p className="analytics__intro muted">{t('desk.audit.intro')}</p>
        <a
          className="btn btn--primary"
          data-testid="audit-csv"
          href={csvHref(filter)}
          download={`audit-${filter.from}-${filter.to}.csv`}
        >
          {t('desk.audit.exportCsv')}
        </a>
      </header>
      <form
        className="analytics-controls audit__filters"
        onSubmit={apply}
        aria-label={t('desk.audit.filters')}
      >
        <label className="field">
          <span>{t('desk.analytics.from')}</span>
          <input type="date" data-testid="audit-from" max={draft.to} required {...field('from')} />
        </label>
        <label className="field">
          <span>{t('desk.analytics.to')}</span>
          <input type="date" data-testid="audit-to" min={draft.from} required {...field('to')} />
        </label>
        <label className="field">
          <span>{t('desk.audit.patient')}</span>
          <input type="search" data-testid="audit-patient" maxLength={100} {...field('patient')} />
        </label>
        <label className="field">
          <span>{t('desk.audit.action')}</span>
          <input
            type="search"
            data-testid="audit-action"
            maxLength={60}
            placeholder="face"
            {...field('action')}
          />
        </label>
        <label className="field">
          <span>{t('desk.audit.actor')}</span>
          <select data-testid="audit-actor" {...field('actor')}>
            {ACTORS.map((a) => (
              <option key={a} value={a}>
                {a === '' ? t('desk.audit.anyActor') : a}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" data-testid="audit-apply">
          {t('desk.audit.apply')}
        </button>
      </form>
      {state === 'failed' && error && (
        <p className="alert alert--error" role="alert">
          {t(error)}
        </p>
      )}
      <div className="table-wrap" aria-busy={state === 'loading'}>
        <table className="appt-table audit__table" data-testid="audit-table">
          <caption className="visually-hidden">{t('desk.audit.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.audit.when')}</th>
              <th scope="col">{t('desk.audit.actor')}</th>
              <th scope="col">{t('desk.audit.action')}</th>
              <th scope="col">{t('desk.audit.patient')}</th>
              <th scope="col">{t('desk.audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.seq} data-testid="audit-row">
                <td>
                  {formatShortDate(e.at)} {formatTime(e.at)}
                </td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.patient?.fullName ?? '—'}</td>
                <td className="audit__detail">{detailText(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {state === 'ready' && entries.length === 0 && <p className="empty">{t('desk.audit.empty')}</p>}
      {next !== null && (
        <button type="button" className="btn" data-testid="audit-more" onClick={() => load(filter, next)}>
          {t('desk.audit.more')}
        </button>
      )}
    </main>
  );
}
