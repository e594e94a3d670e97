/**
 * One appointment in "My appointments": its summary and booking code, and what the patient can do with
 * it: pay (while it awaits payment), see the code and QR for the kiosk, reschedule, cancel (only while
 * the clinic's policy allows it, else when the deadline was), and download the invoice once paid.
 */
import { shortDateTime } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import type { Appointment } from '../types.ts';
import { Link } from '../ui/link.tsx';
import { AppointmentSummary } from './appointment-summary.tsx';
import { InvoiceLink, PayButton } from './pay-button.tsx';
import { canPay, isPaid } from './payment.ts';

interface Props {
  appointment: Appointment;
  /** Opens the cancel dialog for this appointment. */
  onCancel: (appointment: Appointment) => void;
  /** Whether it is in the "upcoming" list (the server's split). */
  upcoming: boolean;
}

/** Renders the card as a list item. */
export function AppointmentCard({ appointment: a, onCancel, upcoming: inUpcoming }: Props) {
  const { t, lang } = usePortalT();
  const live = a.status === 'confirmed' || a.status === 'awaiting_payment';
  const upcoming = live && inUpcoming;
  return (
    <li className="p-card p-appt" data-testid="appointment" data-id={a.id} data-code={a.bookingCode}>
      <AppointmentSummary appointment={a} as="h3" />
      <p className="p-appt__code">
        {t('appointments.code')}{' '}
        <strong className="p-code" data-testid="booking-code">
          {a.bookingCode}
        </strong>
      </p>
      <div className="p-actions">
        {canPay(a, upcoming) && <PayButton appointment={a} />}
        <Link
          href={`/appointments/${a.id}`}
          className="p-btn"
          data-testid="appointment-details"
          aria-label={t('appointments.detailsAria', { code: a.bookingCode })}
        >
          {live ? t('appointments.details') : t('appointments.view')}
        </Link>
        {upcoming && a.canChange && (
          <>
            <Link
              href={`/book?reschedule=${a.id}`}
              className="p-btn"
              data-testid="appointment-reschedule"
              aria-label={t('appointments.rescheduleAria', { code: a.bookingCode })}
            >
              {t('appointments.reschedule')}
            </Link>
            <button
              type="button"
              className="p-btn p-btn--danger"
              data-testid="appointment-cancel"
              aria-label={t('appointments.cancelAria', { code: a.bookingCode })}
              onClick={() => onCancel(a)}
            >
              {t('appointments.cancel')}
            </button>
          </>
        )}
        {isPaid(a) && <InvoiceLink appointment={a} />}
      </div>
      {upcoming && !a.canChange && (
        <p className="p-muted p-appt__note">
          {t('appointments.tooLate', { deadline: shortDateTime(a.changeDeadline, lang) })}
        </p>
      )}
    </li>
  );
}
