/**
 * Which view of the desk is showing, from the URL's hash: '#/calendar' is the calendar (any day),
 * '#/analytics' the analytics, '#/audit' the audit log, '#/settings' the admin's clinic settings, anything
 * else the day's board. A hash keeps one
 * page (one credential cookie, one board stream) and gives the views links, history and reload for free.
 */
import { useSyncExternalStore } from 'react';

/** The desk's views. */
export type DeskRoute = 'board' | 'calendar' | 'analytics' | 'audit' | 'settings';

/** The hash of each view. */
export const DESK_ROUTE_HASH: Record<DeskRoute, string> = {
  board: '#/',
  calendar: '#/calendar',
  analytics: '#/analytics',
  audit: '#/audit',
  settings: '#/settings',
};

const routeOf = (hash: string): DeskRoute =>
  (Object.keys(DESK_ROUTE_HASH) as DeskRoute[]).find((r) => r !== 'board' && DESK_ROUTE_HASH[r] === hash) ??
  'board';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current view; re-renders when the hash changes (links, back and forward). */
export function useDeskRoute(): DeskRoute {
  return useSyncExternalStore(subscribe, () => routeOf(location.hash));
}
