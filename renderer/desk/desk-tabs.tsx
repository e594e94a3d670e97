/**
 * The desk's views as tabs (links to their hash): the day's board, the calendar (any day), the analytics
 * the audit log and the clinic's settings — each shown only to the roles the server lets read it (server/clinic/http/access.ts:
 * a practitioner has the board; the calendar is the desk's; analytics and audit are the admin's).
 */
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../../server/domain/staff.ts';
import { useAuth } from './auth/auth-store.ts';
import { DESK_ROUTE_HASH, useDeskRoute, type DeskRoute } from './use-desk-route.ts';

const TABS = [
  { route: 'board', key: 'desk.nav.board', roles: ['admin', 'receptionist', 'practitioner'] },
  { route: 'calendar', key: 'desk.nav.calendar', roles: ['admin', 'receptionist'] },
  { route: 'analytics', key: 'desk.nav.analytics', roles: ['admin'] },
  { route: 'audit', key: 'desk.nav.audit', roles: ['admin'] },
  { route: 'settings', key: 'desk.nav.settings', roles: ['admin'] },
] as const satisfies readonly { route: DeskRoute; key: string; roles: readonly StaffRole[] }[];

/** Navigation between the views; the current one is marked `aria-current="page"`. */
export function DeskTabs() {
  const { t } = useTranslation();
  const route = useDeskRoute();
  const role = useAuth((s) => s.me?.staff.role);
  return (
    <nav className="desk-tabs" aria-label={t('desk.nav.label')}>
      {TABS.filter((tab) => role !== undefined && (tab.roles as readonly StaffRole[]).includes(role)).map(
        (tab) => (
          <a
            key={tab.route}
            href={DESK_ROUTE_HASH[tab.route]}
            className="desk-tabs__tab"
            data-testid={`tab-${tab.route}`}
            aria-current={route === tab.route ? 'page' : undefined}
          >
            {t(tab.key)}
          </a>
        ),
      )}
    </nav>
  );
}
