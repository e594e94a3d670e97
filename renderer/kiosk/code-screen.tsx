/**
 * Booking-code entry: after no match (`fallback`) or when the patient chose "check in with a code"
 * (`code`). The code is 6 letters/digits; typed or entered on the on-screen keypad.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { CodeKeypad } from './code-keypad.tsx';
import { KioskError } from './kiosk-error.tsx';
import { useKiosk } from './store.ts';
import { submitBookingCode } from './submit-code.ts';

const CODE_LENGTH = 6;

/** Uppercase, letters and digits only, at most 6 (what the server's bookingCodeInput accepts). */
export const normaliseCode = (s: string): string =>
  s
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, CODE_LENGTH);

/**
 * The code form, keypad and "back" (to idle). A full code posts /api/kiosk/code and shows the candidate;
 * errors (`appointment_not_found`, `not_expected_now`, …) show in KioskError, 401 the unauthorized screen.
 * `fallback` picks the "we could not recognise you" title instead of the plain one.
 */
export function CodeScreen({ fallback }: { fallback: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const { busy, error, reset } = useKiosk(
    useShallow((s) => ({ busy: s.busy, error: s.errorCode, reset: s.reset })),
  );

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (code.length !== CODE_LENGTH || busy) return;
    await submitBookingCode(code);
  };

  return (
    <section className="kiosk-card kiosk-code" data-testid="fallback" aria-labelledby="code-title">
      <h1 id="code-title" className="kiosk-title">
        {fallback ? t('kiosk.code.titleFallback') : t('kiosk.code.title')}
      </h1>
      <p className="kiosk-lead">{t('kiosk.code.prompt')}</p>
      <form className="kiosk-code__form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="booking-code" className="visually-hidden">
          {t('kiosk.code.label')}
        </label>
        <input
          id="booking-code"
          data-testid="code-input"
          className="kiosk-code__input"
          value={code}
          onChange={(e) => {
            setCode(normaliseCode(e.target.value));
            if (error) useKiosk.getState().setError(null);
          }}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={CODE_LENGTH}
          placeholder="••••••"
          aria-describedby="code-reception"
          aria-invalid={error ? true : undefined}
          autoFocus
        />
        <button
          type="submit"
          className="btn kiosk-btn kiosk-btn--yes"
          data-testid="code-submit"
          disabled={code.length !== CODE_LENGTH || busy}
        >
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {busy ? t('kiosk.code.busy') : t('kiosk.code.submit')}
        </button>
      </form>
      <KioskError code={error} />
      <CodeKeypad
        onKey={(k) => setCode((c) => normaliseCode(c + k))}
        onDelete={() => setCode((c) => c.slice(0, -1))}
      />
      <p id="code-reception" className="kiosk-reception">
        {t('kiosk.code.reception')}
      </p>
      <button
        type="button"
        className="btn kiosk-btn kiosk-btn--secondary"
        data-testid="kiosk-back"
        onClick={reset}
      >
        {t('kiosk.code.back')}
      </button>
    </section>
  );
}
