/**
 * Looks up a booking code at the kiosk (typed on the keypad or scanned from the QR of the booking
 * confirmation) and moves the kiosk to the candidate screen; errors (`appointment_not_found`,
 * `not_expected_now`, …) go to the code screen's error line, 401 to the unauthorized screen.
 */
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { errorCode } from '../shared/i18n.ts';
import { KIOSK_SESSION_ID } from './session.ts';
import { useKiosk } from './store.ts';

/** Posts /api/kiosk/code (with the kiosk session) with a normalised 6-character code. `scanned` opens the code screen on errors. */
export async function submitBookingCode(code: string, scanned = false): Promise<void> {
  const { setBusy, showCandidate, setError, setUnauthorized, openCode } = useKiosk.getState();
  setBusy(true);
  try {
    // The session header lets this kiosk session, and no other, withdraw this patient's face consent.
    const candidate = await unwrap(
      api.api.kiosk.code.$post({ json: { code } }, { headers: { 'x-kiosk-session': KIOSK_SESSION_ID } }),
    );
    showCandidate(candidate, 'code');
  } catch (err) {
    if (isUnauthorized(err)) return setUnauthorized();
    if (scanned) openCode();
    setError(errorCode(err));
  }
}
