/**
 * The undo toast: after each board action, for as long as the server allows its undo (one minute), a
 * snackbar at the bottom of the desk says what was done, counts the seconds left and offers "Desfazer".
 * It sits in a polite live region that always exists, so screen readers announce it; it goes away by
 * itself when the minute is over, on "Desfazer", or when dismissed.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../shared/use-now.ts';
import { undoLast } from './actions.ts';
import { useDesk } from './store.ts';

/** Renders the store's undo offer (if any) and withdraws it when its time is up. */
export function UndoToast() {
  const { t } = useTranslation();
  const offer = useDesk((s) => s.undo);
  const clearUndo = useDesk((s) => s.clearUndo);
  const now = useNow(1000).getTime();

  useEffect(() => {
    if (!offer) return;
    const end = setTimeout(() => clearUndo(offer.id), Math.max(0, offer.until - Date.now()));
    return () => clearTimeout(end);
  }, [offer, clearUndo]);

  const seconds = offer ? Math.min(60, Math.max(0, Math.ceil((offer.until - now) / 1000))) : 0;
  return (
    <div className="undo-toast" role="status" aria-live="polite">
      {offer && seconds > 0 && (
        <div className="undo-toast__box" data-testid="undo-toast">
          <span className="undo-toast__text">{offer.text(t)}</span>
          <span className="undo-toast__time muted" aria-hidden="true">
            {t('desk.undo.seconds', { count: seconds })}
          </span>
          <button
            type="button"
            className="btn btn--small btn--primary"
            data-testid="undo"
            onClick={() => void undoLast()}
          >
            {t('desk.undo.button')}
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--small undo-toast__close"
            aria-label={t('desk.undo.dismiss')}
            onClick={() => clearUndo(offer.id)}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
