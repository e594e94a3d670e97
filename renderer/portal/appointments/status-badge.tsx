/** An appointment's status as a badge (text and colour; each pair ≥ 7:1 contrast). */
import { usePortalT } from '../i18n.ts';
import type { AppointmentStatus } from '../types.ts';

/** Renders the badge. */
export function StatusBadge({ status }: { status: AppointmentStatus }) {
  const { t } = usePortalT();
  return (
    <span className={`p-badge p-badge--${status}`} data-testid="appointment-status" data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
