/**
 * Paying by MB WAY: the patient's mobile (checked here with the server's own parser: a landline is
 * refused before sending), then POST /api/pay/{token}/mbway sends a request to their MB WAY app. While
 * it is pending the page says "Accept the request in the MB WAY app" with a 4-minute countdown; "Resend"
 * (the same POST again: a new request) is allowed after 30 s, or at once when the request was declined
 * or ran out. The request's outcome arrives with the order's live updates.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PaymentAttemptDto, PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { countdown, money } from '../format.ts';
import { errorText, usePortalT, type PortalKey } from '../i18n.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { useCountdown } from '../ui/use-countdown.ts';
import { startMbway } from './pay-api.ts';
import { checkMbwayPhone, isPhoneError, mbwayTiming } from './pay-logic.ts';

type MbwayAttempt = Extract<PaymentAttemptDto, { method: 'mbway' }>;

interface Props {
  token: string;
  order: PayOrderDto;
  onOrder: (order: PayOrderDto) => void;
  /** The phone as typed (kept by the page, so switching method does not lose it). */
  phone: string;
  onPhone: (phone: string) => void;
}

/** Renders the phone form and, once a request is sent, its status. */
export function MbwayPanel({ token, order, onOrder, phone, onPhone }: Props) {
  const { t } = usePortalT();
  const input = useRef<HTMLInputElement>(null);
  const [fieldError, setFieldError] = useState<PortalKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const attempt = order.attempt?.method === 'mbway' ? order.attempt : null;

  const send = async () => {
    setError(null);
    // Enter in the phone field must not resend a request the patient has just been sent.
    if (busy || (attempt && !mbwayTiming(attempt, Date.now()).canResend)) return;
    const problem = checkMbwayPhone(phone);
    setFieldError(problem);
    if (problem) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      onOrder(await startMbway(token, phone));
      setSent(true);
    } catch (err) {
      if (isPhoneError(err)) {
        setFieldError(err.code === 'phone_landline' ? 'errors.phone_landline' : 'errors.phone_invalid');
        input.current?.focus();
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };

  return (
    <div className="p-pay-panel" data-testid="mbway-panel">
      <form className="p-form" noValidate onSubmit={submit} data-testid="mbway-form">
        <Field
          ref={input}
          label={t('pay.mbwayPhone')}
          hint={t('pay.mbwayPhoneHint')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => {
            onPhone(e.target.value);
            if (fieldError) setFieldError(null);
          }}
          error={fieldError ? t(fieldError) : null}
          maxLength={30}
          testId="mbway-phone"
        />
        {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
        {attempt ? (
          // Keyed by the request: a new request starts a fresh countdown (and takes focus).
          <MbwayStatus
            key={attempt.expiresAt}
            attempt={attempt}
            busy={busy}
            focusOnMount={sent}
            onResend={() => void send()}
          />
        ) : (
          <button
            type="submit"
            className="p-btn p-btn--primary p-btn--large"
            disabled={busy}
            aria-busy={busy}
            data-testid="mbway-send"
          >
            {busy ? t('pay.sending') : t('pay.sendMbway')}
          </button>
        )}
      </form>
    </div>
  );
}

interface StatusProps {
  attempt: MbwayAttempt;
  busy: boolean;
  /** Focus the status heading on mount (the patient has just sent the request). */
  focusOnMount: boolean;
  onResend: () => void;
}

/** The request's state: accept in the app + countdown, or declined / ran out; and "Resend". */
function MbwayStatus({ attempt, busy, focusOnMount, onResend }: StatusProps) {
  const { t, lang } = usePortalT();
  const heading = useRef<HTMLHeadingElement>(null);
  const left = useCountdown(attempt.expiresAt);
  // The countdown's clock, as an instant: expiresAt − left (pure, and in step with what is shown).
  const timing = mbwayTiming(attempt, Date.parse(attempt.expiresAt) - left);
  const lastMinute = !timing.over && left <= 60_000;

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
    // Only when this request's status first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Declined or ran out: the heading that may have had focus is replaced; do not leave focus nowhere.
  useEffect(() => {
    if (timing.over && (!document.activeElement || document.activeElement === document.body)) {
      heading.current?.focus();
    }
  }, [timing.over]);

  return (
    <div className="p-mbway" data-testid="mbway-status" data-status={attempt.status}>
      {!timing.over && (
        <div className="p-timer">
          <h3 ref={heading} tabIndex={-1} className="p-mbway__title">
            {t('pay.mbwayAccept')}
          </h3>
          <p>
            {t('pay.mbwaySentTo', { amount: money(attempt.amountCents, lang), phone: attempt.phoneMasked })}
          </p>
          <p>
            {t('pay.mbwayTimeLeft')}{' '}
            <strong className="p-timer__time" role="timer" aria-live="off" data-testid="mbway-countdown">
              {countdown(left)}
            </strong>
          </p>
          <p className="visually-hidden" aria-live="polite">
            {lastMinute ? t('pay.mbwayLastMinute') : ''}
          </p>
        </div>
      )}
      {timing.over && (
        <Alert kind="error" testId={attempt.status === 'rejected' ? 'mbway-rejected' : 'mbway-expired'}>
          <h3 ref={heading} tabIndex={-1} className="p-mbway__title">
            {attempt.status === 'rejected' ? t('pay.mbwayRejected') : t('pay.mbwayExpired')}
          </h3>
        </Alert>
      )}
      <div className="p-actions">
        <button
          type="button"
          className={`p-btn${timing.over ? ' p-btn--primary' : ''}`}
          disabled={busy || !timing.canResend}
          aria-busy={busy}
          aria-describedby={timing.canResend ? undefined : 'mbway-resend-in'}
          onClick={onResend}
          data-testid="mbway-resend"
        >
          {busy ? t('pay.sending') : t('pay.resend')}
        </button>
        {!timing.canResend && (
          <p id="mbway-resend-in" className="p-muted p-small">
            {t('pay.resendIn', { seconds: Math.ceil(timing.resendInMs / 1000) })}
          </p>
        )}
      </div>
    </div>
  );
}
