/**
 * What an appointment is, in a few lines: when (Lisbon time), which specialty with whom, its status and,
 * on the day, the live visit status. Shared by the home page, the lists and the detail page.
 */
import { useSpecialties } from '../catalog.ts';
import { longDate, specialtyName, time } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import type { Appointment } from '../types.ts';
import { StatusBadge } from './status-badge.tsx';
import { VisitLine } from './visit-line.tsx';

interface Props {
  appointment: Appointment;
  /** Heading level of the "when" line inside a list (h3), or a plain paragraph. */
  as?: 'h2' | 'h3' | 'p';
}

/** Renders the summary. */
export function AppointmentSummary({ appointment: a, as: Tag = 'p' }: Props) {
  const { t, lang } = usePortalT();
  const specialties = useSpecialties(a.clinicId);
  const live = a.status === 'confirmed' || a.status === 'awaiting_payment';
  return (
    <div className="p-summary">
      <Tag className="p-summary__when">
        <span className="p-summary__date">{longDate(a.startsAt, lang)}</span>
        <span className="p-summary__time">
          {t('appointments.timeRange', { start: time(a.startsAt, lang), end: time(a.endsAt, lang) })}
        </span>
      </Tag>
      <p className="p-summary__what">
        {specialtyName(specialties ?? null, a.specialty, lang)}
        <span className="p-summary__with"> · {t('appointments.with', { name: a.practitionerName })}</span>
      </p>
      <div className="p-summary__status">
        <StatusBadge status={a.status} />
      </div>
      {live && <VisitLine visit={a.visit} />}
    </div>
  );
}
