/**
 * Full-screen notice when the API refuses a kiosk's or display's credential (401): the screen is not
 * paired (or was revoked). It offers the pairing form: the 6-digit code made at the desk
 * (Administration → Devices) is sent to `POST /api/devices/pair`, the server puts the device token in an
 * HttpOnly cookie, and the page reloads as that device.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api.ts';
import { errorKey } from '../i18n.ts';
import { LangSwitch } from './lang-switch.tsx';

/** Renders the notice and the pairing form with a language switch; replaces the whole page. */
export function UnauthorizedScreen() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { device } = await unwrap(api.api.devices.pair.$post({ json: { code: code.trim() } }));
      const here = location.pathname.split('/')[1];
      if (here !== device.kind) location.assign(`/${device.kind}/`);
      else location.reload();
    } catch (err) {
      setError(t(errorKey(err)));
      setBusy(false);
    }
  };

  return (
    <main className="unauthorized" data-testid="unauthorized">
      <div className="unauthorized__card">
        <svg className="unauthorized__icon" viewBox="0 0 24 24" aria-hidden="true">
          <path
            d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 1 1 6 0v3H9Z"
            fill="currentColor"
          />
        </svg>
        <h1>{t('common.unauthorizedTitle')}</h1>
        <p>{t('common.unauthorizedBody')}</p>
        <form className="pair-form" onSubmit={(e) => void submit(e)}>
          <h2>{t('auth.pairHeading')}</h2>
          <p className="muted">{t('auth.pairBody')}</p>
          <label htmlFor="pair-code">{t('auth.pairCode')}</label>
          <input
            id="pair-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            required
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
          <button type="submit" className="btn btn--primary" disabled={busy || code.length !== 6}>
            {t('auth.pair')}
          </button>
          {error && (
            <p className="pair-form__error" role="alert">
              {error}
            </p>
          )}
        </form>
        <p className="muted">{t('common.unauthorizedHint')}</p>
        <LangSwitch />
      </div>
    </main>
  );
}
