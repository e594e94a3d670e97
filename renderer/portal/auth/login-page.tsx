/**
 * Log in with e-mail and password, then back to where the patient was going (`?next=`, same-origin
 * paths only). Explains each refusal: wrong details, e-mail not verified yet, too many attempts (with
 * the minutes to wait).
 */
import { useRef, useState, type FormEvent } from 'react';
import { login } from '../api.ts';
import { checkCurrentPassword, checkEmail, focusFirstInvalid, isValid, type FieldErrors } from '../forms.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate, safeNext, useLocation } from '../router.ts';
import { setAccount } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { PasswordField } from '../ui/password-field.tsx';

type F = 'email' | 'password';

/** Renders the login form. */
export function LoginPage() {
  const { t } = usePortalT();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const form = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found: FieldErrors<F> = {
      email: checkEmail(email) ?? undefined,
      password: checkCurrentPassword(password) ?? undefined,
    };
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const account = await login(email.trim(), password);
      setAccount(account);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{t('auth.loginTitle')}</PageHeading>
      {error !== null && (
        <Alert kind="error" testId="login-error">
          {errorText(t, error)}
        </Alert>
      )}
      <form
        ref={form}
        className="p-form"
        noValidate
        onSubmit={(e) => void submit(e)}
        data-testid="login-form"
      >
        <Field
          label={t('fields.email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="off"
          spellCheck={false}
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            setErrors((x) => ({ ...x, email: undefined }));
          }}
          error={errors.email ? t(errors.email) : null}
          testId="login-email"
        />
        <PasswordField
          label={t('fields.password')}
          autoComplete="current-password"
          value={password}
          onChange={(v) => {
            setPassword(v);
            setErrors((x) => ({ ...x, password: undefined }));
          }}
          error={errors.password ? t(errors.password) : null}
          testId="login-password"
        />
        <p className="p-form__aside">
          <Link href="/forgot-password" data-testid="forgot-link">
            {t('auth.forgot')}
          </Link>
        </p>
        <button
          type="submit"
          className="p-btn p-btn--primary p-btn--large"
          disabled={busy}
          aria-busy={busy}
          data-testid="login-submit"
        >
          {busy ? t('auth.loginBusy') : t('auth.loginSubmit')}
        </button>
      </form>
      <p className="p-alt">
        {t('auth.noAccount')} <Link href="/signup">{t('nav.signup')}</Link>
      </p>
    </div>
  );
}
