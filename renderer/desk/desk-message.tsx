/**
 * The desk's one feedback line (`desk-message`, present while there is a message) inside a polite live
 * region that always exists, so screen readers announce new text. Info clears after 8 s, errors after 20 s or when dismissed.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from './store.ts';

/** Renders the store's current message (if any) with a dismiss button, and schedules its auto-dismiss. */
export function DeskMessageBar() {
  const { t } = useTranslation();
  const message = useDesk((s) => s.message);
  const dismiss = useDesk((s) => s.dismiss);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => dismiss(message.id), message.tone === 'error' ? 20_000 : 8_000);
    return () => clearTimeout(timer);
  }, [message, dismiss]);

  return (
    <div className="desk-message" role="status" aria-live="polite">
      {message && (
        <div className={`alert alert--${message.tone}`}>
          <span className="desk-message__text" data-testid="desk-message" data-tone={message.tone}>
            {message.text(t)}
          </span>
          <button
            type="button"
            className="btn btn--ghost desk-message__close"
            onClick={() => dismiss(message.id)}
            aria-label={t('desk.messages.dismiss')}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
