/**
 * `/reset-password?token=…` (from the e-mailed link): choose a new password (rules shown). On success
 * every session is revoked by the server and the patient logs in with the new password.
 */
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, resetPassword } from '../api.ts';
import { checkNewPassword, focusFirstInvalid } from '../forms.ts';
import { errorText, usePortalT, type PortalKey } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { flash } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { PasswordField } from '../ui/password-field.tsx';

/** Renders the new-password form. */
export function ResetPasswordPage() {
  const { t } = usePortalT();
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const form = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<PortalKey | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = checkNewPassword(password);
    setInvalid(problem);
    if (problem) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await resetPassword(token, password);
      flash('/login', 'auth.resetDone');
      navigate('/login', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'weak_password') setInvalid('errors.weak_password');
      else setError(err);
      setBusy(false);
    }
  };

  const badLink = !token || (error instanceof ApiError && error.code === 'token_invalid');
  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{t('auth.resetTitle')}</PageHeading>
      {badLink ? (
        <>
          <Alert kind="error">{t('auth.resetInvalid')}</Alert>
          <p className="p-alt">
            <Link href="/forgot-password">{t('auth.resetAgain')}</Link>
          </p>
        </>
      ) : (
        <>
          {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
          <form ref={form} className="p-form" noValidate onSubmit={(e) => void submit(e)}>
            <PasswordField
              label={t('fields.newPassword')}
              autoComplete="new-password"
              value={password}
              onChange={(v) => {
                setPassword(v);
                setInvalid(null);
              }}
              error={invalid ? t(invalid) : null}
              testId="reset-password"
            />
            <button
              type="submit"
              className="p-btn p-btn--primary p-btn--large"
              disabled={busy}
              aria-busy={busy}
            >
              {t('auth.resetSubmit')}
            </button>
          </form>
        </>
      )}
    </div>
  );
}
