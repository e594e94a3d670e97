/**
 * One appointment, and the "done" page after booking or rescheduling (`?booked=1`, `?rescheduled=1`):
 * the booking code in large letters and its QR code for the clinic's kiosk, "Add to calendar" (.ics),
 * the live status on the day, "Pay" while it awaits payment, reschedule / cancel while the policy allows,
 * and the invoice PDF once paid.
 */
import { useEffect, useState } from 'react';
import { calendarUrl, getAppointment, qrUrl } from '../api.ts';
import { money, shortDateTime } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { useLocation } from '../router.ts';
import { useNow } from '../../shared/use-now.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { AppointmentSummary } from './appointment-summary.tsx';
import { CancelDialog } from './cancel-dialog.tsx';
import { InvoiceLink, PayButton } from './pay-button.tsx';
import { canPay, isPaid } from './payment.ts';
import { upsertAppointment, useAppointments } from './store.ts';

/** Renders the appointment `id`, loading it if the lists do not hold it. */
export function AppointmentPage({ id }: { id: string }) {
  const { t, lang } = usePortalT();
  const { search } = useLocation();
  const appointment = useAppointments((s) => s.byId[id]);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const now = useNow(60_000);
  const booked = search.get('booked') === '1';
  const rescheduled = search.get('rescheduled') === '1';

  useEffect(() => {
    let stale = false;
    getAppointment(id).then(
      (a) => {
        if (!stale) upsertAppointment(a);
      },
      (err: unknown) => {
        if (!stale) setError(err);
      },
    );
    return () => {
      stale = true;
    };
  }, [id]);

  const title = booked
    ? t('appointments.bookedTitle')
    : rescheduled
      ? t('appointments.rescheduledTitle')
      : t('appointments.detailTitle');

  if (!appointment) {
    return (
      <div className="p-page">
        <PageHeading>{title}</PageHeading>
        {error ? <Alert kind="error">{errorText(t, error)}</Alert> : <Loading />}
        <Link href="/appointments" className="p-btn">
          {t('appointments.backToList')}
        </Link>
      </div>
    );
  }

  const a = appointment;
  const live = a.status === 'confirmed' || a.status === 'awaiting_payment';
  const upcoming = live && Date.parse(a.endsAt) > now.getTime();
  return (
    <div className="p-page p-detail" data-testid="appointment-detail" data-id={a.id}>
      <PageHeading>{title}</PageHeading>
      {(booked || rescheduled) && (
        <Alert kind="info" testId="booked">
          {booked ? t('appointments.bookedIntro') : t('appointments.rescheduledIntro')}
        </Alert>
      )}
      <div className="p-detail__grid">
        {live && (
          <section className="p-card p-ticket" aria-labelledby="detail-code">
            <h2 id="detail-code">{t('appointments.codeLabel')}</h2>
            <p className="p-ticket__code" data-testid="detail-code">
              {a.bookingCode}
            </p>
            <img
              className="p-ticket__qr"
              src={qrUrl(a.id)}
              alt={t('appointments.qrAlt', { code: a.bookingCode })}
              width={220}
              height={220}
              data-testid="qr"
            />
            <p className="p-muted">{t('appointments.kioskHint')}</p>
          </section>
        )}
        <section className="p-card p-detail__what" aria-labelledby="detail-what">
          <h2 id="detail-what" className="visually-hidden">
            {t('appointments.detailTitle')}
          </h2>
          <AppointmentSummary appointment={a} />
          <dl className="p-facts">
            <div>
              <dt>{t('book.clinic')}</dt>
              <dd>{a.clinicName}</dd>
            </div>
            <div>
              <dt>{t('book.price')}</dt>
              <dd>{money(a.priceCents, lang)}</dd>
            </div>
            <div>
              <dt>{t('book.payment')}</dt>
              <dd>{a.paymentMode === 'pay_online' ? t('book.payOnline') : t('book.payAtClinic')}</dd>
            </div>
          </dl>
          {(canPay(a, upcoming) || isPaid(a)) && (
            <div className="p-actions">
              {canPay(a, upcoming) && <PayButton appointment={a} />}
              {isPaid(a) && <InvoiceLink appointment={a} />}
            </div>
          )}
          {upcoming && (
            <div className="p-actions">
              <a className="p-btn" href={calendarUrl(a.id)} download data-testid="add-to-calendar">
                {t('appointments.addToCalendar')}
              </a>
              {a.canChange && (
                <>
                  <Link href={`/book?reschedule=${a.id}`} className="p-btn" data-testid="detail-reschedule">
                    {t('appointments.reschedule')}
                  </Link>
                  <button
                    type="button"
                    className="p-btn p-btn--danger"
                    data-testid="detail-cancel"
                    onClick={() => setCancelling(true)}
                  >
                    {t('appointments.cancel')}
                  </button>
                </>
              )}
            </div>
          )}
          {upcoming && !a.canChange && (
            <p className="p-muted">
              {t('appointments.tooLate', { deadline: shortDateTime(a.changeDeadline, lang) })}
            </p>
          )}
        </section>
      </div>
      <Link href="/appointments" className="p-btn" data-testid="back-to-list">
        {t('appointments.backToList')}
      </Link>
      <CancelDialog appointment={cancelling ? a : null} onClose={() => setCancelling(false)} />
    </div>
  );
}
