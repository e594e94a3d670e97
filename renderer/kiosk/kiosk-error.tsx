/** The kiosk's error line (`kiosk-error`), text from the i18n error map. */
import { useTranslation } from 'react-i18next';
import { errorKey } from '../shared/i18n.ts';

/** Renders the translated message for `code` as an alert, or nothing when `code` is null. */
export function KioskError({ code }: { code: string | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p className="kiosk-error" data-testid="kiosk-error" role="alert">
      {t(errorKey(code))}
    </p>
  );
}
