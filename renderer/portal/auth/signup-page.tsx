/**
 * Sign up: name, e-mail, mobile, password (rules shown and ticked as typed), optional NIF and date of
 * birth, and the language of the e-mails. Checked here with the server's own rules first; the server
 * answers 202 whatever the e-mail (so nobody can probe who has an account) and sends a verification link.
 */
import { useRef, useState, type FormEvent } from 'react';
import { signUp } from '../api.ts';
import {
  checkBirthDate,
  checkEmail,
  checkName,
  checkNewPassword,
  checkNif,
  checkPhone,
  focusFirstInvalid,
  isValid,
  serverFieldErrors,
  type FieldErrors,
} from '../forms.ts';
import { today } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { setPendingEmail } from '../session.ts';
import type { Lang } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { PasswordField } from '../ui/password-field.tsx';

type F = 'name' | 'email' | 'phone' | 'password' | 'nif' | 'birthDate';

const SERVER_MESSAGES = {
  name: 'validation.nameRequired',
  email: 'validation.email',
  phone: 'validation.phone',
  password: 'errors.weak_password',
  nif: 'validation.nif',
  birthDate: 'validation.birthDate',
} as const;

/** Renders the sign-up form. */
export function SignupPage() {
  const { t, lang } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({
    name: '',
    email: '',
    phone: '',
    password: '',
    nif: '',
    birthDate: '',
  });
  const [locale, setLocale] = useState<Lang>(lang);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = (field: F) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    if (errors[field]) setErrors((x) => ({ ...x, [field]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found: FieldErrors<F> = {
      name: checkName(values.name) ?? undefined,
      email: checkEmail(values.email) ?? undefined,
      phone: checkPhone(values.phone) ?? undefined,
      password: checkNewPassword(values.password, [values.email, values.name]) ?? undefined,
      nif: checkNif(values.nif) ?? undefined,
      birthDate: checkBirthDate(values.birthDate, today()) ?? undefined,
    };
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const email = values.email.trim();
      await signUp({
        name: values.name.trim(),
        email,
        phone: values.phone.trim(),
        password: values.password,
        ...(values.nif.trim() ? { nif: values.nif.trim() } : {}),
        ...(values.birthDate ? { birthDate: values.birthDate } : {}),
        locale,
      });
      setPendingEmail(email);
      navigate('/check-email');
    } catch (err) {
      const fields = serverFieldErrors<F>(err, SERVER_MESSAGES);
      setErrors(fields);
      setError(err);
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  const msg = (field: F) => (errors[field] ? t(errors[field]) : null);

  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{t('auth.signupTitle')}</PageHeading>
      <p className="p-lead">{t('auth.signupIntro')}</p>
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form
        ref={form}
        className="p-form"
        noValidate
        onSubmit={(e) => void submit(e)}
        data-testid="signup-form"
      >
        <Field
          label={t('fields.name')}
          autoComplete="name"
          value={values.name}
          onChange={set('name')}
          error={msg('name')}
          maxLength={120}
          testId="signup-name"
        />
        <Field
          label={t('fields.email')}
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="off"
          spellCheck={false}
          value={values.email}
          onChange={set('email')}
          error={msg('email')}
          testId="signup-email"
        />
        <Field
          label={t('fields.phone')}
          hint={t('fields.phoneHint')}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          value={values.phone}
          onChange={set('phone')}
          error={msg('phone')}
          testId="signup-phone"
        />
        <PasswordField
          label={t('fields.password')}
          autoComplete="new-password"
          value={values.password}
          onChange={(v) => set('password')({ target: { value: v } })}
          error={msg('password')}
          testId="signup-password"
        />
        <Field
          label={t('fields.nif')}
          hint={t('fields.nifHint')}
          optional
          inputMode="numeric"
          autoComplete="off"
          value={values.nif}
          onChange={set('nif')}
          error={msg('nif')}
          maxLength={14}
          testId="signup-nif"
        />
        <Field
          label={t('fields.birthDate')}
          optional
          type="date"
          autoComplete="bday"
          min="1900-01-01"
          max={today()}
          value={values.birthDate}
          onChange={set('birthDate')}
          error={msg('birthDate')}
          testId="signup-birth-date"
        />
        <fieldset className="p-fieldset">
          <legend>{t('fields.locale')}</legend>
          <div className="p-segmented">
            {(['pt', 'en'] as const).map((l) => (
              <label key={l} className="p-segmented__option">
                <input
                  type="radio"
                  name="locale"
                  value={l}
                  checked={locale === l}
                  onChange={() => setLocale(l)}
                />
                <span lang={l === 'pt' ? 'pt-PT' : 'en'}>{l === 'pt' ? 'Português' : 'English'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <p className="p-muted p-small">{t('auth.privacy')}</p>
        <button
          type="submit"
          className="p-btn p-btn--primary p-btn--large"
          disabled={busy}
          aria-busy={busy}
          data-testid="signup-submit"
        >
          {busy ? t('auth.signupBusy') : t('auth.signupSubmit')}
        </button>
      </form>
      <p className="p-alt">
        {t('auth.haveAccount')} <Link href="/login">{t('nav.login')}</Link>
      </p>
    </div>
  );
}
