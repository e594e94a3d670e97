/**
 * The pages e-mailed links open: `/verify-email?token=…` (sign-up: verifies and logs in) and
 * `/confirm-email?token=…` (a changed address). Each spends its token once, then moves on with a message;
 * an expired or used link says so and offers the way forward.
 */
import { useEffect, useState } from 'react';
import { confirmEmail, verifyEmail } from '../api.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { flash, setAccount, useSession } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { once } from './once.ts';

interface Props {
  kind: 'verify' | 'confirm';
}

/** Renders "verifying…", then goes home (verify) or to the account (confirm); or shows the error. */
export function EmailLinkPage({ kind }: Props) {
  const { t } = usePortalT();
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const status = useSession((s) => s.status);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!token) return;
    // Confirming a new address needs the session; wait until it is known.
    if (kind === 'confirm' && status === 'loading') return;
    const run = kind === 'verify' ? () => verifyEmail(token) : () => confirmEmail(token);
    once(`${kind}:${token}`, run).then(
      (account) => {
        if (kind === 'verify') {
          setAccount(account);
          flash('/', 'auth.verified', 'info', { name: account.name.split(' ')[0]! });
          navigate('/', { replace: true });
        } else if (useSession.getState().status === 'authenticated') {
          setAccount(account);
          flash('/account', 'auth.emailChanged', 'info', { email: account.email });
          navigate('/account', { replace: true });
        } else {
          // Opened on a device where the patient is not logged in: the change is done; log in with it.
          flash('/login', 'auth.emailChanged', 'info', { email: account.email });
          navigate('/login', { replace: true });
        }
      },
      (err: unknown) => setError(err),
    );
  }, [kind, token, status]);

  const title = kind === 'verify' ? t('auth.verifyTitle') : t('auth.confirmEmailTitle');
  const invalid = !token || error !== null;
  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{title}</PageHeading>
      {!invalid && <Loading label={t('auth.verifying')} />}
      {invalid && (
        <>
          <Alert kind="error">{error ? errorText(t, error) : t('errors.token_invalid')}</Alert>
          <p className="p-alt">
            {kind === 'verify' ? (
              <>
                {t('auth.verifyFailedHint')} <Link href="/login">{t('nav.login')}</Link>
              </>
            ) : (
              <Link href="/account">{t('nav.account')}</Link>
            )}
          </p>
        </>
      )}
    </div>
  );
}
