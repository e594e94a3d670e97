/**
 * Check-in done: room, estimated wait and ticket, big. Goes back to idle after 10 s (use-auto-reset).
 * The wait is shown as a band ("5 a 10 min", "É o próximo"), never a falsely precise number
 * (server/domain/wait.ts `waitBand`).
 */
import { useTranslation } from 'react-i18next';
import { useKiosk } from './store.ts';

/** The receipt of the store's check-in (nothing without one), its wait shown as the band. */
export function CheckedInScreen() {
  const { t } = useTranslation();
  const receipt = useKiosk((s) => s.receipt);
  if (!receipt) return null;
  const wait = t(`waitBand.${receipt.band}`);

  return (
    <section className="kiosk-card kiosk-done" data-testid="checked-in" aria-labelledby="checked-in-headline">
      <div className="kiosk-done__icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="72" height="72">
          <path fill="currentColor" d="m9.5 16.2-4.2-4.2-1.4 1.4 5.6 5.6 11-11-1.4-1.4z" />
        </svg>
      </div>
      <h1 id="checked-in-headline" className="kiosk-title" role="status">
        {t('kiosk.checkedIn.done')}
        {' — '}
        <span data-testid="checked-in-room">{receipt.roomName ?? t('kiosk.checkedIn.noRoom')}</span>
        {' — '}
        <span data-testid="checked-in-wait" data-band={receipt.band}>
          {wait}
        </span>
      </h1>
      <p className="kiosk-done__ticket">
        <span>{t('kiosk.checkedIn.ticket')}</span>{' '}
        <strong data-testid="checked-in-ticket">{receipt.ticket}</strong>
      </p>
      <p className="kiosk-done__with">{t('kiosk.checkedIn.with', { name: receipt.practitionerName })}</p>
      <p className="kiosk-done__instructions">{t('kiosk.checkedIn.instructions')}</p>
      <div className="kiosk-done__timer" aria-hidden="true" />
    </section>
  );
}
