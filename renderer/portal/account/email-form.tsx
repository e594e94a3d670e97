/**
 * "E-mail": the current address and a form to change it (new address + password). The change takes
 * effect when the patient opens the link sent to the new address (`/confirm-email?token=…`).
 */
import { useRef, useState, type FormEvent } from 'react';
import { changeEmail } from '../api.ts';
import {
  checkCurrentPassword,
  checkEmail,
  focusFirstInvalid,
  isValid,
  serverFieldErrors,
  type FieldErrors,
} from '../forms.ts';
import { errorText, usePortalT } from '../i18n.ts';
import type { Account } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { PasswordField } from '../ui/password-field.tsx';

type F = 'newEmail' | 'password';

/** Renders the current address and the change form. */
export function EmailForm({ account }: { account: Account }) {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSentTo(null);
    const found: FieldErrors<F> = {
      newEmail:
        checkEmail(newEmail) ??
        (newEmail.trim().toLowerCase() === account.email.toLowerCase() ? 'validation.sameEmail' : undefined),
      password: checkCurrentPassword(password) ?? undefined,
    };
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await changeEmail(newEmail.trim(), password);
      setSentTo(newEmail.trim());
      setNewEmail('');
      setPassword('');
    } catch (err) {
      const fields = serverFieldErrors<F>(err, { newEmail: 'validation.email' });
      setErrors(fields);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="p-card" aria-labelledby="account-email">
      <h2 id="account-email">{t('account.emailTitle')}</h2>
      <p>
        {t('account.currentEmail')} <strong data-testid="account-email">{account.email}</strong>
      </p>
      {sentTo && <Alert kind="info">{t('account.emailSent', { email: sentTo })}</Alert>}
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form ref={form} className="p-form" noValidate onSubmit={(e) => void submit(e)}>
        <Field
          label={t('fields.newEmail')}
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="off"
          spellCheck={false}
          value={newEmail}
          onChange={(e) => {
            setNewEmail(e.target.value);
            setErrors((x) => ({ ...x, newEmail: undefined }));
          }}
          error={errors.newEmail ? t(errors.newEmail) : null}
        />
        <PasswordField
          label={t('fields.currentPassword')}
          autoComplete="current-password"
          value={password}
          onChange={(v) => {
            setPassword(v);
            setErrors((x) => ({ ...x, password: undefined }));
          }}
          error={errors.password ? t(errors.password) : null}
        />
        <button type="submit" className="p-btn" disabled={busy} aria-busy={busy}>
          {t('account.changeEmail')}
        </button>
      </form>
    </section>
  );
}
