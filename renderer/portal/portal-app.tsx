/**
 * Root of the patient portal: skip link, header, the page of the current path, and the app-wide
 * effects: the session is loaded once at start, pages for logged-in patients send others to log in
 * (and back), and while logged in the server's appointment events keep the lists live.
 */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { AccountPage } from './account/account-page.tsx';
import { subscribeAppointments } from './api.ts';
import { AppointmentPage } from './appointments/appointment-page.tsx';
import { AppointmentsPage } from './appointments/appointments-page.tsx';
import {
  loadAppointments,
  resetAppointments,
  setLive,
  upsertAppointment,
  useAppointments,
} from './appointments/store.ts';
import { CheckEmailPage } from './auth/check-email-page.tsx';
import { EmailLinkPage } from './auth/email-link-page.tsx';
import { ForgotPasswordPage } from './auth/forgot-password-page.tsx';
import { LoginPage } from './auth/login-page.tsx';
import { ResetPasswordPage } from './auth/reset-password-page.tsx';
import { SignupPage } from './auth/signup-page.tsx';
import { BookPage } from './booking/book-page.tsx';
import { FlashMessage } from './flash-message.tsx';
import { HomePage } from './home-page.tsx';
import { LinkPage } from './links/link-page.tsx';
import { usePortalT } from './i18n.ts';
import { NotFoundPage } from './not-found-page.tsx';
import { PortalHeader } from './portal-header.tsx';
import { matchRoute, navigate, PRIVATE_ROUTES, safeNext, useLocation, type Route } from './router.ts';
import { startSession, useSession } from './session.ts';
import { Loading } from './ui/loading.tsx';

// The payment page (and the phone-number metadata its MB WAY check needs) loads only when opened.
const PayPage = lazy(() => import('./pay/pay-page.tsx').then((m) => ({ default: m.PayPage })));

let started = false;

/** The page component of a route. */
function pageOf(route: Route): ReactNode {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'signup':
      return <SignupPage />;
    case 'check-email':
      return <CheckEmailPage />;
    case 'verify-email':
      return <EmailLinkPage kind="verify" />;
    case 'confirm-email':
      return <EmailLinkPage kind="confirm" />;
    case 'login':
      return <LoginPage />;
    case 'forgot-password':
      return <ForgotPasswordPage />;
    case 'reset-password':
      return <ResetPasswordPage />;
    case 'book':
      return <BookPage />;
    case 'appointments':
      return <AppointmentsPage />;
    case 'appointment':
      return <AppointmentPage key={route.id} id={route.id} />;
    case 'account':
      return <AccountPage />;
    case 'pay':
      return (
        <Suspense fallback={<Loading />}>
          <PayPage key={route.token} token={route.token} />
        </Suspense>
      );
    case 'link':
      return <LinkPage key={route.token} token={route.token} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

/** Replaces the current page with `to` (e.g. the login page, which returns the patient afterwards). */
function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return <Loading />;
}

/** Renders the portal. */
export function PortalApp() {
  const { t } = usePortalT();
  const { pathname, href, search } = useLocation();
  const status = useSession((s) => s.status);
  const route = matchRoute(pathname);

  useEffect(() => {
    if (started) return;
    started = true;
    void startSession();
  }, []);

  useEffect(() => {
    if (status !== 'authenticated') {
      resetAppointments();
      return;
    }
    return subscribeAppointments(upsertAppointment, setLive, () => {
      if (useAppointments.getState().lists) void loadAppointments();
    });
  }, [status]);

  const needsLogin = PRIVATE_ROUTES.has(route.name) || (route.name === 'book' && search.has('reschedule'));
  let page: ReactNode;
  if (status === 'loading') page = <Loading />;
  else if (needsLogin && status !== 'authenticated') {
    page = <Redirect to={`/login?next=${encodeURIComponent(href)}`} />;
  } else if (status === 'authenticated' && (route.name === 'login' || route.name === 'signup')) {
    page = <Redirect to={safeNext(search.get('next'))} />;
  } else page = pageOf(route);

  return (
    <div className="p-app">
      <a className="p-skip" href="#main">
        {t('app.skip')}
      </a>
      <PortalHeader />
      <main id="main" className="p-main" tabIndex={-1}>
        <FlashMessage />
        {page}
      </main>
      <footer className="p-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
