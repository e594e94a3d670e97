/**
 * Desk header: clinic name, the board's date, the view tabs, clock, connection, sync with the central
 * API (when paired), language, and the logged-in staff member (lock, log out, administration).
 */
import { useTranslation } from 'react-i18next';
import { useNow } from '../shared/use-now.ts';
import { formatDate } from '../shared/format.ts';
import { Clock } from '../shared/ui/clock.tsx';
import { ConnectionStatus } from '../shared/ui/connection-status.tsx';
import { LangSwitch } from '../shared/ui/lang-switch.tsx';
import { rememberLang } from './actions.ts';
import { DeskTabs } from './desk-tabs.tsx';
import { AccountMenu } from './auth/account-menu.tsx';
import { useDesk } from './store.ts';
import { usePollSyncStatus, useSyncStatus } from './sync-status.ts';

/** The desk's top bar; before the board loads it shows the page title in place of the clinic name. */
export function DeskHeader() {
  const { t, i18n } = useTranslation();
  const clinicName = useDesk((s) => s.board?.settings.clinicName);
  const date = useDesk((s) => s.board?.date);
  const online = useDesk((s) => s.online);
  return (
    <header className="desk-header">
      <div className="desk-header__brand">
        <h1 className="desk-header__clinic">{clinicName ?? t('desk.title')}</h1>
        <span className="desk-header__sub">
          {t('desk.title')}
          {date ? ` · ${formatDate(date, i18n.language === 'en' ? 'en' : 'pt')}` : ''}
        </span>
      </div>
      <DeskTabs />
      <ConnectionStatus online={online} />
      <SyncStatus />
      <Clock className="desk-header__clock" />
      <LangSwitch onChange={rememberLang} />
      <AccountMenu />
    </header>
  );
}

/** How often the desk asks the server for the sync state, ms (the settings' sync section polls faster). */
const SYNC_POLL_MS = 10_000;

/**
 * Sync with the central API (`GET /api/sync/status`, polled; shared with the settings' sync section):
 * "Sincronizado há N min" while online, "Sem ligação à central — N alterações pendentes" while not, or
 * why it stopped. Nothing when the clinic is not paired (or the state cannot be read).
 */
function SyncStatus() {
  const { t } = useTranslation();
  const now = useNow(30_000);
  usePollSyncStatus(SYNC_POLL_MS);
  const status = useSyncStatus((s) => s.status);
  const failed = useSyncStatus((s) => s.failed);
  const state = failed ? null : status;
  if (!state?.paired) return null;
  let text: string;
  if (state.stopped === 'sync_protocol_mismatch') text = t('desk.sync.update');
  else if (state.stopped) text = t('desk.sync.stopped');
  else if (!state.online && state.lastError) text = t('desk.sync.offline', { count: state.pending });
  else if (!state.online || !state.lastSyncAt) text = t('desk.sync.waiting');
  else {
    const min = Math.floor((now.getTime() - Date.parse(state.lastSyncAt)) / 60_000);
    text = min < 1 ? t('desk.sync.justNow') : t('desk.sync.synced', { count: min });
  }
  const ok = state.online && !state.stopped;
  return (
    <span
      className="desk-header__sub desk-header__sync"
      data-testid="sync-status"
      data-online={String(ok)}
      role="status"
      aria-live="polite"
    >
      {text}
    </span>
  );
}
