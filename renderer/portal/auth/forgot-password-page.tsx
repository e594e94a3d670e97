/**
 * "Forgot your password?": asks for the e-mail and always answers the same (the server's 202 does not
 * say whether an account exists), pointing to the link it sends.
 */
import { useRef, useState, type FormEvent } from 'react';
import { forgotPassword } from '../api.ts';
import { checkEmail, focusFirstInvalid } from '../forms.ts';
import { errorText, usePortalT, type PortalKey } from '../i18n.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';

/** Renders the form, then the "if an account exists, we sent a link" message. */
export function ForgotPasswordPage() {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState<PortalKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = checkEmail(email);
    setInvalid(problem);
    if (problem) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await forgotPassword(email.trim());
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{t('auth.forgotTitle')}</PageHeading>
      {sent ? (
        <Alert kind="info" testId="forgot-sent">
          {t('auth.forgotSent', { email: email.trim() })}
        </Alert>
      ) : (
        <>
          <p className="p-lead">{t('auth.forgotIntro')}</p>
          {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
          <form ref={form} className="p-form" noValidate onSubmit={(e) => void submit(e)}>
            <Field
              label={t('fields.email')}
              type="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="off"
              spellCheck={false}
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
                setInvalid(null);
              }}
              error={invalid ? t(invalid) : null}
              testId="forgot-email"
            />
            <button
              type="submit"
              className="p-btn p-btn--primary p-btn--large"
              disabled={busy}
              aria-busy={busy}
            >
              {t('auth.forgotSubmit')}
            </button>
          </form>
        </>
      )}
      <p className="p-alt">
        <Link href="/login">{t('auth.backToLogin')}</Link>
      </p>
    </div>
  );
}
