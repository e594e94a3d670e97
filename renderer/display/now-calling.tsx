/**
 * "Now calling": the newest call big, earlier ones below. Only the server's masked `label` and the room
 * are shown — never anything else about the patient. The newest card is keyed by its call, so a new
 * call remounts it and its highlight animation plays.
 */
import { useTranslation } from 'react-i18next';
import type { DisplayCall } from '../shared/types.ts';
import { callKey } from './use-announcements.ts';

/**
 * Renders `calls` newest first, as the server orders them (label → room), or a "nobody called" note; the
 * newest sits in an assertive live region so screen readers read it out.
 */
export function NowCalling({ calls }: { calls: DisplayCall[] }) {
  const { t } = useTranslation();
  const [newest, ...earlier] = calls;
  return (
    <section className="now-calling" data-testid="now-calling" aria-labelledby="now-calling-title">
      <h2 id="now-calling-title" className="display-heading">
        {t('display.nowCalling')}
      </h2>
      {newest ? (
        <div aria-live="assertive" aria-atomic="true">
          <div key={callKey(newest)} className="call call--newest" data-testid="now-calling-item">
            <span className="call__label">{newest.label}</span>
            <span className="call__dest">
              <span className="call__arrow" aria-label={t('display.goTo')}>
                →
              </span>{' '}
              <span className="call__room">{newest.roomName}</span>
            </span>
          </div>
        </div>
      ) : (
        <p className="now-calling__empty">{t('display.nothingCalling')}</p>
      )}
      {earlier.length > 0 && (
        <ul className="call-list">
          {earlier.map((c) => (
            <li key={callKey(c)} className="call" data-testid="now-calling-item">
              <span className="call__label">{c.label}</span>
              <span className="call__dest">
                <span className="call__arrow" aria-label={t('display.goTo')}>
                  →
                </span>{' '}
                <span className="call__room">{c.roomName}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
