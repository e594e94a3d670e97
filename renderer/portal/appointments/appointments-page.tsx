/**
 * "My appointments": upcoming and past, live (the server's events update them in place), with cancel
 * (confirm dialog) and reschedule on each upcoming one.
 */
import { useEffect, useState } from 'react';
import { errorText, usePortalT } from '../i18n.ts';
import type { Appointment } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { AppointmentCard } from './appointment-card.tsx';
import { CancelDialog } from './cancel-dialog.tsx';
import { loadAppointments, useAppointments } from './store.ts';

/** Renders the page and loads the lists on arrival. */
export function AppointmentsPage() {
  const { t } = usePortalT();
  const lists = useAppointments((s) => s.lists);
  const loading = useAppointments((s) => s.loading);
  const error = useAppointments((s) => s.error);
  const live = useAppointments((s) => s.live);
  const [cancelling, setCancelling] = useState<Appointment | null>(null);

  useEffect(() => {
    void loadAppointments();
  }, []);

  return (
    <div className="p-page">
      <PageHeading>{t('appointments.title')}</PageHeading>
      {!live && <Alert kind="warning">{t('appointments.offline')}</Alert>}
      {error !== null && !lists && (
        <Alert kind="error">
          {errorText(t, error)}{' '}
          <button type="button" className="p-btn p-btn--small" onClick={() => void loadAppointments()}>
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {!lists && loading && <Loading />}
      {lists && (
        <>
          <section aria-labelledby="appts-upcoming" className="p-section">
            <div className="p-section__head">
              <h2 id="appts-upcoming">{t('appointments.upcoming')}</h2>
              <Link href="/book" className="p-btn p-btn--primary" data-testid="appointments-book">
                {t('home.book')}
              </Link>
            </div>
            {lists.upcoming.length === 0 ? (
              <p className="p-empty">{t('appointments.noneUpcoming')}</p>
            ) : (
              <ul className="p-list" data-testid="upcoming">
                {lists.upcoming.map((a) => (
                  <AppointmentCard key={a.id} appointment={a} onCancel={setCancelling} upcoming />
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="appts-past" className="p-section">
            <h2 id="appts-past">{t('appointments.past')}</h2>
            {lists.past.length === 0 ? (
              <p className="p-empty">{t('appointments.nonePast')}</p>
            ) : (
              <ul className="p-list" data-testid="past">
                {lists.past.map((a) => (
                  <AppointmentCard key={a.id} appointment={a} onCancel={setCancelling} upcoming={false} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <CancelDialog appointment={cancelling} onClose={() => setCancelling(null)} />
    </div>
  );
}
