/**
 * "Is this you?": shows only initials, the appointment time (Lisbon) and the practitioner, never a name,
 * so a stranger at the kiosk learns nothing. Yes → check-in; No → code entry (fallback).
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { formatTime } from '../shared/format.ts';
import { errorCode } from '../shared/i18n.ts';
import { KioskError } from './kiosk-error.tsx';
import { useKiosk } from './store.ts';

async function confirm() {
  const { candidate, checkInMethod, setBusy, showReceipt, setError, setUnauthorized } = useKiosk.getState();
  if (!candidate) return;
  setBusy(true);
  try {
    const receipt = await unwrap(
      api.api.kiosk.confirm.$post({ json: { appointmentId: candidate.appointmentId, checkInMethod } }),
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
  } = useKiosk(
    useShallow((s) => ({
      candidate: s.candidate,
      busy: s.busy,
      errorCode: s.errorCode,
      showFallback: s.showFallback,
    })),
  );
  if (!candidate) return null;

  return (
    <section className="kiosk-card kiosk-candidate" aria-labelledby="candidate-question">
      <div className="kiosk-candidate__avatar" aria-hidden="true">
        {candidate.initials.replace(/\.\s*/g, '')}
      </div>
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
