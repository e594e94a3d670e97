/**
 * Live-connection indicator (`data-testid="connection"`, `data-online`): a small dot while online, a
 * visible banner while the event stream is down.
 */
import { useTranslation } from 'react-i18next';

/** Renders the indicator for `online` (the page's stream status) in a polite live region. */
export function ConnectionStatus({ online }: { online: boolean }) {
  const { t } = useTranslation();
  return (
    <div
      data-testid="connection"
      data-online={String(online)}
      className={online ? 'connection connection--online' : 'connection connection--offline'}
      role="status"
      aria-live="polite"
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className={online ? 'visually-hidden' : undefined}>
        {online ? t('common.online') : t('common.offline')}
      </span>
    </div>
  );
}
