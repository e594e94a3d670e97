/**
 * The desk's login form, lock screen and first-run setup (create the clinic's first admin). Each is a
 * full-page card with a language switch; errors come back as the server's codes, translated.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../../shared/api.ts';
import { errorKey } from '../../shared/i18n.ts';
import { LangSwitch } from '../../shared/ui/lang-switch.tsx';
import { rememberLang } from '../actions.ts';
import { useAuth, type MeAnswer } from './auth-store.ts';

/** The card every auth screen shares. */
function AuthCard({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  return (
    <main className="auth" data-testid="auth">
      <div className="auth__card">
        <div className="auth__lang">
          <LangSwitch onChange={rememberLang} />
        </div>
        <h1>{title}</h1>
        <p className="muted">{lead}</p>
        {children}
      </div>
    </main>
  );
}

/** A submit handler's busy flag and translated error. */
function useSubmit() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (e: FormEvent, work: () => Promise<void>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      const left = err instanceof ApiError ? err.details?.['attemptsLeft'] : undefined;
      setError(
        t(errorKey(err)) + (typeof left === 'number' ? ' ' + t('auth.attemptsLeft', { count: left }) : ''),
      );
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="auth__error" role="alert">
      {error}
    </p>
  ) : null;
}

/** Username and password → `POST /api/auth/login`. */
export function LoginScreen() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) =>
    run(e, async () => {
      const me = (await unwrap(api.api.auth.login.$post({ json: { username, password } }))) as MeAnswer;
      useAuth.getState().enter(me);
    });
  return (
    <AuthCard title={t('auth.loginTitle')} lead={t('auth.loginBody')}>
      <form className="auth__form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="login-username">{t('auth.username')}</label>
        <input
          id="login-username"
          autoComplete="username"
          autoCapitalize="none"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="login-password">{t('auth.password')}</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? t('auth.loggingIn') : t('auth.login')}
        </button>
        <ErrorLine error={error} />
      </form>
    </AuthCard>
  );
}

/** PIN (or password when none is set) → `POST /api/auth/unlock`; or switch user (logout). */
export function LockScreen() {
  const { t } = useTranslation();
  const me = useAuth((s) => s.me);
  const [secret, setSecret] = useState('');
  const { busy, error, run } = useSubmit();
  const usePin = me?.staff.hasPin ?? true;
  const submit = (e: FormEvent) =>
    run(e, async () => {
      try {
        await unwrap(api.api.auth.unlock.$post({ json: usePin ? { pin: secret } : { password: secret } }));
      } catch (err) {
        // Too many wrong PINs end the session: the login form takes over.
        if (err instanceof ApiError && err.code === 'session_expired') await useAuth.getState().logout();
        throw err;
      }
      setSecret('');
      await useAuth.getState().check();
    });
  const name = me?.staff.displayName ?? '';
  return (
    <AuthCard
      title={t('auth.lockedTitle')}
      lead={usePin ? t('auth.lockedBody', { name }) : t('auth.lockedBodyPassword', { name })}
    >
      <form className="auth__form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="unlock-secret">{usePin ? t('auth.pin') : t('auth.password')}</label>
        <input
          id="unlock-secret"
          type="password"
          inputMode={usePin ? 'numeric' : undefined}
          autoComplete={usePin ? 'off' : 'current-password'}
          required
          autoFocus
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {t('auth.unlock')}
        </button>
        <ErrorLine error={error} />
        <button type="button" className="btn" onClick={() => void useAuth.getState().logout()}>
          {t('auth.switchUser')}
        </button>
      </form>
    </AuthCard>
  );
}

/** The clinic's first admin → `POST /api/auth/setup` (needs the desk's printed link). */
export function FirstRunScreen() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useSubmit();
  const submit = (e: FormEvent) =>
    run(e, async () => {
      const me = (await unwrap(
        api.api.auth.setup.$post({ json: { username, displayName, password } }),
      )) as MeAnswer;
      useAuth.setState({ wizard: true });
      useAuth.getState().enter(me);
    });
  return (
    <AuthCard title={t('auth.firstRunTitle')} lead={t('auth.firstRunBody')}>
      <form className="auth__form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="setup-name">{t('auth.displayName')}</label>
        <input
          id="setup-name"
          autoComplete="name"
          required
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <label htmlFor="setup-username">{t('auth.username')}</label>
        <input
          id="setup-username"
          autoComplete="username"
          autoCapitalize="none"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="setup-password">{t('auth.newPassword')}</label>
        <input
          id="setup-password"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {t('auth.createAdmin')}
        </button>
        <ErrorLine error={error} />
      </form>
    </AuthCard>
  );
}
