/**
 * Check-in done: room, estimated wait and ticket, big. Goes back to idle after 10 s (use-auto-reset).
 * The wait is shown as a band ("5 a 10 min", "É o próximo"), never a falsely precise number
 * (server/domain/wait.ts `waitBand`). In the Electron app the ticket ("Senha") can be printed on the
 * kiosk's receipt printer (IPC `print:ticket`, renderer/shared/native.ts): a button, or at once when
 * the staff turned auto-print on.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { native, type CfdBridge } from '../shared/native.ts';
import type { CheckInReceipt } from '../shared/types.ts';
import { useKiosk } from './store.ts';

type PrintState = 'idle' | 'busy' | 'printed' | 'pdf' | 'failed';

/** The ticket's print button and status, in Electron only; auto-prints once when the setting is on. */
function PrintTicket({
  bridge,
  receipt,
  wait,
  clinicName,
}: {
  bridge: CfdBridge;
  receipt: CheckInReceipt;
  wait: string;
  clinicName: string;
}) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<PrintState>('idle');
  const auto = useRef(false);
  const print = async () => {
    setState('busy');
    const res = await bridge.printTicket({
      ticket: receipt.ticket,
      room: receipt.roomName,
      wait,
      practitioner: receipt.practitionerName,
      clinicName,
      issuedAt: new Date().toISOString(),
      lang: i18n.language.startsWith('en') ? 'en' : 'pt',
    });
    setState(!res.ok ? 'failed' : res.value.to === 'printer' ? 'printed' : 'pdf');
  };
  useEffect(() => {
    if (auto.current) return;
    auto.current = true;
    void bridge.printSettingsGet().then((r) => {
      if (r.ok && r.value.autoPrintTicket) void print();
    });
    // Once per check-in screen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="kiosk-done__print">
      <button
        type="button"
        className="btn kiosk-btn kiosk-btn--secondary"
        data-testid="print-ticket"
        disabled={state === 'busy'}
        onClick={() => void print()}
      >
        {t('kiosk.checkedIn.print')}
      </button>
      {state === 'printed' && <p role="status">{t('kiosk.checkedIn.printed')}</p>}
      {state === 'pdf' && <p role="status">{t('kiosk.checkedIn.printedPdf')}</p>}
      {state === 'failed' && <p role="alert">{t('kiosk.checkedIn.printFailed')}</p>}
    </div>
  );
}

/** The receipt of the store's check-in (nothing without one), its wait shown as the band. */
export function CheckedInScreen({ clinicName }: { clinicName?: string | null }) {
  const { t } = useTranslation();
  const receipt = useKiosk((s) => s.receipt);
  if (!receipt) return null;
  const wait = t(`waitBand.${receipt.band}`);
  const bridge = native();

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
      {bridge && clinicName && (
        <PrintTicket bridge={bridge} receipt={receipt} wait={wait} clinicName={clinicName} />
      )}
      <div className="kiosk-done__timer" aria-hidden="true" />
    </section>
  );
}
