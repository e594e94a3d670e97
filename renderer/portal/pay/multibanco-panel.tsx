/**
 * Paying by Multibanco: "Get a reference" (POST /api/pay/{token}/multibanco; asking again answers the
 * same live reference), then Entity, Reference ('123 456 789') and Amount, each with "Copy", the date to
 * pay by, and how: any ATM or online banking, confirmed automatically (the page follows the order
 * live). An expired reference can be replaced by a new one.
 */
import { useEffect, useRef, useState } from 'react';
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { useNow } from '../../shared/use-now.ts';
import { longDate, midSentence, money, time } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { Alert } from '../ui/alert.tsx';
import { CopyButton } from './copy-button.tsx';
import { startMultibanco } from './pay-api.ts';
import { copiedAmount, copiedReference, printedReference } from './pay-logic.ts';

interface Props {
  token: string;
  order: PayOrderDto;
  onOrder: (order: PayOrderDto) => void;
}

/** Renders the reference, or the button that gets one. */
export function MultibancoPanel({ token, order, onOrder }: Props) {
  const { t, lang } = usePortalT();
  const now = useNow(30_000);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asked, setAsked] = useState(false);
  const details = useRef<HTMLDivElement>(null);
  const attempt = order.attempt?.method === 'multibanco' ? order.attempt : null;
  const expired =
    attempt !== null &&
    (attempt.status === 'expired' ||
      (attempt.status === 'pending' && Date.parse(attempt.expiresAt) <= now.getTime()));
  const showReference = attempt !== null && !expired;

  // The button the patient pressed is gone once the reference shows: focus moves to the reference.
  useEffect(() => {
    if (asked && showReference) details.current?.focus();
  }, [asked, showReference]);

  const getReference = async () => {
    setBusy(true);
    setError(null);
    try {
      onOrder(await startMultibanco(token));
      setAsked(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const payBy = attempt
    ? `${midSentence(longDate(attempt.expiresAt, lang), lang)}, ${time(attempt.expiresAt, lang)}`
    : '';

  return (
    <div className="p-pay-panel" data-testid="multibanco-panel">
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      {expired && (
        <Alert kind="warning" testId="multibanco-expired">
          {t('pay.referenceExpired')}
        </Alert>
      )}
      {showReference && (
        <div
          ref={details}
          tabIndex={-1}
          className="p-mb"
          aria-labelledby="mb-title"
          role="group"
          data-testid="multibanco-reference"
        >
          <h3 id="mb-title" className="visually-hidden">
            {t('pay.multibanco')}
          </h3>
          <dl className="p-mb__list">
            <div className="p-mb__row">
              <dt>{t('pay.entity')}</dt>
              <dd>
                <span className="p-mb__value" data-testid="mb-entity">
                  {attempt.entity}
                </span>
                <CopyButton value={attempt.entity} label={t('pay.entity')} testId="copy-entity" />
              </dd>
            </div>
            <div className="p-mb__row">
              <dt>{t('pay.reference')}</dt>
              <dd>
                <span className="p-mb__value" data-testid="mb-reference">
                  {printedReference(attempt.reference)}
                </span>
                <CopyButton
                  value={copiedReference(attempt.reference)}
                  label={t('pay.reference')}
                  testId="copy-reference"
                />
              </dd>
            </div>
            <div className="p-mb__row">
              <dt>{t('pay.value')}</dt>
              <dd>
                <span className="p-mb__value" data-testid="mb-amount">
                  {money(attempt.amountCents, lang)}
                </span>
                <CopyButton
                  value={copiedAmount(attempt.amountCents)}
                  label={t('pay.value')}
                  testId="copy-amount"
                />
              </dd>
            </div>
          </dl>
          <p className="p-mb__by" data-testid="mb-expires">
            {t('pay.payBy', { when: payBy })}
          </p>
          <p className="p-muted">{t('pay.multibancoHow')}</p>
        </div>
      )}
      {!showReference && (
        <button
          type="button"
          className="p-btn p-btn--primary p-btn--large"
          disabled={busy}
          aria-busy={busy}
          onClick={() => void getReference()}
          data-testid="multibanco-get"
        >
          {busy ? t('pay.gettingReference') : expired ? t('pay.newReference') : t('pay.getReference')}
        </button>
      )}
    </div>
  );
}
