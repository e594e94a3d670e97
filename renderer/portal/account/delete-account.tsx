/**
 * "Delete account": what is erased and what the clinic must keep (a clear warning), the password to
 * confirm and an explicit tick; then POST /api/account/delete, logout and home.
 */
import { useRef, useState, type FormEvent } from 'react';
import { deleteAccount } from '../api.ts';
import { resetAppointments } from '../appointments/store.ts';
import { checkCurrentPassword, focusFirstInvalid } from '../forms.ts';
import { errorText, usePortalT, type PortalKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { clearAccount, flash } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { PasswordField } from '../ui/password-field.tsx';

/** Renders the warning and the deletion form. */
export function DeleteAccount() {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [invalid, setInvalid] = useState<PortalKey | null>(null);
  const [tickMissing, setTickMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const problem = checkCurrentPassword(password);
    setInvalid(problem);
    setTickMissing(!understood);
    if (problem || !understood) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      await deleteAccount(password);
      resetAppointments();
      clearAccount();
      flash('/', 'account.deleted');
      navigate('/', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="p-card p-danger-zone" aria-labelledby="account-delete">
      <h2 id="account-delete">{t('account.deleteTitle')}</h2>
      <Alert kind="warning">
        <p>{t('account.deleteWarning')}</p>
        <p>{t('account.deleteKept')}</p>
      </Alert>
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form
        ref={form}
        className="p-form"
        noValidate
        onSubmit={(e) => void submit(e)}
        data-testid="delete-form"
      >
        <PasswordField
          label={t('fields.currentPassword')}
          autoComplete="current-password"
          value={password}
          onChange={(v) => {
            setPassword(v);
            setInvalid(null);
          }}
          error={invalid ? t(invalid) : null}
          testId="delete-password"
        />
        <div className={`p-check${tickMissing ? ' p-check--invalid' : ''}`}>
          <input
            id="delete-understood"
            type="checkbox"
            checked={understood}
            aria-invalid={tickMissing || undefined}
            aria-describedby={tickMissing ? 'delete-understood-error' : undefined}
            onChange={(e) => {
              setUnderstood(e.target.checked);
              setTickMissing(false);
            }}
          />
          <label htmlFor="delete-understood">{t('account.deleteConfirmCheck')}</label>
        </div>
        {tickMissing && (
          <p id="delete-understood-error" className="p-field__error">
            <span aria-hidden="true">! </span>
            {t('validation.tickRequired')}
          </p>
        )}
        <button type="submit" className="p-btn p-btn--danger-solid" disabled={busy} aria-busy={busy}>
          {t('account.deleteSubmit')}
        </button>
      </form>
    </section>
  );
}
