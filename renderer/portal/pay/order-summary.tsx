/**
 * What is being paid: the appointment (day and time in Lisbon, specialty, practitioner, clinic) and the
 * amount with its VAT line ("Isento de IVA (art. 9.º CIVA)" for exempt health care), and, while it can
 * still be paid, until when the link works.
 */
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { longDate, midSentence, money, specialtyName, time } from '../format.ts';
import { usePortalT } from '../i18n.ts';

/** Renders the summary card. */
export function OrderSummary({ order }: { order: PayOrderDto }) {
  const { t, lang } = usePortalT();
  return (
    <section className="p-card p-pay-summary" aria-labelledby="pay-summary" data-testid="pay-summary">
      <h2 id="pay-summary">{t('pay.summaryTitle')}</h2>
      <p className="p-review__when">
        {longDate(order.startsAt, lang)}
        <span className="p-review__time">{time(order.startsAt, lang)}</span>
      </p>
      <dl className="p-facts">
        <div>
          <dt>{t('book.specialty')}</dt>
          <dd>{specialtyName(null, order.specialty, lang)}</dd>
        </div>
        <div>
          <dt>{t('book.practitioner')}</dt>
          <dd>{order.practitionerName}</dd>
        </div>
        <div>
          <dt>{t('book.clinic')}</dt>
          <dd>{order.clinicName}</dd>
        </div>
        <div>
          <dt>{t('pay.amount')}</dt>
          <dd>
            <span className="p-pay-summary__amount" data-testid="pay-amount">
              {money(order.amountCents, lang)}
            </span>
            <br />
            <span className="p-muted p-small" data-testid="pay-vat">
              {order.vatRateBp === 0
                ? t('pay.vatExempt')
                : t('pay.vatIncluded', {
                    rate: (order.vatRateBp / 100).toLocaleString(lang === 'en' ? 'en-GB' : 'pt-PT'),
                  })}
            </span>
          </dd>
        </div>
      </dl>
      {order.status === 'pending' && (
        <p className="p-muted p-small">
          {t('pay.linkValidUntil', {
            when: `${midSentence(longDate(order.linkExpiresAt, lang), lang)}, ${time(order.linkExpiresAt, lang)}`,
          })}
        </p>
      )}
    </section>
  );
}
