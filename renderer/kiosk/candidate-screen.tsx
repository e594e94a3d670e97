/**
 * "Is this you?": shows only initials, the appointment time (Lisbon) and the practitioner, never a name,
 * so a stranger at the kiosk learns nothing. Yes → check-in; No → code entry (fallback). Reached by
 * booking code with a face enrolment, it also offers "delete my face data" (a confirm step, then
 * withdraw-face.ts), after which the patient checks in as usual.
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { formatTime } from '../shared/format.ts';
import { errorCode } from '../shared/i18n.ts';
import { KioskError } from './kiosk-error.tsx';
import { KIOSK_SESSION_ID } from './session.ts';
import { canOfferWithdraw, useKiosk } from './store.ts';
import { withdrawFace } from './withdraw-face.ts';

async function confirm() {
  const { candidate, checkInMethod, setBusy, showReceipt, setError, setUnauthorized } = useKiosk.getState();
  if (!candidate) return;
  setBusy(true);
  try {
    const receipt = await unwrap(
      api.api.kiosk.confirm.$post(
        { json: { appointmentId: candidate.appointmentId, checkInMethod } },
        // The session lets the server apply a template refresh it kept for this face check-in.
        { headers: { 'x-kiosk-session': KIOSK_SESSION_ID } },
      ),
    );
    showReceipt(receipt);
  } catch (err) {
    if (isUnauthorized(err)) setUnauthorized();
    else setError(errorCode(err));
  }
}

/**
 * The confirmation card for the store's candidate (nothing when there is none). "Yes" posts
 * /api/kiosk/confirm with how the candidate was found; failures show in KioskError, 401 the unauthorized
 * screen. "No" goes to the code screen.
 */
export function CandidateScreen() {
  const { t } = useTranslation();
  const {
    candidate,
    busy,
    errorCode: error,
    showFallback,
    withdraw,
    offerWithdraw,
    askWithdraw,
    cancelWithdraw,
  } = useKiosk(
    useShallow((s) => ({
      candidate: s.candidate,
      busy: s.busy,
      errorCode: s.errorCode,
      showFallback: s.showFallback,
      withdraw: s.withdraw,
      offerWithdraw: canOfferWithdraw(s),
      askWithdraw: s.askWithdraw,
      cancelWithdraw: s.cancelWithdraw,
    })),
  );
  if (!candidate) return null;

  return (
    <section className="kiosk-card kiosk-candidate" aria-labelledby="candidate-question">
      {/* The confirm step needs the room: the avatar repeats the initials shown below anyway. */}
      {withdraw !== 'confirm' && (
        <div className="kiosk-candidate__avatar" aria-hidden="true">
          {candidate.initials.replace(/\.\s*/g, '')}
        </div>
      )}
      <h1 id="candidate-question" className="kiosk-title">
        {t('kiosk.candidate.question')}
      </h1>
      <dl className="kiosk-facts">
        <div>
          <dt>{t('kiosk.candidate.initials')}</dt>
          <dd data-testid="candidate-initials">{candidate.initials}</dd>
        </div>
        <div>
          <dt>{t('kiosk.candidate.time')}</dt>
          <dd data-testid="candidate-time">{formatTime(candidate.startsAt)}</dd>
        </div>
        <div>
          <dt>{t('kiosk.candidate.practitioner')}</dt>
          <dd data-testid="candidate-practitioner">{candidate.practitionerName}</dd>
        </div>
      </dl>
      <KioskError code={error} />
      {withdraw === 'done' && (
        <p className="kiosk-note" role="status" data-testid="withdraw-done">
          {t('kiosk.candidate.withdrawDone')}
        </p>
      )}
      {withdraw === 'confirm' ? (
        <div className="kiosk-withdraw" role="group" aria-labelledby="withdraw-question">
          <h2 id="withdraw-question">{t('kiosk.candidate.withdrawQuestion')}</h2>
          <p className="kiosk-note">{t('kiosk.candidate.withdrawExplain')}</p>
          <div className="kiosk-actions">
            <button
              type="button"
              className="btn kiosk-btn kiosk-btn--secondary"
              data-testid="withdraw-confirm"
              disabled={busy}
              onClick={() => void withdrawFace()}
            >
              {busy ? t('kiosk.candidate.withdrawBusy') : t('kiosk.candidate.withdrawConfirm')}
            </button>
            <button
              type="button"
              className="btn kiosk-btn kiosk-btn--no"
              data-testid="withdraw-cancel"
              disabled={busy}
              onClick={cancelWithdraw}
            >
              {t('kiosk.candidate.withdrawCancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="kiosk-actions">
          <button
            type="button"
            className="btn kiosk-btn kiosk-btn--yes"
            data-testid="confirm-yes"
            disabled={busy}
            onClick={() => void confirm()}
          >
            {busy ? <span className="spinner" aria-hidden="true" /> : <CheckIcon />}
            {busy ? t('kiosk.candidate.busy') : t('kiosk.candidate.yes')}
          </button>
          <button
            type="button"
            className="btn kiosk-btn kiosk-btn--no"
            data-testid="confirm-no"
            disabled={busy}
            onClick={showFallback}
          >
            {t('kiosk.candidate.no')}
          </button>
        </div>
      )}
      {offerWithdraw && withdraw === 'none' && (
        <button
          type="button"
          className="btn kiosk-btn--link"
          data-testid="withdraw-open"
          disabled={busy}
          onClick={askWithdraw}
        >
          {t('kiosk.candidate.withdraw')}
        </button>
      )}
    </section>
  );
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true">
      <path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 11-11-1.4-1.4z" />
    </svg>
  );
}
