/**
 * Who is waiting, in predicted order, with an approximate wait band. Masked labels only (with the ticket
 * when two labels on screen collide). Up to 40 are listed, in one or two columns (waiting-layout.ts) whose
 * type display.css sizes to the screen; names are kept on one line and shrunk rather than broken.
 */
import { useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplayWaiting } from '../shared/types.ts';
import { useFitLabels } from './fit-text.ts';
import { PublicName } from './public-name.tsx';
import { waitingLayout } from './waiting-layout.ts';

/**
 * The first `MAX_SHOWN` waiting patients (label [+ ticket], room, practitioner in the one-column layout,
 * wait band) plus "N more" for the rest, or a "nobody waiting" note; always ends with the "estimates
 * only" note.
 */
export function WaitingList({ waiting }: { waiting: DisplayWaiting[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLOListElement>(null);
  useFitLabels(ref, waiting);
  const layout = waitingLayout(waiting.length);
  const shown = waiting.slice(0, layout.shown);
  const style = { '--cols': layout.cols, '--rows': layout.rows } as CSSProperties;
  return (
    <section className="waiting" data-testid="waiting-list" aria-labelledby="waiting-title">
      <h2 id="waiting-title" className="display-heading">
        {t('display.waiting')}
      </h2>
      {waiting.length === 0 ? (
        <p className="waiting__empty">{t('display.noneWaiting')}</p>
      ) : (
        <div className="waiting__box">
          <ol ref={ref} className="waiting__list" data-cols={layout.cols} style={style}>
            {shown.map((w) => (
              <li key={w.id} className="waiting__item" data-testid="waiting-row">
                <PublicName
                  className="waiting__name"
                  label={w.label}
                  ticket={w.ticket}
                  showTicket={w.showTicket}
                />
                <span className="waiting__room">{w.roomName ?? t('common.none')}</span>
                {layout.cols === 1 && <span className="waiting__practitioner">{w.practitionerName}</span>}
                <span className="waiting__wait" data-testid="waiting-wait" data-band={w.band}>
                  {t(`waitBand.${w.band}`)}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
      <p className="waiting__note">
        {layout.hidden > 0 && (
          <span className="waiting__more" data-testid="waiting-more">
            {t('display.more', { count: layout.hidden })}
          </span>
        )}
        <span>{t('display.estimates')}</span>
      </p>
    </section>
  );
}
