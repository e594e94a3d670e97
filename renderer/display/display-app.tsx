/** The waiting-room display: header (clinic, clock, connection), now calling, waiting list. */
import { useTranslation } from 'react-i18next';
import { Clock } from '../shared/ui/clock.tsx';
import { ConnectionStatus } from '../shared/ui/connection-status.tsx';
import { UnauthorizedScreen } from '../shared/ui/unauthorized-screen.tsx';
import { NowCalling } from './now-calling.tsx';
import { useAnnouncements } from './use-announcements.ts';
import { useDisplayFeed } from './use-display-feed.ts';
import { WaitingList } from './waiting-list.tsx';

/**
 * Root of the display page: a spinner until the first snapshot, then now calling and the waiting list;
 * announces new calls; UnauthorizedScreen once the token is rejected.
 */
export function DisplayApp() {
  const { t } = useTranslation();
  const { state, online, unauthorized } = useDisplayFeed();
  useAnnouncements(state?.nowCalling);

  if (unauthorized) return <UnauthorizedScreen />;

  return (
    <div className="display" data-testid="display">
      <header className="display-header">
        <h1 className="display-header__clinic">{state?.clinicName ?? '\u00a0'}</h1>
        <ConnectionStatus online={online} />
        <Clock className="display-header__clock" />
      </header>
      {state ? (
        <main className="display-main">
          <NowCalling calls={state.nowCalling} />
          <WaitingList waiting={state.waiting} />
        </main>
      ) : (
        <main className="display-main display-main--loading" aria-busy="true">
          {/* The loading text is sized on the <p>, not on <main>: React keeps this <main> for the screen,
              and a size on it was briefly inherited by the first layout, which fit-text.ts measured. */}
          <p className="display-main__loading-text">
            <span className="spinner" aria-hidden="true" /> {t('display.loading')}
          </p>
        </main>
      )}
    </div>
  );
}
