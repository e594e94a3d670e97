/**
 * The day's live status of a visit, as the clinic records it: "Checked in · Room 3 · ~10 min". Updated
 * by the server's events and announced politely (a live region), so a patient waiting with the page open
 * hears when they are called.
 */
import { usePortalT, type PortalKey } from '../i18n.ts';
import type { Visit } from '../types.ts';

const KNOWN: Record<string, PortalKey> = {
  scheduled: 'visit.scheduled',
  arrived: 'visit.arrived',
  called: 'visit.called',
  in_session: 'visit.in_session',
  done: 'visit.done',
  no_show: 'visit.no_show',
  cancelled: 'visit.cancelled',
};

/** Renders the line, or an empty live region when there is no visit yet (so later news is announced). */
export function VisitLine({ visit }: { visit: Visit | null }) {
  const { t } = usePortalT();
  const key = visit ? KNOWN[visit.status] : undefined;
  const parts =
    visit && key && visit.status !== 'scheduled'
      ? [
          t(key),
          ...(visit.room ? [t('visit.room', { room: visit.room })] : []),
          ...(visit.waitMin !== null && visit.status === 'arrived'
            ? [t('visit.wait', { min: visit.waitMin })]
            : []),
        ]
      : [];
  return (
    <p className={parts.length ? 'p-visit' : 'p-visit p-visit--empty'} aria-live="polite" data-testid="visit">
      {parts.length > 0 && (
        <>
          <span className="p-visit__dot" aria-hidden="true" />
          {parts.join(' · ')}
        </>
      )}
    </p>
  );
}
