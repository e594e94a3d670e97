/**
 * The portal's header: the clinic's name (home link), the main navigation (book, my appointments,
 * account, or log in / sign up), the PT/EN switch and logout. On a phone the navigation wraps to a
 * second row of large tap targets.
 */
import { usePortalT } from './i18n.ts';
import { useLocation } from './router.ts';
import { logoutNow, useSession } from './session.ts';
import { LangToggle } from './ui/lang-toggle.tsx';
import { Link } from './ui/link.tsx';

/** Renders the header; the current section's link carries `aria-current="page"`. */
export function PortalHeader() {
  const { t } = usePortalT();
  const { pathname } = useLocation();
  const status = useSession((s) => s.status);
  const clinics = useSession((s) => s.clinics);
  const brand = clinics?.length === 1 ? clinics[0]!.name : t('app.name');

  const links =
    status === 'authenticated'
      ? [
          { href: '/book', label: t('nav.book'), testId: 'nav-book' },
          { href: '/appointments', label: t('nav.appointments'), testId: 'nav-appointments' },
          { href: '/account', label: t('nav.account'), testId: 'nav-account' },
        ]
      : status === 'anonymous'
        ? [
            { href: '/book', label: t('nav.book'), testId: 'nav-book' },
            { href: '/login', label: t('nav.login'), testId: 'nav-login' },
            { href: '/signup', label: t('nav.signup'), testId: 'nav-signup' },
          ]
        : [];

  const current = (href: string) => pathname === href || pathname.startsWith(`${href}/`);

  return (
    <header className="p-header">
      <div className="p-header__bar">
        <Link href="/" className="p-header__brand" data-testid="brand">
          <span className="p-header__logo" aria-hidden="true">
            +
          </span>
          <span className="p-header__name">{brand}</span>
        </Link>
        <div className="p-header__tools">
          <LangToggle />
          {status === 'authenticated' && (
            <button
              type="button"
              className="p-btn p-btn--ghost p-header__logout"
              data-testid="logout"
              onClick={() => void logoutNow()}
            >
              {t('nav.logout')}
            </button>
          )}
        </div>
      </div>
      {links.length > 0 && (
        <nav className="p-nav" aria-label={t('nav.label')}>
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <Link
                  href={l.href}
                  aria-current={current(l.href) ? 'page' : undefined}
                  data-testid={l.testId}
                >
                  {l.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
