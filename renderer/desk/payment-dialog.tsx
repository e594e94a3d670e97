/**
 * Taking payment for one appointment at the desk, in a modal <dialog> (focus trap, Esc closes): the amount
 * prefilled with the specialty's price, cash or card on the clinic's terminal (recorded as a method), then
 * "Registar pagamento"; once paid, "Imprimir recibo" opens the printable receipt and "Anular pagamento"
 * voids a mistaken payment with a reason (the receipt number stays used). In the Electron app the
 * receipt is printed through IPC (`print:receipt`: the chosen printer, else a PDF).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import type { InferResponseType } from 'hono/client';
import { useTranslation } from 'react-i18next';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { formatTime } from '../shared/format.ts';
import { currentLang, errorKey } from '../shared/i18n.ts';
import { formatEuros, parseEuros } from '../../server/domain/money.ts';
import { native } from '../shared/native.ts';
import { openReceipt, specialtyName } from './actions.ts';
import { useDesk, type PaymentTarget } from './store.ts';

/** GET /api/appointments/:id/payment */
type PaymentStatus = InferResponseType<(typeof api.api.appointments)[':id']['payment']['$get']>;
type Method = 'cash' | 'card';

/** The server's limit for one desk payment (server/clinic/features/payments), cents. */
const MAX_CENTS = 1_000_000;

interface Outcome {
  tone: 'info' | 'error';
  text: (t: TFunction) => string;
}

/** Cents as the amount field shows them: '35,00' (pt) or '35.00' (en), no currency sign. */
function amountText(cents: number, lang: 'pt' | 'en'): string {
  return `${Math.floor(cents / 100)}${lang === 'pt' ? ',' : '.'}${String(cents % 100).padStart(2, '0')}`;
}

/** The typed amount in cents, or null when it is not an amount the desk may record. */
function parseAmount(text: string): number | null {
  try {
    const cents = parseEuros(text);
    return cents >= 1 && cents <= MAX_CENTS ? cents : null;
  } catch {
    return null;
  }
}

/** The payment dialog for the store's `payment` target, or nothing; keyed by appointment (clean state). */
export function PaymentDialog() {
  const target = useDesk((s) => s.payment);
  return target ? <PaymentDialogBody key={target.id} target={target} /> : null;
}

function PaymentDialogBody({ target }: { target: PaymentTarget }) {
  const { t } = useTranslation();
  const id = useId();
  const lang = currentLang();
  const closePayment = useDesk((s) => s.closePayment);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const [status, setStatus] = useState<PaymentStatus | null>(null);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [touched, setTouched] = useState(false);
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const name = target.patient.fullName;

  const fail = (err: unknown) => {
    if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
    setOutcome({ tone: 'error', text: (tr) => tr(errorKey(err)) });
  };

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    unwrap(api.api.appointments[':id'].payment.$get({ param: { id: target.id } })).then(
      (s) => {
        if (cancelled) return;
        setStatus(s);
        setAmount(amountText(s.priceCents, currentLang()));
      },
      (err: unknown) => {
        if (cancelled) return;
        if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
        setOutcome({ tone: 'error', text: (tr) => tr(errorKey(err)) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [target.id]);

  const cents = parseAmount(amount);
  const amountError = touched && cents === null;
  const reasonOk = reason.trim().length >= 3;

  const record = async () => {
    setTouched(true);
    if (cents === null || !status) return;
    setBusy(true);
    setOutcome(null);
    try {
      const payment = await unwrap(
        api.api.appointments[':id'].payments.$post({
          param: { id: target.id },
          json: { method, amountCents: cents },
        }),
      );
      setStatus({ ...status, status: 'paid', payment });
      const store = useDesk.getState();
      store.setPaid(target.id, true);
      store.say('info', (tr) => tr('desk.messages.paid', { name, receipt: payment.receiptNumber }));
      setOutcome({
        tone: 'info',
        text: (tr) => tr('desk.payment.saved', { receipt: payment.receiptNumber }),
      });
      requestAnimationFrame(() => printRef.current?.focus());
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const voidIt = async () => {
    const payment = status?.payment;
    if (!payment || !reasonOk) return;
    setBusy(true);
    setOutcome(null);
    try {
      await unwrap(api.api.payments[':id'].void.$post({ param: { id: payment.id }, json: { reason } }));
      setStatus({ ...status, status: 'unpaid', payment: null });
      setVoiding(false);
      setReason('');
      setTouched(false);
      setAmount(amountText(status.priceCents, lang));
      const store = useDesk.getState();
      store.setPaid(target.id, false);
      store.say('info', (tr) => tr('desk.messages.voided', { name, receipt: payment.receiptNumber }));
      setOutcome({
        tone: 'info',
        text: (tr) => tr('desk.payment.voided', { receipt: payment.receiptNumber }),
      });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const print = async (paymentId: string) => {
    // In the Electron app main prints the receipt page on the chosen printer (or to a PDF); in a
    // browser the receipt opens with its own Print button.
    const bridge = native();
    try {
      if (!bridge) return openReceipt(paymentId);
      const res = await bridge.printReceipt({ paymentId });
      if (!res.ok) throw new Error(res.error.code);
    } catch {
      setOutcome({ tone: 'error', text: (tr) => tr('desk.payment.printFailed') });
    }
  };

  const paid = status?.status === 'paid' ? status.payment : null;
  // Paid online (central's order, from the sync pull) and not at the desk: nothing to charge.
  const paidOnline = !paid && status?.online?.status === 'paid' ? status.online : null;
  const pendingOnline = !paid && status?.online?.status === 'pending' ? status.online : null;
  const onlineMethod = (m: string | null) =>
    t(
      m === 'multibanco' || m === 'mbway' || m === 'link'
        ? `desk.payment.onlineMethod_${m}`
        : 'desk.payment.onlineMethod_other',
    );

  return (
    <dialog
      ref={dialogRef}
      className="dialog payment"
      data-testid="payment-dialog"
      aria-labelledby={`${id}-title`}
      onClose={closePayment}
    >
      <header className="dialog__head">
        <div>
          <h2 id={`${id}-title`}>{t('desk.payment.title')}</h2>
          <p className="muted">
            {t('desk.payment.patient', {
              name,
              specialty: specialtyName(target.specialty),
              time: formatTime(target.startsAt),
            })}
          </p>
        </div>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          aria-label={t('desk.payment.close')}
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </header>

      <div className="dialog__body">
        {status === null ? (
          <p className="muted" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> {t('desk.payment.loading')}
          </p>
        ) : paid ? (
          <>
            <p>
              <span className="badge badge--paid" data-testid="payment-state">
                ✓ {t('desk.payment.paid')}
              </span>
            </p>
            <dl className="payment__summary" data-testid="payment-summary">
              <dt>{t('desk.payment.receipt')}</dt>
              <dd data-testid="payment-receipt">{paid.receiptNumber}</dd>
              <dt>{t('desk.payment.amountPaid')}</dt>
              <dd>{formatEuros(paid.amountCents, lang)}</dd>
              <dt>{t('desk.payment.methodPaid')}</dt>
              <dd>{t(paid.method === 'cash' ? 'desk.payment.cash' : 'desk.payment.card')}</dd>
              <dt>{t('desk.payment.receivedAt')}</dt>
              <dd>{formatTime(paid.receivedAt)}</dd>
            </dl>
            {voiding && (
              <div className="payment__void">
                <p className="muted">{t('desk.payment.voidHint')}</p>
                <label className="field">
                  <span>{t('desk.payment.voidReason')}</span>
                  <input
                    type="text"
                    data-testid="payment-void-reason"
                    value={reason}
                    maxLength={200}
                    aria-invalid={reason !== '' && !reasonOk}
                    aria-describedby={`${id}-reason-error`}
                    onChange={(e) => setReason(e.target.value)}
                  />
                </label>
                {reason !== '' && !reasonOk && (
                  <p className="field__error" id={`${id}-reason-error`}>
                    {t('desk.payment.voidReasonShort')}
                  </p>
                )}
              </div>
            )}
          </>
        ) : paidOnline ? (
          <>
            <p>
              <span className="badge badge--paid" data-testid="payment-state">
                ✓ {t('desk.payment.paidOnline')}
              </span>
            </p>
            <dl className="payment__summary" data-testid="payment-summary">
              <dt>{t('desk.payment.amountPaid')}</dt>
              <dd>{formatEuros(paidOnline.amountCents, lang)}</dd>
              <dt>{t('desk.payment.methodPaid')}</dt>
              <dd data-testid="payment-online-method">{onlineMethod(paidOnline.method)}</dd>
              {paidOnline.paidAt && (
                <>
                  <dt>{t('desk.payment.paidAt')}</dt>
                  <dd>{formatTime(paidOnline.paidAt)}</dd>
                </>
              )}
            </dl>
            <p className="muted">{t('desk.payment.paidOnlineHint')}</p>
          </>
        ) : (
          <form
            id={`${id}-form`}
            className="payment__form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void record();
            }}
          >
            <p>
              <span className="badge badge--unpaid" data-testid="payment-state">
                {t('desk.payment.unpaid')}
              </span>
            </p>
            <label className="field">
              <span>{t('desk.payment.amount')}</span>
              <input
                type="text"
                inputMode="decimal"
                autoComplete="off"
                data-testid="payment-amount"
                value={amount}
                aria-invalid={amountError}
                aria-describedby={`${id}-price ${id}-amount-error`}
                onChange={(e) => setAmount(e.target.value)}
                onBlur={() => setTouched(true)}
              />
            </label>
            <p className="muted" id={`${id}-price`}>
              {t('desk.payment.price', { price: formatEuros(status.priceCents, lang) })}
            </p>
            {amountError && (
              <p className="field__error" id={`${id}-amount-error`}>
                {t('desk.payment.amountInvalid')}
              </p>
            )}
            <fieldset className="payment__methods">
              <legend>{t('desk.payment.method')}</legend>
              {(['cash', 'card'] as const).map((m) => (
                <label key={m} className="check payment__method">
                  <input
                    type="radio"
                    name={`${id}-method`}
                    value={m}
                    data-testid={`payment-method-${m}`}
                    checked={method === m}
                    onChange={() => setMethod(m)}
                  />
                  <span>{t(m === 'cash' ? 'desk.payment.cash' : 'desk.payment.card')}</span>
                </label>
              ))}
            </fieldset>
            {method === 'card' && <p className="muted">{t('desk.payment.cardHint')}</p>}
            {pendingOnline && (
              <p className="alert alert--info" data-testid="payment-online-pending">
                {t('desk.payment.onlinePending', { method: onlineMethod(pendingOnline.method) })}
              </p>
            )}
          </form>
        )}

        <div
          className={`payment__status ${outcome ? `alert alert--${outcome.tone}` : ''}`}
          data-testid="payment-status"
          data-tone={outcome?.tone}
          role="status"
          aria-live="polite"
        >
          {busy ? (
            <>
              <span className="spinner" aria-hidden="true" /> {t('desk.payment.saving')}
            </>
          ) : (
            outcome?.text(t)
          )}
        </div>
      </div>

      <footer className="dialog__foot">
        {paid && !voiding && (
          <button
            type="button"
            className="btn btn--danger"
            data-testid="payment-void"
            disabled={busy}
            onClick={() => setVoiding(true)}
          >
            {t('desk.payment.void')}
          </button>
        )}
        {paid && voiding && (
          <>
            <button type="button" className="btn" disabled={busy} onClick={() => setVoiding(false)}>
              {t('desk.payment.voidBack')}
            </button>
            <button
              type="button"
              className="btn btn--danger"
              data-testid="payment-void-confirm"
              disabled={busy || !reasonOk}
              onClick={() => void voidIt()}
            >
              {t('desk.payment.voidConfirm')}
            </button>
          </>
        )}
        <span className="dialog__spacer" />
        <button type="button" className="btn" onClick={() => dialogRef.current?.close()}>
          {t('desk.payment.close')}
        </button>
        {paid ? (
          <button
            ref={printRef}
            type="button"
            className="btn btn--primary"
            data-testid="payment-print"
            onClick={() => void print(paid.id)}
          >
            {t('desk.payment.print')}
          </button>
        ) : paidOnline ? null : (
          <button
            type="submit"
            form={`${id}-form`}
            className="btn btn--primary"
            data-testid="payment-submit"
            disabled={busy || status === null}
          >
            {t('desk.payment.submit')}
          </button>
        )}
      </footer>
    </dialog>
  );
}
