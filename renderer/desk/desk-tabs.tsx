/**
 * The desk's views as tabs (links to their hash): the day's board, the calendar (any day), the analytics
 * and the audit log.
 */
import { useTranslation } from 'react-i18next';
import { DESK_ROUTE_HASH, useDeskRoute, type DeskRoute } from './use-desk-route.ts';

const TABS = [
  { route: 'board', key: 'desk.nav.board' },
  { route: 'calendar', key: 'desk.nav.calendar' },
  { route: 'analytics', key: 'desk.nav.analytics' },
  { route: 'audit', key: 'desk.nav.audit' },
] as const satisfies readonly { route: DeskRoute; key: string }[];

/** Navigation between the views; the current one is marked `aria-current="page"`. */
export function DeskTabs() {
  const { t } = useTranslation();
  const route = useDeskRoute();
  return (
    <nav className="desk-tabs" aria-label={t('desk.nav.label')}>
      {TABS.map((tab) => (
        <a
          key={tab.route}
          href={DESK_ROUTE_HASH[tab.route]}
          className="desk-tabs__tab"
          data-testid={`tab-${tab.route}`}
          aria-current={route === tab.route ? 'page' : undefined}
        >
          {t(tab.key)}
        </a>
      ))}
    </nav>
  );
}
