/**
 * The logged-in staff member in the desk's header: Lock, and a menu under their name and role with a
 * dialog for their own PIN and password, Administration (admins and receptionists: staff accounts for
 * admins, paired devices for both) and Log out.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../shared/api.ts';
import { errorKey } from '../../shared/i18n.ts';
import { AdminDialog } from './admin-dialog.tsx';
import { useAuth } from './auth-store.ts';

/** The header's account area. */
export function AccountMenu() {
  const { t } = useTranslation();
  const me = useAuth((s) => s.me);
  const [adminOpen, setAdminOpen] = useState(false);
  const accountRef = useRef<HTMLDialogElement>(null);
  const menuRef = useRef<HTMLDetailsElement>(null);
  /** Closes the menu, then runs the item's action. */
  const item = (action: () => void) => {
    if (menuRef.current) menuRef.current.open = false;
    action();
  };
  if (!me) return null;
  const role = me.staff.role;
  return (
    <div className="account" data-testid="account">
      <button type="button" className="btn" onClick={() => void useAuth.getState().lock()}>
        {t('auth.lock')}
      </button>
      <details className="account__menu" ref={menuRef}>
        <summary className="btn btn--ghost">
          <strong>{me.staff.displayName}</strong>
          <span className="muted"> · {t(`auth.role_${role}`)}</span>
        </summary>
        <div className="account__items">
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => item(() => accountRef.current?.showModal())}
          >
            {t('auth.account', { name: me.staff.username })}
          </button>
          {role !== 'practitioner' && (
            <button type="button" className="btn btn--ghost" onClick={() => item(() => setAdminOpen(true))}>
              {t('auth.adminTitle')}
            </button>
          )}
          <button
            type="button"
            className="btn btn--ghost"
            onClick={() => item(() => void useAuth.getState().logout())}
          >
            {t('auth.logout')}
          </button>
        </div>
      </details>
      <OwnAccountDialog dialogRef={accountRef} />
      {adminOpen && <AdminDialog isAdmin={role === 'admin'} onClose={() => setAdminOpen(false)} />}
    </div>
  );
}

/** Set one's PIN; change one's password. */
function OwnAccountDialog({ dialogRef }: { dialogRef: React.RefObject<HTMLDialogElement | null> }) {
  const { t } = useTranslation();
  const id = useId();
  const [pin, setPinValue] = useState('');
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: FormEvent, work: () => Promise<unknown>) => {
    e.preventDefault();
    setMessage(null);
    try {
      await work();
      setMessage(t('auth.saved'));
      setPinValue('');
      setPassword('');
      setCurrent('');
      setNext('');
      await useAuth.getState().check();
    } catch (err) {
      setMessage(t(errorKey(err)));
    }
  };
  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby={`${id}-title`}>
      <header className="dialog__head">
        <h2 id={`${id}-title`}>{t('auth.setPin')}</h2>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          aria-label={t('common.close')}
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </header>
      <div className="dialog__body">
        <form
          className="auth__form"
          onSubmit={(e) => void submit(e, () => unwrap(api.api.auth.pin.$put({ json: { pin, password } })))}
        >
          <p className="muted">{t('auth.setPinHelp')}</p>
          <label htmlFor={`${id}-pin`}>{t('auth.pin')}</label>
          <input
            id={`${id}-pin`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            pattern="\d{4,8}"
            required
            value={pin}
            onChange={(e) => setPinValue(e.target.value)}
          />
          <label htmlFor={`${id}-pin-password`}>{t('auth.password')}</label>
          <input
            id={`${id}-pin-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button type="submit" className="btn btn--primary">
            {t('auth.setPin')}
          </button>
        </form>
        <form
          className="auth__form"
          onSubmit={(e) =>
            void submit(e, () =>
              unwrap(api.api.auth.password.$post({ json: { currentPassword: current, newPassword: next } })),
            )
          }
        >
          <h3>{t('auth.changePassword')}</h3>
          <label htmlFor={`${id}-current`}>{t('auth.currentPassword')}</label>
          <input
            id={`${id}-current`}
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <label htmlFor={`${id}-new`}>{t('auth.newPassword')}</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <button type="submit" className="btn">
            {t('auth.changePassword')}
          </button>
        </form>
        {message && (
          <p role="status" className="auth__message">
            {message}
          </p>
        )}
      </div>
    </dialog>
  );
}
