/** Who is waiting, in predicted order, with an approximate wait ("~N min"). Masked labels only. */
import { useTranslation } from 'react-i18next';
import type { DisplayWaiting } from '../shared/types.ts';

/** Rows that fit a 1080p screen at display type sizes; the rest are summarised. */
const MAX_ROWS = 10;

/**
 * A table of the first 10 waiting patients (label, room, practitioner, wait in whole minutes, never below 0)
 * plus "N more" for the rest, or a "nobody waiting" note; always ends with the "estimates only" note.
 */
export function WaitingList({ waiting }: { waiting: DisplayWaiting[] }) {
  const { t } = useTranslation();
  const shown = waiting.slice(0, MAX_ROWS);
  const hidden = waiting.length - shown.length;
  return (
    <section className="waiting" data-testid="waiting-list" aria-labelledby="waiting-title">
      <h2 id="waiting-title" className="display-heading">
        {t('display.waiting')}
      </h2>
      {waiting.length === 0 ? (
        <p className="waiting__empty">{t('display.noneWaiting')}</p>
      ) : (
        <table className="waiting__table">
          <thead>
            <tr>
              <th scope="col">{t('display.name')}</th>
              <th scope="col">{t('display.room')}</th>
              <th scope="col">{t('display.practitioner')}</th>
              <th scope="col" className="num">
                {t('display.wait')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => (
              <tr key={w.id} data-testid="waiting-row">
                <td className="waiting__label">{w.label}</td>
                <td className="waiting__room">{w.roomName ?? t('common.none')}</td>
                <td className="waiting__practitioner">{w.practitionerName}</td>
                <td className="num waiting__wait" data-testid="waiting-wait" data-band={w.band}>
                  {t(`waitBand.${w.band}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hidden > 0 && <p className="waiting__more">{t('display.more', { count: hidden })}</p>}
      <p className="waiting__note">{t('display.estimates')}</p>
    </section>
  );
}
