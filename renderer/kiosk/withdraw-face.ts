/**
 * "Delete my face data" at the kiosk: posts /api/kiosk/face/withdraw for the candidate this kiosk session
 * identified by booking code. The server checks the binding (same session, same appointment, recent);
 * on success the candidate screen stays up so the patient checks in as usual. Errors go to the error line.
 */
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { errorCode } from '../shared/i18n.ts';
import { KIOSK_SESSION_ID } from './session.ts';
import { canOfferWithdraw, useKiosk } from './store.ts';

/** Withdraws the on-screen patient's face consent (after the confirm step). */
export async function withdrawFace(): Promise<void> {
  const state = useKiosk.getState();
  const { candidate, setBusy, withdrawn, setError, cancelWithdraw, setUnauthorized } = state;
  if (!candidate || !canOfferWithdraw(state)) return;
  setBusy(true);
  try {
    await unwrap(
      api.api.kiosk.face.withdraw.$post(
        { json: { appointmentId: candidate.appointmentId } },
        { headers: { 'x-kiosk-session': KIOSK_SESSION_ID } },
      ),
    );
    withdrawn();
  } catch (err) {
    if (isUnauthorized(err)) return setUnauthorized();
    cancelWithdraw();
    setError(errorCode(err));
  }
}
