/** "My account": details, e-mail, password, a copy of the data, and deleting the account. */
import { usePortalT } from '../i18n.ts';
import { useSession } from '../session.ts';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { DataSection } from './data-section.tsx';
import { DeleteAccount } from './delete-account.tsx';
import { DetailsForm } from './details-form.tsx';
import { EmailForm } from './email-form.tsx';
import { PasswordForm } from './password-form.tsx';

/** Renders the account sections (the app only routes here when logged in). */
export function AccountPage() {
  const { t } = usePortalT();
  const account = useSession((s) => s.account);
  if (!account) return <Loading />;
  return (
    <div className="p-page p-account">
      <PageHeading>{t('account.title')}</PageHeading>
      <div className="p-account__grid">
        <DetailsForm key={account.id} account={account} />
        <div className="p-account__side">
          <EmailForm account={account} />
          <PasswordForm account={account} />
          <DataSection />
        </div>
      </div>
      <DeleteAccount />
    </div>
  );
}
