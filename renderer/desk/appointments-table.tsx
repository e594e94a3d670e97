/**
 * The day's appointments with filters (practitioner, hide finished), as a table or a timeline (switch in
 * the panel's head); empty and loading states; the live clock (every 30 s) for the rows' timers and
 * alerts; and the board's move dialog and undo toast.
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { errorKey } from '../shared/i18n.ts';
import { formatDate } from '../shared/format.ts';
import { useNow } from '../shared/use-now.ts';
import { loadBoard } from './actions.ts';
import { AppointmentRow } from './appointment-row.tsx';
import { BoardTimeline } from './board-timeline.tsx';
import { MoveDialog } from './move-dialog.tsx';
import { PractitionerSelect } from './practitioner-select.tsx';
import { useDesk, type BoardView } from './store.ts';
import { UndoToast } from './undo-toast.tsx';
import { isClosed } from '../../server/domain/visit.ts';

/** How often the rows' timers and alerts are recomputed on the desk, ms. */
const TICK_MS = 30_000;

function ViewSwitch() {
  const { t } = useTranslation();
  const view = useDesk((s) => s.view);
  const setView = useDesk((s) => s.setView);
  const views: BoardView[] = ['list', 'timeline'];
  return (
    <div className="view-switch" role="group" aria-label={t('desk.timeline.viewLabel')}>
      {views.map((v) => (
        <button
          key={v}
          type="button"
          className={`btn btn--small ${view === v ? 'btn--primary' : ''}`}
          aria-pressed={view === v}
          data-testid={`view-${v}`}
          onClick={() => setView(v)}
        >
          {t(v === 'list' ? 'desk.timeline.list' : 'desk.timeline.timeline')}
        </button>
      ))}
    </div>
  );
}

function Filters({ shown, total }: { shown: number; total: number }) {
  const { t } = useTranslation();
  const { practitioners, practitionerId, hideClosed, setPractitionerId, setHideClosed } = useDesk(
    useShallow((s) => ({
      practitioners: s.board?.practitioners ?? [],
      practitionerId: s.practitionerId,
      hideClosed: s.hideClosed,
      setPractitionerId: s.setPractitionerId,
      setHideClosed: s.setHideClosed,
    })),
  );
  return (
    <div className="filters">
      <label className="field field--inline">
        <span>{t('desk.table.practitioner')}</span>
        <PractitionerSelect
          testId="filter-practitioner"
          value={practitionerId}
          onChange={setPractitionerId}
          emptyLabel={t('desk.table.all')}
          practitioners={practitioners}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="filter-hide-closed"
          checked={hideClosed}
          onChange={(e) => setHideClosed(e.target.checked)}
        />
        <span>{t('desk.table.hideClosed')}</span>
      </label>
      <span className="filters__count muted" aria-live="polite">
        {t('desk.table.count', { shown, total })}
      </span>
    </div>
  );
}

/**
 * The appointments panel: a spinner until the first board arrives, the load error with "retry" if that
 * failed, else the filtered table (one AppointmentRow each) or an empty-day / nothing-matches note.
 */
export function AppointmentsTable() {
  const { t, i18n } = useTranslation();
  const { board, loadError, practitionerId, hideClosed, view, clockOffsetMs } = useDesk(
    useShallow((s) => ({
      board: s.board,
      loadError: s.loadError,
      practitionerId: s.practitionerId,
      hideClosed: s.hideClosed,
      view: s.view,
      clockOffsetMs: s.clockOffsetMs,
    })),
  );
  const nowMs = useNow(TICK_MS).getTime() + clockOffsetMs;

  if (!board) {
    return (
      <section className="panel appts" aria-busy={!loadError}>
        <h2 className="panel__title">{t('desk.table.title')}</h2>
        {loadError ? (
          <div className="alert alert--error" role="alert">
            <span>
              {t('desk.table.loadFailed')} {t(errorKey(loadError))}
            </span>
            <button type="button" className="btn" onClick={() => void loadBoard()}>
              {t('common.retry')}
            </button>
          </div>
        ) : (
          <p className="empty">
            <span className="spinner" aria-hidden="true" /> {t('desk.table.loading')}
          </p>
        )}
      </section>
    );
  }

  const rows = board.appointments.filter(
    (a) => (!practitionerId || a.practitioner.id === practitionerId) && (!hideClosed || !isClosed(a.status)),
  );
  const lang = i18n.language === 'en' ? 'en' : 'pt';

  return (
    <section className="panel appts" aria-labelledby="appts-title">
      <div className="panel__head">
        <h2 id="appts-title" className="panel__title">
          {t('desk.table.title')}
        </h2>
        <ViewSwitch />
        <Filters shown={rows.length} total={board.appointments.length} />
      </div>
      {view === 'timeline' ? (
        <BoardTimeline
          appointments={rows}
          practitioners={board.practitioners.filter((p) => !practitionerId || p.id === practitionerId)}
          nowMs={nowMs}
          settings={board.settings}
        />
      ) : rows.length === 0 ? (
        <p className="empty" data-testid="appt-empty">
          {board.appointments.length === 0 ? t('desk.table.empty') : t('desk.table.emptyFiltered')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="appt-table">
            <caption className="visually-hidden">
              {t('desk.table.caption', { date: formatDate(board.date, lang) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('desk.table.time')}</th>
                <th scope="col">{t('desk.table.patient')}</th>
                <th scope="col">{t('desk.table.practitioner')}</th>
                <th scope="col">{t('desk.table.room')}</th>
                <th scope="col">{t('desk.table.status')}</th>
                <th scope="col">{t('desk.table.wait')}</th>
                <th scope="col">{t('desk.table.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <AppointmentRow key={a.id} a={a} nowMs={nowMs} settings={board.settings} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoveDialog />
      <UndoToast />
    </section>
  );
}
