/**
 * "Pay" on an appointment awaiting payment: asks the server for a fresh payment link
 * (POST /api/me/appointments/{id}/pay-link) and opens the payment page `/pay/{token}`; and "Invoice (PDF)"
 * once the appointment is paid.
 */
import { useState } from 'react';
import { errorText, usePortalT } from '../i18n.ts';
import { appointmentInvoiceUrl, createPayLink } from '../pay/pay-api.ts';
import { navigate } from '../router.ts';
import type { Appointment } from '../types.ts';
import { Alert } from '../ui/alert.tsx';

/** Renders the button (and the error of a failed attempt under it). */
export function PayButton({ appointment: a }: { appointment: Appointment }) {
  const { t } = usePortalT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const pay = async () => {
    setBusy(true);
    setError(null);
    try {
      const link = await createPayLink(a.id);
      navigate(`/pay/${encodeURIComponent(link.token)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="p-btn p-btn--primary"
        disabled={busy}
        aria-busy={busy}
        aria-label={busy ? undefined : t('appointments.payAria', { code: a.bookingCode })}
        onClick={() => void pay()}
        data-testid="appointment-pay"
      >
        {busy ? t('appointments.paying') : t('appointments.pay')}
      </button>
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
    </>
  );
}

/** The invoice PDF link of a paid appointment. */
export function InvoiceLink({ appointment: a }: { appointment: Appointment }) {
  const { t } = usePortalT();
  return (
    <a
      className="p-btn"
      href={appointmentInvoiceUrl(a.id)}
      download
      aria-label={t('appointments.invoicePdfAria', { code: a.bookingCode })}
      data-testid="appointment-invoice"
    >
      {t('appointments.invoicePdf')}
    </a>
  );
}
