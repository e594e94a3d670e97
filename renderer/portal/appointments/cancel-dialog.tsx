/**
 * "Cancel this appointment?": names the appointment and the clinic's policy (free until
 * `cancelNoticeHours` before), then cancels. After the deadline the server answers 409 `outside_policy`,
 * explained here with the deadline, and the patient is pointed to the clinic.
 */
import { useState } from 'react';
import { ApiError, cancelAppointment } from '../api.ts';
import { shortDateTime } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { flash, useSession } from '../session.ts';
import type { Appointment } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { ModalDialog } from '../ui/modal-dialog.tsx';
import { AppointmentSummary } from './appointment-summary.tsx';
import { loadAppointments, upsertAppointment } from './store.ts';

interface Props {
  appointment: Appointment | null;
  onClose: () => void;
}

/** Renders the dialog while `appointment` is set. */
export function CancelDialog({ appointment: a, onClose }: Props) {
  const { t, lang } = usePortalT();
  const clinics = useSession((s) => s.clinics);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hours = clinics?.find((c) => c.id === a?.clinicId)?.cancelNoticeHours ?? 24;

  const close = () => {
    setError(null);
    onClose();
  };

  const confirm = async () => {
    if (!a) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await cancelAppointment(a.id);
      upsertAppointment(updated);
      void loadAppointments();
      flash(location.pathname, 'appointments.cancelled');
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const outsidePolicy = error instanceof ApiError && error.code === 'outside_policy';

  return (
    <ModalDialog
      open={a !== null}
      title={t('appointments.cancelTitle')}
      onClose={close}
      testId="cancel-dialog"
    >
      {a && (
        <>
          <p>{t('appointments.cancelBody')}</p>
          <AppointmentSummary appointment={a} />
          <p className="p-muted">{t('appointments.cancelPolicy', { hours })}</p>
          {error !== null && (
            <Alert kind="error">
              {outsidePolicy
                ? t('appointments.outsidePolicy', { hours, deadline: shortDateTime(a.changeDeadline, lang) })
                : errorText(t, error)}
            </Alert>
          )}
          <div className="p-actions p-actions--end">
            <button type="button" className="p-btn" onClick={close} data-testid="cancel-keep">
              {t('appointments.keep')}
            </button>
            {!outsidePolicy && (
              <button
                type="button"
                className="p-btn p-btn--danger"
                disabled={busy}
                aria-busy={busy}
                onClick={() => void confirm()}
                data-testid="cancel-confirm"
              >
                {busy ? t('appointments.cancelling') : t('appointments.cancelConfirm')}
              </button>
            )}
          </div>
        </>
      )}
    </ModalDialog>
  );
}
