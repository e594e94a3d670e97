/** One appointment of the day, with the actions its status allows (see transitions.ts). */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../shared/format.ts';
import type { BoardAppointment } from '../shared/types.ts';
import { changeStatus, specialtyName } from './actions.ts';
import { useDesk } from './store.ts';
import { ACTION_TARGET, rowActions, type RowAction } from './transitions.ts';

const ACTION_LABEL = {
  'check-in': 'desk.actions.checkIn',
  call: 'desk.actions.call',
  requeue: 'desk.actions.requeue',
  start: 'desk.actions.start',
  done: 'desk.actions.done',
  'no-show': 'desk.actions.noShow',
  cancel: 'desk.actions.cancel',
} as const satisfies Record<RowAction, string>;

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

export const AppointmentRow = memo(function AppointmentRow({ a }: { a: BoardAppointment }) {
  const { t } = useTranslation();
  const busy = useDesk((s) => Boolean(s.busy[a.id]));
  const openEnrol = useDesk((s) => s.openEnrol);
  const openPayment = useDesk((s) => s.openPayment);
  const name = a.patient.fullName;

  const run = (action: RowAction) => {
    if (
      action === 'cancel' &&
      !window.confirm(t('desk.actions.confirmCancel', { name, time: formatTime(a.startsAt) }))
    ) {
      return;
    }
    void changeStatus(a, ACTION_TARGET[action]);
  };

  return (
    <tr data-testid="appt-row" data-id={a.id} data-status={a.status} className={`appt appt--${a.status}`}>
      <td className="appt__time">
        <time dateTime={a.startsAt}>{formatTime(a.startsAt)}</time>
      </td>
      <td className="appt__patient">
        <span className="appt__name">{name}</span>
        {a.patient.faceEnrolled && <FaceIcon label={t('desk.table.faceEnrolled')} />}
        {a.walkIn && <span className="tag">{t('desk.table.walkIn')}</span>}
      </td>
      <td>{specialtyName(a.specialty)}</td>
      <td>{a.practitioner.displayName}</td>
      <td className="appt__room">{a.room?.name ?? t('common.none')}</td>
      <td>
        <div className="appt__badges">
          <span className={`badge badge--${a.status}`} data-testid="status-badge">
            {t(`status.${a.status}`)}
          </span>
          <span
            className={`badge ${a.paid ? 'badge--paid' : 'badge--unpaid'}`}
            data-testid="payment-badge"
            data-paid={a.paid}
          >
            {a.paid ? `✓ ${t('desk.table.paid')}` : t('desk.table.unpaid')}
          </span>
        </div>
      </td>
      <td className="appt__ticket">{a.ticket ?? t('common.none')}</td>
      <td className="appt__estimate">
        {a.status === 'arrived' && a.estimate
          ? t('desk.table.estimateMin', {
              band: t(`waitBand.${a.estimate.band}`),
              count: Math.max(0, Math.round(a.estimate.waitMin)),
            })
          : t('common.none')}
      </td>
      <td>
        <div className="appt__actions">
          {rowActions(a.status).map((action) => {
            const noRoom = action === 'call' && !a.room;
            const label = t(ACTION_LABEL[action]);
            return (
              <button
                key={action}
                type="button"
                className={`btn btn--small ${ACTION_STYLE[action] ?? ''}`}
                data-testid={`action-${action}`}
                disabled={busy || noRoom}
                title={noRoom ? t('desk.actions.noRoom') : undefined}
                aria-label={t('desk.actions.aria', { action: label, name })}
                onClick={() => run(action)}
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
