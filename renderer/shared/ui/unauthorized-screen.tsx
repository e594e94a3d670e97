/** Full-screen notice when the API refuses our token (401): the page must be opened from the printed link. */
import { useTranslation } from 'react-i18next';
import { LangSwitch } from './lang-switch.tsx';

/** Renders the notice (title, explanation, hint) with a language switch; replaces the whole page. */
export function UnauthorizedScreen() {
  const { t } = useTranslation();
  return (
    <main className="unauthorized" data-testid="unauthorized" role="alert">
      <div className="unauthorized__card">
        <svg className="unauthorized__icon" viewBox="0 0 24 24" aria-hidden="true">
          <path
            d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z"
            fill="currentColor"
          />
        </svg>
        <h1>{t('common.unauthorizedTitle')}</h1>
        <p>{t('common.unauthorizedBody')}</p>
        <p className="muted">{t('common.unauthorizedHint')}</p>
        <LangSwitch />
      </div>
    </main>
  );
}
