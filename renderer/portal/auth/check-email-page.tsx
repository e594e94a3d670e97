/** After sign-up: "check your e-mail", with the address the link went to and what to do if it is missing. */
import { usePortalT } from '../i18n.ts';
import { useSession } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';

/** Renders the page. */
export function CheckEmailPage() {
  const { t } = usePortalT();
  const email = useSession((s) => s.pendingEmail);
  return (
    <div className="p-page p-page--narrow" data-testid="check-email">
      <PageHeading>{t('auth.checkEmailTitle')}</PageHeading>
      <Alert kind="info">
        {email ? t('auth.checkEmailBody', { email }) : t('auth.checkEmailBodyNoAddress')}
      </Alert>
      <ul className="p-steps-list">
        <li>{t('auth.checkEmailStep1')}</li>
        <li>{t('auth.checkEmailStep2')}</li>
        <li>{t('auth.checkEmailSpam')}</li>
      </ul>
      <p className="p-alt">
        {t('auth.checkEmailDone')} <Link href="/login">{t('nav.login')}</Link>
      </p>
    </div>
  );
}
