/**
 * Configuração → Impressoras (only in the Electron app, where `native()` is the bridge): the printer the
 * desk's receipts go to, chosen from the printers the OS lists (IPC `print:printers`), saved in main's
 * settings (`print:settings:set { receipt }`, electron/main/print.ts). "None" keeps the fallback: the
 * receipt is saved as a PDF. The kiosk's ticket printer is chosen in the kiosk's own staff menu
 * (renderer/kiosk/staff-exit.tsx), shown here for reference. PT-PT and English text kept beside it.
 *
 * Integration: `<PrintersSection bridge={native()} />` in the settings page when the bridge exists.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CfdBridge } from '../shared/native.ts';

const pt = {
  section: 'Impressoras',
  intro: 'A impressora para onde vão os recibos desta receção.',
  receipt: 'Impressora de recibos',
  none: 'Nenhuma (guardar o recibo em PDF)',
  ticket: 'Impressora de senhas do quiosque',
  noTicketPrinter: 'Nenhuma (a senha fica só no ecrã)',
  ticketHint: 'Escolhe-se no menu do pessoal do quiosque.',
  noPrinters: 'O sistema não indica nenhuma impressora. Os recibos são guardados em PDF.',
  saved: 'Impressora de recibos guardada.',
  failed: 'Não foi possível guardar a escolha. Tente novamente.',
  loadFailed: 'Não foi possível ler as impressoras do sistema.',
};
const en: typeof pt = {
  section: 'Printers',
  intro: "The printer this desk's receipts go to.",
  receipt: 'Receipt printer',
  none: 'None (save the receipt as a PDF)',
  ticket: "Kiosk's ticket printer",
  noTicketPrinter: 'None (the ticket is shown on screen only)',
  ticketHint: "Chosen in the kiosk's staff menu.",
  noPrinters: 'The system lists no printer. Receipts are saved as PDF.',
  saved: 'Receipt printer saved.',
  failed: 'The choice could not be saved. Please try again.',
  loadFailed: "The system's printers could not be read.",
};

/** The section's text in the page's language. */
export function usePrinterText(): typeof pt {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? en : pt;
}

/** The printers section; `bridge` is the app's native bridge (the section is not shown without it). */
export function PrintersSection({ bridge }: { bridge: CfdBridge }) {
  const text = usePrinterText();
  const id = useId();
  const [printers, setPrinters] = useState<{ name: string; displayName: string }[] | null>(null);
  const [settings, setSettings] = useState<{ receipt: string | null; ticket: string | null } | null>(null);
  const [message, setMessage] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);

  useEffect(() => {
    void Promise.all([bridge.printPrinters(), bridge.printSettingsGet()]).then(([p, s]) => {
      setPrinters(p.ok ? p.value : []);
      if (s.ok) setSettings(s.value);
      if (!p.ok || !s.ok) setMessage({ kind: 'error', text: text.loadFailed });
    });
  }, [bridge, text.loadFailed]);

  const choose = async (name: string) => {
    const res = await bridge.printSettingsSet({ receipt: name || null });
    if (res.ok) {
      setSettings(res.value);
      setMessage({ kind: 'info', text: text.saved });
    } else setMessage({ kind: 'error', text: text.failed });
  };

  const ticketLabel = (name: string | null) =>
    name === null ? text.noTicketPrinter : (printers?.find((p) => p.name === name)?.displayName ?? name);
  return (
    <div className="form" data-testid="printers-section">
      <p className="muted">{text.intro}</p>
      {printers && settings && (
        <>
          <label htmlFor={`${id}-receipt`}>{text.receipt}</label>
          <select
            id={`${id}-receipt`}
            data-testid="receipt-printer"
            value={settings.receipt ?? ''}
            onChange={(e) => void choose(e.target.value)}
          >
            <option value="">{text.none}</option>
            {settings.receipt && !printers.some((p) => p.name === settings.receipt) && (
              <option value={settings.receipt}>{settings.receipt}</option>
            )}
            {printers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.displayName}
              </option>
            ))}
          </select>
          {printers.length === 0 && <p className="muted">{text.noPrinters}</p>}
          <p>
            <span className="muted">{text.ticket}: </span>
            <span data-testid="ticket-printer">{ticketLabel(settings.ticket)}</span>
            <br />
            <span className="muted">{text.ticketHint}</span>
          </p>
        </>
      )}
      {message && (
        <p
          className={`alert alert--${message.kind}`}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="printers-message"
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
