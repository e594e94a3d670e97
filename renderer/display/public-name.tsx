/**
 * A patient as a public screen shows them: the server's masked label, on one line, shrunk rather than
 * broken when too long, or in its short form (whole words dropped) when even that is too long
 * (fit-text.ts), and the ticket beside it when the server says another entry on the screen reads the
 * same (`showTicket`). Never anything else about the patient.
 */
import { useTranslation } from 'react-i18next';
import { shortLabel } from './fit-text.ts';

/**
 * `label` (masked by the server) and, when `showTicket` and a ticket exist, a ticket badge after it.
 * `minScale` is the smallest font scale the label may be shrunk to (fraction, default fit-text's 0.6).
 */
export function PublicName({
  label,
  ticket,
  showTicket,
  minScale,
  className,
}: {
  label: string;
  ticket: string | null;
  showTicket: boolean;
  minScale?: number;
  className?: string;
}) {
  const { t } = useTranslation();
  const short = shortLabel(label);
  return (
    <span className={`public-name ${className ?? ''}`}>
      <span className="public-name__label" data-testid="display-name" data-fit={minScale ?? ''}>
        <span className="public-name__full">{label}</span>
        {short !== label && <span className="public-name__short">{short}</span>}
      </span>
      {showTicket && ticket && (
        <span className="ticket" data-testid="display-ticket">
          <span className="visually-hidden">{t('display.ticket')} </span>
          {ticket}
        </span>
      )}
    </span>
  );
}
