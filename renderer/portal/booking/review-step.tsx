/**
 * Booking step 4: review and confirm. The slot is held for the patient (7.5 minutes, booking.md); a
 * countdown shows the time left (announced once at one minute), and "Confirm booking" turns the hold into
 * an appointment (or, when rescheduling, moves the appointment to it). When the hold lapses (410
 * `hold_expired`, or the countdown reaching zero) the patient is told and goes back to the times.
 */
import { useState } from 'react';
import { ApiError, confirmHold, rescheduleAppointment } from '../api.ts';
import { loadAppointments } from '../appointments/store.ts';
import { useSpecialties } from '../catalog.ts';
import { countdown, longDate, money, specialtyName, time } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate } from '../router.ts';
import type { Appointment, Clinic, Hold } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { useCountdown } from '../ui/use-countdown.ts';
import { forgetHold } from './hold-store.ts';
import { StepHeader } from './step-header.tsx';

interface Props {
  clinic: Clinic;
  hold: Hold;
  total: number;
  /** The appointment being rescheduled, if any. */
  original: Appointment | null;
}

/** Renders the summary, the countdown and the confirm button. */
export function ReviewStep({ clinic, hold, total, original }: Props) {
  const { t, lang } = usePortalT();
  const specialties = useSpecialties(clinic.id);
  const left = useCountdown(hold.expiresAt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const expired = left <= 0 || (error instanceof ApiError && error.code === 'hold_expired');

  const lastMinute = left > 0 && left <= 60_000;
  const back = () => history.back();

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const appointment = original
        ? await rescheduleAppointment(original.id, hold.id)
        : await confirmHold(hold.id);
      forgetHold();
      void loadAppointments();
      navigate(`/appointments/${appointment.id}?${original ? 'rescheduled' : 'booked'}=1`, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="p-page p-review">
      <StepHeader
        step={total}
        total={total}
        title={original ? t('book.rescheduleReviewTitle') : t('book.reviewTitle')}
      />
      {!expired && (
        <div className="p-timer" data-testid="hold-timer">
          <p>
            {t('book.heldFor')}{' '}
            <strong className="p-timer__time" role="timer" aria-live="off">
              {countdown(left)}
            </strong>
          </p>
          <p className="visually-hidden" aria-live="polite">
            {lastMinute ? t('book.lastMinute') : ''}
          </p>
        </div>
      )}
      {expired && (
        <Alert kind="error" testId="hold-expired">
          {t('book.expired')}
        </Alert>
      )}
      {error !== null && !expired && <Alert kind="error">{errorText(t, error)}</Alert>}

      <section className="p-card" aria-labelledby="review-what">
        <h2 id="review-what" className="p-review__when">
          {longDate(hold.startsAt, lang)}
          <span className="p-review__time">
            {t('appointments.timeRange', { start: time(hold.startsAt, lang), end: time(hold.endsAt, lang) })}
          </span>
        </h2>
        <dl className="p-facts">
          <div>
            <dt>{t('book.specialty')}</dt>
            <dd>{specialtyName(specialties ?? null, hold.specialty, lang)}</dd>
          </div>
          <div>
            <dt>{t('book.practitioner')}</dt>
            <dd data-testid="review-practitioner">{hold.practitionerName}</dd>
          </div>
          <div>
            <dt>{t('book.clinic')}</dt>
            <dd>
              {clinic.name}
              <br />
              <span className="p-muted">{clinic.address}</span>
            </dd>
          </div>
          <div>
            <dt>{t('book.price')}</dt>
            <dd>{money(hold.priceCents, lang)}</dd>
          </div>
          <div>
            <dt>{t('book.payment')}</dt>
            <dd>{clinic.paymentMode === 'pay_online' ? t('book.payOnline') : t('book.payAtClinic')}</dd>
          </div>
          {original && (
            <div>
              <dt>{t('book.replaces')}</dt>
              <dd>
                {longDate(original.startsAt, lang)}, {time(original.startsAt, lang)}
              </dd>
            </div>
          )}
        </dl>
        <p className="p-muted">{t('book.policy', { hours: clinic.cancelNoticeHours })}</p>
      </section>

      <div className="p-actions p-actions--stack">
        {!expired && (
          <button
            type="button"
            className="p-btn p-btn--primary p-btn--large"
            disabled={busy}
            aria-busy={busy}
            onClick={() => void confirm()}
            data-testid="confirm-booking"
          >
            {busy ? t('book.confirming') : original ? t('book.confirmReschedule') : t('book.confirm')}
          </button>
        )}
        <button type="button" className="p-btn" onClick={back} disabled={busy} data-testid="review-back">
          {t('book.otherTime')}
        </button>
      </div>
    </div>
  );
}
