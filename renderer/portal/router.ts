/**
 * The portal's router: real paths on the history API (so the links in e-mails, `/verify-email?token=…`,
 * open the right page, and back/forward work), no dependency. `navigate()` pushes a path; `useLocation()`
 * re-renders on every change; `matchRoute()` names the page of a path. The server answers every such
 * path with the portal (server/central/http/pages.ts).
 */
import { useSyncExternalStore } from 'react';

/** The portal's pages and their parameters. */
export type Route =
  | { name: 'home' }
  | { name: 'signup' }
  | { name: 'check-email' }
  | { name: 'verify-email' }
  | { name: 'login' }
  | { name: 'forgot-password' }
  | { name: 'reset-password' }
  | { name: 'confirm-email' }
  | { name: 'book' }
  | { name: 'appointments' }
  | { name: 'appointment'; id: string }
  | { name: 'account' }
  | { name: 'pay'; token: string }
  | { name: 'link'; token: string }
  | { name: 'not-found' };

const STATIC: Record<string, Route['name']> = {
  '/': 'home',
  '/signup': 'signup',
  '/check-email': 'check-email',
  '/verify-email': 'verify-email',
  '/login': 'login',
  '/forgot-password': 'forgot-password',
  '/reset-password': 'reset-password',
  '/confirm-email': 'confirm-email',
  '/book': 'book',
  '/appointments': 'appointments',
  '/account': 'account',
};

/**
 * The page of a path ('/appointments/abc' → appointment abc, '/pay/tok' → the payment page of link
 * `tok`); unknown paths → not-found.
 */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const name = STATIC[path];
  if (name) return { name } as Route;
  const appointment = /^\/appointments\/([^/]+)$/.exec(path);
  if (appointment) return { name: 'appointment', id: decodeURIComponent(appointment[1]!) };
  // Public: the token is the capability (no login; the link may be opened from an e-mail or SMS).
  const pay = /^\/pay\/([^/]+)$/.exec(path);
  if (pay) return { name: 'pay', token: decodeURIComponent(pay[1]!) };
  const link = /^\/link\/([^/]+)$/.exec(path);
  if (link) return { name: 'link', token: decodeURIComponent(link[1]!) };
  return { name: 'not-found' };
}

/** Pages only a logged-in patient can open (others are public). */
export const PRIVATE_ROUTES: ReadonlySet<Route['name']> = new Set(['appointments', 'appointment', 'account']);

const listeners = new Set<() => void>();
let navigated = false;

function notify(): void {
  navigated = true;
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/**
 * Goes to `to` (a same-origin path with its query), adding a history entry unless `replace`.
 * Scrolls to the top, as a page load would.
 */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search && !options.replace) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** True once the patient has moved from the page they opened (headings then take focus). */
export const hasNavigated = (): boolean => navigated;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current path and query; re-renders the caller on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const [pathname, query = ''] = href.split('?', 2) as [string, string?];
  return { pathname, search: new URLSearchParams(query), href };
}

/**
 * A safe post-login destination: a same-origin path ('/book?…'), never another site ('//evil',
 * 'https://…') nor a login/sign-up page; else '/'.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const route = matchRoute(next.split('?')[0]!);
  return route.name === 'login' || route.name === 'signup' || route.name === 'not-found' ? '/' : next;
}
