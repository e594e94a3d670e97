/**
 * "Now calling": the newest call big, earlier ones below. Only the server's masked `label` (with the
 * ticket when two labels on screen collide) and the room are shown — never anything else about the
 * patient. The server drops a call after a few minutes (CALL_DISPLAY_MS). The newest card is keyed by its
 * call, so a new call remounts it and its highlight animation plays.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplayCall } from '../shared/types.ts';
import { useFitLabels } from './fit-text.ts';
import { PublicName } from './public-name.tsx';
import { callKey } from './use-announcements.ts';

/** Label (+ ticket) → room of one call; the label never wraps, the label and the room may. */
function CallLine({ call, minScale }: { call: DisplayCall; minScale?: number }) {
  const { t } = useTranslation();
  return (
    <>
      <PublicName
        className="call__who"
        label={call.label}
        ticket={call.ticket}
        showTicket={call.showTicket}
        minScale={minScale}
      />
      <span className="call__dest">
        <span className="call__arrow" aria-label={t('display.goTo')}>
          →
        </span>{' '}
        <span className="call__room">{call.roomName}</span>
      </span>
    </>
  );
}

/**
 * Renders `calls` newest first, as the server orders them (label → room), or a "nobody called" note; the
 * newest sits in an assertive live region so screen readers read it out.
 */
export function NowCalling({ calls }: { calls: DisplayCall[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  useFitLabels(ref, calls);
  const [newest, ...earlier] = calls;
  return (
    <section ref={ref} className="now-calling" data-testid="now-calling" aria-labelledby="now-calling-title">
      <h2 id="now-calling-title" className="display-heading">
        {t('display.nowCalling')}
      </h2>
      {newest ? (
        <div aria-live="assertive" aria-atomic="true">
          <div key={callKey(newest)} className="call call--newest" data-testid="now-calling-item">
            <CallLine call={newest} minScale={0.4} />
          </div>
        </div>
      ) : (
        <p className="now-calling__empty">{t('display.nothingCalling')}</p>
      )}
      {earlier.length > 0 && (
        <ul className="call-list">
          {earlier.map((c) => (
            <li key={callKey(c)} className="call" data-testid="now-calling-item">
              <CallLine call={c} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
