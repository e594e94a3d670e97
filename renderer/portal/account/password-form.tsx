/** "Password": change it with the current one; the server ends the patient's other sessions. */
import { useRef, useState, type FormEvent } from 'react';
import { changePassword } from '../api.ts';
import {
  checkCurrentPassword,
  checkNewPassword,
  focusFirstInvalid,
  isValid,
  serverFieldErrors,
  type FieldErrors,
} from '../forms.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { setAccount } from '../session.ts';
import type { Account } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { PasswordField } from '../ui/password-field.tsx';

type F = 'currentPassword' | 'newPassword';

/** Renders the change-password form. */
export function PasswordForm({ account }: { account: Account }) {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    const found: FieldErrors<F> = {
      currentPassword: checkCurrentPassword(current) ?? undefined,
      newPassword: checkNewPassword(next, [account.email, account.name]) ?? undefined,
    };
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      setAccount(await changePassword(current, next));
      setDone(true);
      setCurrent('');
      setNext('');
    } catch (err) {
      const fields = serverFieldErrors<F>(err, { newPassword: 'errors.weak_password' });
      setErrors(fields);
      if (!fields.newPassword) setError(err);
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="p-card" aria-labelledby="account-password">
      <h2 id="account-password">{t('account.passwordTitle')}</h2>
      {done && <Alert kind="info">{t('account.passwordChanged')}</Alert>}
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form ref={form} className="p-form" noValidate onSubmit={(e) => void submit(e)}>
        <PasswordField
          label={t('fields.currentPassword')}
          autoComplete="current-password"
          value={current}
          onChange={(v) => {
            setCurrent(v);
            setErrors((x) => ({ ...x, currentPassword: undefined }));
          }}
          error={errors.currentPassword ? t(errors.currentPassword) : null}
        />
        <PasswordField
          label={t('fields.newPassword')}
          autoComplete="new-password"
          value={next}
          onChange={(v) => {
            setNext(v);
            setErrors((x) => ({ ...x, newPassword: undefined }));
          }}
          error={errors.newPassword ? t(errors.newPassword) : null}
        />
        <button type="submit" className="p-btn" disabled={busy} aria-busy={busy}>
          {t('account.changePassword')}
        </button>
      </form>
    </section>
  );
}
