/**
 * The display name of the practitioner chosen in the URL (for the "With" line of the time step): from
 * the appointment being rescheduled when it is theirs, else from the clinic's practitioner list.
 */
import { useEffect, useState } from 'react';
import { listPractitioners } from '../api.ts';
import type { Appointment } from '../types.ts';

/** @returns the name, or null for "any" or while unknown */
export function usePractitionerName(
  clinicId: string | null,
  specialty: string | null,
  practitionerId: string | null,
  original: Appointment | undefined,
): string | null {
  const fromOriginal =
    original && original.practitionerId === practitionerId ? original.practitionerName : null;
  const [found, setFound] = useState<{ id: string; name: string } | null>(null);
  useEffect(() => {
    if (!clinicId || !specialty || !practitionerId || fromOriginal) return;
    let stale = false;
    listPractitioners(clinicId, specialty).then(
      (list) => {
        const p = list.find((x) => x.id === practitionerId);
        if (!stale && p) setFound({ id: p.id, name: p.displayName });
      },
      () => undefined,
    );
    return () => {
      stale = true;
    };
  }, [clinicId, specialty, practitionerId, fromOriginal]);
  if (!practitionerId) return null;
  return fromOriginal ?? (found?.id === practitionerId ? found.name : null);
}
