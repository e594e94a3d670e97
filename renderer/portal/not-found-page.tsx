/** Unknown address: say so and offer the way home. */
import { usePortalT } from './i18n.ts';
import { Link } from './ui/link.tsx';
import { PageHeading } from './ui/page-heading.tsx';

/** Renders the page. */
export function NotFoundPage() {
  const { t } = usePortalT();
  return (
    <div className="p-page p-page--narrow">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p className="p-lead">{t('notFound.body')}</p>
      <Link href="/" className="p-btn p-btn--primary">
        {t('notFound.home')}
      </Link>
    </div>
  );
}
