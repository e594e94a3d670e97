/**
 * One appointment of the day: who, with whom and where, status with payment and alert badges, the live
 * wait timer, and the actions its status allows (see transitions.ts): the state machine's moves, call
 * (into the row's room, or a chosen one when it has none), recall, move, payment and face enrolment.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { boardAlert, isActive, minutesSince } from '../../server/domain/visit.ts';
import { formatTime } from '../shared/format.ts';
import type { BoardAppointment, Settings } from '../shared/types.ts';
import { callPatient, changeStatus, recallPatient, specialtyName } from './actions.ts';
import { useDesk } from './store.ts';
import { useAuth } from './auth/auth-store.ts';
import { openPatientCard } from './patient-card.tsx';
import { ACTION_TARGET, extraActions, rowActions, type ExtraAction, type RowAction } from './transitions.ts';

const ACTION_LABEL = {
  'check-in': 'desk.actions.checkIn',
  call: 'desk.actions.call',
  requeue: 'desk.actions.requeue',
  start: 'desk.actions.start',
  done: 'desk.actions.done',
  'no-show': 'desk.actions.noShow',
  cancel: 'desk.actions.cancel',
} as const satisfies Record<RowAction, string>;

const EXTRA_LABEL = {
  recall: 'desk.actions.recall',
  move: 'desk.actions.move',
} as const satisfies Record<ExtraAction, string>;

const ACTION_STYLE: Partial<Record<RowAction, string>> = {
  'check-in': 'btn--primary',
  call: 'btn--primary',
  start: 'btn--success',
  done: 'btn--success',
  cancel: 'btn--danger',
};

function FaceIcon({ label }: { label: string }) {
  return (
    <span className="face-badge" data-testid="face-enrolled" title={label}>
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Zm-3.5-9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3ZM12 17.5a5.5 5.5 0 0 0 5.1-3.5H6.9a5.5 5.5 0 0 0 5.1 3.5Z"
        />
      </svg>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/**
 * The row's timer and alert at `nowMs` (server clock), recomputed on the desk with the same rule as the
 * server (server/domain/visit.ts `boardAlert`), so they stay live between board snapshots.
 */
export function liveTimers(a: BoardAppointment, nowMs: number, settings: Settings) {
  return {
    sinceArrivalMin: isActive(a.status) ? minutesSince(a.arrivedAt, nowMs) : null,
    alert: boardAlert(a, nowMs, settings),
  };
}

/**
 * A row of the appointments table.
 * @param nowMs the board's current time (server clock, ms), ticking every 30 s
 */
export const AppointmentRow = memo(function AppointmentRow({
  a,
  nowMs,
  settings,
}: {
  a: BoardAppointment;
  nowMs: number;
  settings: Settings;
}) {
  const { t } = useTranslation();
  const busy = useDesk((s) => Boolean(s.busy[a.id]));
  const openEnrol = useDesk((s) => s.openEnrol);
  const openPayment = useDesk((s) => s.openPayment);
  const openMove = useDesk((s) => s.openMove);
  // The patient card is the desk's (a practitioner may not read it: server/clinic/http/access.ts).
  const canOpenCard = useAuth((s) => s.me?.staff.role !== 'practitioner');
  const name = a.patient.fullName;
  const { sinceArrivalMin, alert } = liveTimers(a, nowMs, settings);

  const run = (action: RowAction) => {
    if (
      action === 'cancel' &&
      !window.confirm(t('desk.actions.confirmCancel', { name, time: formatTime(a.startsAt) }))
    ) {
      return;
    }
    if (action === 'call') {
      // Into the row's room; without one, the desk chooses the room first.
      if (a.room) void callPatient(a);
      else openMove({ appointment: a, mode: 'call' });
      return;
    }
    void changeStatus(a, ACTION_TARGET[action]);
  };

  const runExtra = (action: ExtraAction) => {
    if (action === 'recall') void recallPatient(a);
    else openMove({ appointment: a, mode: 'move' });
  };

  return (
    <tr
      data-testid="appt-row"
      data-id={a.id}
      data-status={a.status}
      data-alert={alert ?? undefined}
      className={`appt appt--${a.status}${alert ? ` appt--alert-${alert}` : ''}`}
    >
      <td className="appt__time">
        <time dateTime={a.startsAt}>{formatTime(a.startsAt)}</time>
      </td>
      <td className="appt__patient">
        {canOpenCard ? (
          <button
            type="button"
            className="link-btn appt__name"
            data-testid="open-patient-card"
            onClick={() => openPatientCard(a.patient.id)}
          >
            {name}
          </button>
        ) : (
          <span className="appt__name">{name}</span>
        )}
        {a.patient.faceEnrolled && <FaceIcon label={t('desk.table.faceEnrolled')} />}
        {a.walkIn && <span className="tag">{t('desk.table.walkIn')}</span>}
        {a.ticket && (
          <span className="tag tag--ticket" data-testid="ticket">
            <span className="visually-hidden">{t('desk.table.ticket')} </span>
            {a.ticket}
          </span>
        )}
      </td>
      <td className="appt__who">
        <span>{a.practitioner.displayName}</span>
        <span className="appt__sub">{specialtyName(a.specialty)}</span>
      </td>
      <td className="appt__room" data-testid="room">
        {a.room?.name ?? t('common.none')}
      </td>
      <td>
        <div className="appt__badges">
          <span className={`badge badge--${a.status}`} data-testid="status-badge">
            {t(`status.${a.status}`)}
          </span>
          {alert && (
            <span className={`badge badge--alert-${alert}`} data-testid="alert-badge" data-alert={alert}>
              <span aria-hidden="true">⚠ </span>
              {t(`desk.alerts.${alert}`)}
            </span>
          )}
          <span
            className={`badge ${a.paid ? 'badge--paid' : 'badge--unpaid'}`}
            data-testid="payment-badge"
            data-paid={a.paid}
          >
            {a.paid ? `✓ ${t('desk.table.paid')}` : t('desk.table.unpaid')}
          </span>
        </div>
      </td>
      <td className="appt__estimate">
        {sinceArrivalMin !== null && (
          <span className="appt__timer" data-testid="wait-timer" data-minutes={sinceArrivalMin}>
            {t('desk.table.waitedMin', { count: sinceArrivalMin })}
          </span>
        )}
        {a.status === 'arrived' && a.estimate && (
          <span className="appt__sub">
            {t('desk.table.estimateMin', {
              band: t(`waitBand.${a.estimate.band}`),
              count: Math.max(0, Math.round(a.estimate.waitMin)),
            })}
          </span>
        )}
        {sinceArrivalMin === null && !(a.status === 'arrived' && a.estimate) && t('common.none')}
      </td>
      <td>
        <div className="appt__actions">
          {rowActions(a.status).map((action) => {
            const label = t(ACTION_LABEL[action]);
            return (
              <button
                key={action}
                type="button"
                className={`btn btn--small ${ACTION_STYLE[action] ?? ''}`}
                data-testid={`action-${action}`}
                disabled={busy}
                title={action === 'call' && !a.room ? t('desk.actions.noRoom') : undefined}
                aria-label={t('desk.actions.aria', { action: label, name })}
                aria-haspopup={action === 'call' && !a.room ? 'dialog' : undefined}
                onClick={() => run(action)}
              >
                {label}
              </button>
            );
          })}
          {extraActions(a.status).map((action) => {
            const label = t(EXTRA_LABEL[action]);
            return (
              <button
                key={action}
                type="button"
                className="btn btn--small"
                data-testid={`action-${action}`}
                disabled={busy}
                aria-label={t('desk.actions.aria', { action: label, name })}
                aria-haspopup={action === 'move' ? 'dialog' : undefined}
                onClick={() => runExtra(action)}
              >
                {label}
              </button>
            );
          })}
          <button
            type="button"
            className="btn btn--small"
            data-testid="action-payment"
            aria-label={t('desk.actions.aria', { action: t('desk.actions.payment'), name })}
            aria-haspopup="dialog"
            onClick={() => openPayment(a)}
          >
            {t('desk.actions.payment')}
          </button>
          <button
            type="button"
            className="btn btn--small"
            data-testid="action-enrol"
            aria-label={t('desk.actions.aria', { action: t('desk.actions.enrol'), name })}
            aria-haspopup="dialog"
            onClick={() => openEnrol({ id: a.patient.id, fullName: name })}
          >
            {t('desk.actions.enrol')}
          </button>
        </div>
      </td>
    </tr>
  );
});
