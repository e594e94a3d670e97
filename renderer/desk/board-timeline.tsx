/**
 * The day as a timeline, one lane per practitioner: an hour grid from 08:00 to 20:00 (Europe/Lisbon),
 * one block per appointment (booked time and duration) coloured by status and labelled with time, name
 * and status (never colour alone), and a "now" line. A CSS grid of 5-minute columns: each block takes its
 * columns and the grid's auto-placement stacks overlapping blocks in extra rows. A block of a waiting or
 * called patient is a button that opens the move dialog; the others are plain list items.
 */
import { useTranslation } from 'react-i18next';
import { isMovable } from '../../server/domain/visit.ts';
import { formatTime } from '../shared/format.ts';
import type { BoardAppointment, Practitioner, Settings } from '../shared/types.ts';
import { liveTimers } from './appointment-row.tsx';
import {
  blockColumns,
  SPAN_MIN,
  TIMELINE_COLUMNS,
  TIMELINE_END_HOUR,
  TIMELINE_START_HOUR,
  timelineMinute,
} from './board-timeline-grid.ts';
import { specialtyName } from './actions.ts';
import { useDesk } from './store.ts';

function Block({ a, nowMs, settings }: { a: BoardAppointment; nowMs: number; settings: Settings }) {
  const { t } = useTranslation();
  const openMove = useDesk((s) => s.openMove);
  const cols = blockColumns(timelineMinute(a.startsAt), a.durationMin);
  if (!cols) return null;
  const { alert } = liveTimers(a, nowMs, settings);
  const end = Date.parse(a.startsAt) + a.durationMin * 60_000;
  const label = t('desk.timeline.block', {
    from: formatTime(a.startsAt),
    to: formatTime(end),
    name: a.patient.fullName,
    specialty: specialtyName(a.specialty),
    status: t(`status.${a.status}`),
  });
  const alertText = alert ? ` — ${t(`desk.alerts.${alert}`)}` : '';
  const content = (
    <>
      <span className="tl-block__time">{formatTime(a.startsAt)}</span>{' '}
      <span className="tl-block__name">{a.patient.fullName}</span>
      <span className="tl-block__status">
        {alert ? '⚠ ' : ''}
        {t(`status.${a.status}`)}
      </span>
    </>
  );
  return (
    <li
      className={`tl-block tl-block--${a.status}${alert ? ' tl-block--alert' : ''}`}
      style={{ gridColumn: `${cols.start} / span ${cols.span}` }}
      data-testid="timeline-block"
      data-id={a.id}
      data-status={a.status}
    >
      {isMovable(a.status) ? (
        <button
          type="button"
          className="tl-block__inner"
          title={label + alertText}
          aria-label={`${label}${alertText}. ${t('desk.actions.move')}`}
          aria-haspopup="dialog"
          onClick={() => openMove({ appointment: a, mode: 'move' })}
        >
          {content}
        </button>
      ) : (
        <span className="tl-block__inner" title={label} aria-label={label + alertText} role="img">
          {content}
        </span>
      )}
    </li>
  );
}

function Lane({
  practitioner,
  appointments,
  nowMs,
  settings,
  nowPct,
}: {
  practitioner: Practitioner;
  appointments: BoardAppointment[];
  nowMs: number;
  settings: Settings;
  nowPct: number | null;
}) {
  const { t } = useTranslation();
  const id = `tl-${practitioner.id}`;
  return (
    <div className="tl-lane" data-testid="timeline-lane">
      <h3 id={id} className="tl-lane__name">
        {practitioner.displayName}
      </h3>
      <div className="tl-lane__track">
        {nowPct !== null && <span className="tl-now" style={{ left: `${nowPct}%` }} aria-hidden="true" />}
        {appointments.length === 0 ? (
          <p className="tl-lane__empty muted">{t('desk.timeline.free')}</p>
        ) : (
          <ol
            className="tl-grid"
            aria-labelledby={id}
            style={{ gridTemplateColumns: `repeat(${TIMELINE_COLUMNS}, 1fr)` }}
          >
            {appointments.map((a) => (
              <Block key={a.id} a={a} nowMs={nowMs} settings={settings} />
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}

/**
 * The timeline view of the board: `appointments` (already filtered) in one lane per practitioner of
 * `practitioners`, at `nowMs` (server clock, ms).
 */
export function BoardTimeline({
  appointments,
  practitioners,
  nowMs,
  settings,
}: {
  appointments: BoardAppointment[];
  practitioners: Practitioner[];
  nowMs: number;
  settings: Settings;
}) {
  const { t } = useTranslation();
  const nowMin = timelineMinute(nowMs);
  const nowPct = nowMin >= 0 && nowMin <= SPAN_MIN ? (nowMin / SPAN_MIN) * 100 : null;
  const hours = Array.from(
    { length: TIMELINE_END_HOUR - TIMELINE_START_HOUR + 1 },
    (_, i) => TIMELINE_START_HOUR + i,
  );
  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-lane tl-lane--head" aria-hidden="true">
        <span className="tl-lane__name" />
        <div className="tl-hours">
          {hours.map((hour) => (
            <span
              key={hour}
              className="tl-hours__mark"
              style={{
                left: `${((hour - TIMELINE_START_HOUR) / (TIMELINE_END_HOUR - TIMELINE_START_HOUR)) * 100}%`,
              }}
            >
              {String(hour).padStart(2, '0')}:00
            </span>
          ))}
        </div>
      </div>
      {practitioners.map((p) => (
        <Lane
          key={p.id}
          practitioner={p}
          appointments={appointments.filter((a) => a.practitioner.id === p.id)}
          nowMs={nowMs}
          settings={settings}
          nowPct={nowPct}
        />
      ))}
      {nowPct !== null && (
        <p className="visually-hidden">{t('desk.timeline.now', { time: formatTime(nowMs) })}</p>
      )}
    </div>
  );
}
