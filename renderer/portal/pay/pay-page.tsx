/**
 * The payment page, `/pay/{token}`: public (the link is the capability; it may come by e-mail, SMS or
 * the portal's "Pay" button) and phone first. It shows what is paid, asks for the invoice details
 * (step 1, saved before a method), offers Multibanco or MB WAY (step 2), and follows the order live
 * until it is paid, then offers the invoice. An unknown or expired link gets a page of its own.
 * Contract: server/domain/payments/dto.ts.
 */
import { useState } from 'react';
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { InvoiceStep } from './invoice-step.tsx';
import { MethodStep, type PayMethod } from './method-step.tsx';
import { OrderSummary } from './order-summary.tsx';
import { OutcomePanel } from './outcome-panel.tsx';
import { draftFromDetails, isLinkError, type InvoiceDraft } from './pay-logic.ts';
import { usePayOrder } from './use-pay-order.ts';

/** Where the sandbox provider's test page lives (the central server serves it in test mode). */
const SANDBOX_URL = '/dev/payments';

/** Renders the payment page of link `token`. */
export function PayPage({ token }: { token: string }) {
  const { t } = usePortalT();
  const { order, error, live, setOrder, reload } = usePayOrder(token);

  if (isLinkError(error)) {
    return (
      <div className="p-page p-page--narrow" data-testid="pay-link-error">
        <PageHeading>{t('pay.linkErrorTitle')}</PageHeading>
        <Alert kind="error">{errorText(t, error)}</Alert>
        <p>{t('pay.linkErrorHint')}</p>
        <Link href="/appointments" className="p-btn p-btn--primary">
          {t('appointments.backToList')}
        </Link>
      </div>
    );
  }

  if (!order) {
    return (
      <div className="p-page p-page--narrow">
        <PageHeading>{t('pay.title')}</PageHeading>
        {error !== null ? (
          <Alert kind="error">
            {errorText(t, error)}{' '}
            <button type="button" className="p-btn p-btn--small" onClick={reload}>
              {t('common.retry')}
            </button>
          </Alert>
        ) : (
          <Loading label={t('pay.loading')} />
        )}
      </div>
    );
  }

  return <PayOrderView token={token} order={order} live={live} onOrder={setOrder} />;
}

interface ViewProps {
  token: string;
  order: PayOrderDto;
  live: boolean;
  onOrder: (order: PayOrderDto) => void;
}

/**
 * The loaded page. It owns what the patient types (invoice draft, MB WAY phone) and chooses, so live
 * updates of the order, a failed call or switching method never lose it.
 */
function PayOrderView({ token, order, live, onOrder }: ViewProps) {
  const { t } = usePortalT();
  const [draft, setDraft] = useState<InvoiceDraft>(() => draftFromDetails(order.invoiceDetails));
  const [editing, setEditing] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const [method, setMethod] = useState<PayMethod | null>(() => order.attempt?.method ?? null);
  const [phone, setPhone] = useState('');
  // Only an order that settles while the page is open moves focus to the outcome.
  const [openedPending] = useState(() => order.status === 'pending');

  const detailsSaved = order.invoiceDetails !== null;

  return (
    <div className="p-page p-pay" data-testid="pay-page" data-status={order.status}>
      <PageHeading>{t('pay.title')}</PageHeading>
      {order.sandbox && (
        <Alert kind="warning" testId="pay-sandbox">
          <a href={SANDBOX_URL} target="_blank" rel="noopener noreferrer">
            {t('pay.sandbox')}
            <span className="visually-hidden"> {t('pay.newTab')}</span>
          </a>
        </Alert>
      )}
      {!live && <Alert kind="warning">{t('pay.offline')}</Alert>}
      <div className="p-pay__grid">
        <OrderSummary order={order} />
        <div className="p-pay__steps">
          {order.status === 'pending' ? (
            <>
              <InvoiceStep
                token={token}
                saved={order.invoiceDetails}
                editing={editing || !detailsSaved}
                onEdit={() => {
                  // Details saved elsewhere (another tab) while this draft is empty: start from them.
                  if (!draft.name && !draft.nif && !draft.address)
                    setDraft(draftFromDetails(order.invoiceDetails));
                  setEditing(true);
                }}
                draft={draft}
                onDraft={setDraft}
                onSaved={(next) => {
                  onOrder(next);
                  setEditing(false);
                  setJustSaved(true);
                }}
              />
              {detailsSaved && !editing && (
                <MethodStep
                  token={token}
                  order={order}
                  onOrder={onOrder}
                  method={method}
                  onMethod={setMethod}
                  phone={phone}
                  onPhone={setPhone}
                  focusOnMount={justSaved}
                />
              )}
            </>
          ) : (
            <OutcomePanel order={order} focusOnMount={openedPending} />
          )}
        </div>
      </div>
    </div>
  );
}
