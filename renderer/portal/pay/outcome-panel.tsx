/**
 * The end of a payment: "Payment received" with the invoice number and its PDF, or why there is nothing
 * to pay (the deadline passed, the appointment was cancelled, the payment was refunded). When the order
 * settles while the page is open (the patient paid at an ATM or in the MB WAY app), the panel's heading
 * takes focus, so a screen reader announces it and the payment steps that vanished leave no lost focus.
 */
import { useEffect, useRef } from 'react';
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { usePortalT, type PortalKey } from '../i18n.ts';
import { Link } from '../ui/link.tsx';

interface Props {
  order: PayOrderDto;
  /** The order settled while the page was open: focus the heading. */
  focusOnMount: boolean;
}

const CLOSED: Record<'expired' | 'cancelled' | 'refunded', { title: PortalKey; body: PortalKey }> = {
  expired: { title: 'pay.expiredTitle', body: 'pay.expiredBody' },
  cancelled: { title: 'pay.cancelledTitle', body: 'pay.cancelledBody' },
  refunded: { title: 'pay.refundedTitle', body: 'pay.refundedBody' },
};

/** Renders the outcome of a settled order. */
export function OutcomePanel({ order, focusOnMount }: Props) {
  const { t } = usePortalT();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
    // Only when the outcome first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (order.status === 'pending') return null;

  if (order.status === 'paid') {
    return (
      <section className="p-card p-pay-done" aria-labelledby="pay-outcome" data-testid="pay-paid">
        <h2 id="pay-outcome" ref={heading} tabIndex={-1}>
          <span className="p-pay-done__icon" aria-hidden="true">
            ✓
          </span>{' '}
          {t('pay.paidTitle')}
        </h2>
        <p>{t('pay.paidBody')}</p>
        {order.invoice ? (
          <>
            <dl className="p-facts">
              <div>
                <dt>{t('pay.invoiceNumber')}</dt>
                <dd className="p-code" data-testid="pay-invoice-number">
                  {order.invoice.number}
                </dd>
              </div>
            </dl>
            <a
              className="p-btn p-btn--primary p-btn--large"
              href={order.invoice.url}
              download
              data-testid="pay-invoice-download"
            >
              {t('pay.downloadInvoice')}
            </a>
          </>
        ) : (
          <p className="p-muted" data-testid="pay-invoice-pending">
            {t('pay.invoicePending')}
          </p>
        )}
      </section>
    );
  }

  const text = CLOSED[order.status];
  return (
    <section className="p-card" aria-labelledby="pay-outcome" data-testid={`pay-${order.status}`}>
      <h2 id="pay-outcome" ref={heading} tabIndex={-1}>
        {t(text.title)}
      </h2>
      <p>{t(text.body)}</p>
      {order.status === 'expired' && (
        <Link href="/book" className="p-btn p-btn--primary">
          {t('pay.bookAgain')}
        </Link>
      )}
    </section>
  );
}
