/**
 * Desk header: clinic name, the board's date, the view tabs, clock, connection, language, and the
 * logged-in staff member (lock, log out, administration).
 */
import { useTranslation } from 'react-i18next';
import { formatDate } from '../shared/format.ts';
import { Clock } from '../shared/ui/clock.tsx';
import { ConnectionStatus } from '../shared/ui/connection-status.tsx';
import { LangSwitch } from '../shared/ui/lang-switch.tsx';
import { rememberLang } from './actions.ts';
import { DeskTabs } from './desk-tabs.tsx';
import { AccountMenu } from './auth/account-menu.tsx';
import { useDesk } from './store.ts';

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
      <Clock className="desk-header__clock" />
      <LangSwitch onChange={rememberLang} />
      <AccountMenu />
    </header>
  );
}
