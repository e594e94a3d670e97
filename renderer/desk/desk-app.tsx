/**
 * The reception desk: rooms, the day's appointments (with payment at the desk), walk-ins and face enrolment,
 * live over SSE; the calendar of any day ('#/calendar', with the patient card); the analytics of past days
 * ('#/analytics') and the audit log ('#/audit').
 */
import { lazy, Suspense, useEffect } from 'react';
import { startBoard } from './actions.ts';
import { AppointmentsTable } from './appointments-table.tsx';
import { DeskHeader } from './desk-header.tsx';
import { DeskMessageBar } from './desk-message.tsx';
import { EnrolDialog } from './enrol-dialog.tsx';
import { PaymentDialog } from './payment-dialog.tsx';
import { RoomsPanel } from './rooms-panel.tsx';
import { useDesk } from './store.ts';
import { useAuth } from './auth/auth-store.ts';
import { useDeskRoute } from './use-desk-route.ts';
import { WalkInForm } from './walk-in-form.tsx';
import { AuditPage } from './audit-page.tsx';
import { SettingsPage } from './setup/settings-page.tsx';
import { CalendarPage } from './calendar-page.tsx';
import { PatientCardDialog } from './patient-card.tsx';

// The charts library is large; the board loads without it and the analytics view fetches it when opened.
const AnalyticsPage = lazy(() => import('./analytics-page.tsx').then((m) => ({ default: m.AnalyticsPage })));

/**
 * Root of the desk page: starts the board (load + SSE) on mount and closes the stream on unmount, whichever
 * view shows (so going back to the board is instant); a refused session is the staff gate's to handle
 * (auth/staff-gate.tsx: refresh, or the login form); shows the walk-in form only once a board has loaded,
 * and never to a practitioner.
 */
export function DeskApp() {
  const hasBoard = useDesk((s) => s.board !== null);
  // A practitioner works their own queue: no walk-ins, no bookings (server/clinic/http/access.ts).
  const canBook = useAuth((s) => s.me?.staff.role !== 'practitioner');
  const route = useDeskRoute();

  useEffect(() => startBoard(), []);

  return (
    <div className="desk" data-testid="desk">
      <DeskHeader />
      <DeskMessageBar />
      {route === 'calendar' ? (
        <CalendarPage />
      ) : route === 'audit' ? (
        <AuditPage />
      ) : route === 'settings' ? (
        <SettingsPage />
      ) : route === 'analytics' ? (
        <Suspense
          fallback={
            <p className="empty" aria-busy="true">
              <span className="spinner" aria-hidden="true" />
            </p>
          }
        >
          <AnalyticsPage />
        </Suspense>
      ) : (
        <main className="desk-main">
          <div className="desk-main__primary">
            <RoomsPanel />
            <AppointmentsTable />
          </div>
          {hasBoard && canBook && (
            <aside className="desk-main__side">
              <WalkInForm />
            </aside>
          )}
        </main>
      )}
      <EnrolDialog />
      <PaymentDialog />
      <PatientCardDialog />
    </div>
  );
}
