/**
 * Landing page: the clinic's name and address, a large "Book an appointment" button, and either log in /
 * sign up or, for a logged-in patient, a greeting and their next appointment.
 */
import { useEffect } from 'react';
import { AppointmentSummary } from './appointments/appointment-summary.tsx';
import { loadAppointments, useAppointments } from './appointments/store.ts';
import { usePortalT } from './i18n.ts';
import { currentClinic, useSession } from './session.ts';
import { Link } from './ui/link.tsx';
import { PageHeading } from './ui/page-heading.tsx';

/** Renders the landing page. */
export function HomePage() {
  const { t } = usePortalT();
  const status = useSession((s) => s.status);
  const account = useSession((s) => s.account);
  const clinics = useSession((s) => s.clinics);
  const clinic = clinics?.length === 1 ? currentClinic(clinics) : null;
  const lists = useAppointments((s) => s.lists);
  const next = lists?.upcoming.find((a) => a.status === 'confirmed' || a.status === 'awaiting_payment');

  useEffect(() => {
    if (status === 'authenticated') void loadAppointments();
  }, [status]);

  return (
    <div className="p-home">
      <section className="p-hero">
        <PageHeading>{clinic ? clinic.name : t('app.name')}</PageHeading>
        {clinic && <p className="p-hero__address">{clinic.address}</p>}
        <p className="p-hero__intro">{t('home.intro')}</p>
        <Link href="/book" className="p-btn p-btn--primary p-btn--large" data-testid="home-book">
          {t('home.book')}
        </Link>
        {clinic && (
          <ul className="p-hero__facts">
            <li>{t('home.policy', { hours: clinic.cancelNoticeHours })}</li>
            <li>{clinic.paymentMode === 'pay_online' ? t('home.payOnline') : t('home.payAtClinic')}</li>
          </ul>
        )}
      </section>

      {status === 'anonymous' && (
        <section className="p-card p-home__account" aria-labelledby="home-account">
          <h2 id="home-account">{t('home.accountTitle')}</h2>
          <p>{t('home.accountIntro')}</p>
          <div className="p-actions">
            <Link href="/login" className="p-btn" data-testid="home-login">
              {t('nav.login')}
            </Link>
            <Link href="/signup" className="p-btn" data-testid="home-signup">
              {t('nav.signup')}
            </Link>
          </div>
        </section>
      )}

      {status === 'authenticated' && account && (
        <section className="p-card p-home__next" aria-labelledby="home-next">
          <p className="p-home__hello">{t('home.hello', { name: account.name.split(' ')[0]! })}</p>
          <h2 id="home-next">{t('home.next')}</h2>
          {next ? <AppointmentSummary appointment={next} /> : <p>{t('home.noneUpcoming')}</p>}
          <Link href="/appointments" className="p-btn" data-testid="home-appointments">
            {t('home.seeAll')}
          </Link>
        </section>
      )}
    </div>
  );
}
