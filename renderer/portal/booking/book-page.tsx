/**
 * Booking, in as few taps as we can: (clinic, only if several) → specialty → practitioner or "any" →
 * day and time → review with the hold's countdown → done (the appointment page with its code and QR).
 * The step follows from the URL's parameters (booking/params.ts). With `?reschedule=<id>` the same flow
 * moves an existing appointment: its specialty is fixed and its practitioner preselected.
 */
import { useEffect, useState } from 'react';
import { getAppointment } from '../api.ts';
import { upsertAppointment, useAppointments } from '../appointments/store.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { useSession } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { ClinicStep } from './clinic-step.tsx';
import { dropHold, useHold } from './hold-store.ts';
import { ANY, bookHref, readBookParams } from './params.ts';
import { PractitionerStep } from './practitioner-step.tsx';
import { usePractitionerName } from './use-practitioner-name.ts';
import { ReviewStep } from './review-step.tsx';
import { SlotStep } from './slot-step.tsx';
import { SpecialtyStep } from './specialty-step.tsx';

/** Renders the current step of the booking flow. */
export function BookPage() {
  const { t } = usePortalT();
  const { search } = useLocation();
  const params = readBookParams(search);
  const clinics = useSession((s) => s.clinics);
  const hold = useHold((s) => s.hold);
  const original = useAppointments((s) => (params.reschedule ? s.byId[params.reschedule] : undefined));
  const [originalError, setOriginalError] = useState<unknown>(null);

  // The appointment being rescheduled.
  useEffect(() => {
    if (!params.reschedule) return;
    let stale = false;
    getAppointment(params.reschedule).then(
      (a) => !stale && upsertAppointment(a),
      (err: unknown) => !stale && setOriginalError(err),
    );
    return () => {
      stale = true;
    };
  }, [params.reschedule]);

  // Rescheduling starts at the times of the same specialty with the same practitioner.
  useEffect(() => {
    if (original && !params.specialty) {
      navigate(
        bookHref({
          reschedule: original.id,
          clinic: original.clinicId,
          specialty: original.specialty,
          practitioner: original.practitionerId,
        }),
        { replace: true },
      );
    }
  }, [original, params.specialty]);

  // Going back from the review (or a reload) gives the held slot back.
  useEffect(() => {
    const current = useHold.getState().hold;
    if (current && params.hold !== current.id) dropHold();
    if (!current && params.hold) navigate(bookHref({ ...params, hold: null }), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the hold parameter matters here
  }, [params.hold]);

  // Leaving the booking pages altogether gives it back too.
  useEffect(
    () => () => {
      if (location.pathname !== '/book') dropHold();
    },
    [],
  );

  const clinic =
    clinics && clinics.length > 0
      ? clinics.length === 1
        ? clinics[0]!
        : (clinics.find((c) => c.id === (params.clinic ?? original?.clinicId)) ?? null)
      : null;
  const practitionerName = usePractitionerName(
    clinic?.id ?? null,
    params.specialty,
    params.practitioner && params.practitioner !== ANY ? params.practitioner : null,
    original,
  );

  if (clinics === null) return <Loading />;
  if (clinics.length === 0) {
    return (
      <div className="p-page">
        <PageHeading>{t('book.title')}</PageHeading>
        <Alert kind="error">{t('book.catalogueUnavailable')}</Alert>
      </div>
    );
  }
  if (params.reschedule && !original) {
    return (
      <div className="p-page">
        <PageHeading>{t('book.rescheduleSlotTitle')}</PageHeading>
        {originalError ? <Alert kind="error">{errorText(t, originalError)}</Alert> : <Loading />}
      </div>
    );
  }
  if (!clinic) return <ClinicStep clinics={clinics} params={params} />;

  // Steps: specialty, practitioner, time, review (rescheduling skips the specialty).
  const total = original ? 3 : 4;
  const offset = original ? 1 : 0;
  if (!params.specialty) return <SpecialtyStep clinic={clinic} params={params} total={total} />;
  if (!params.practitioner) {
    return (
      <PractitionerStep
        clinic={clinic}
        params={{ ...params, specialty: params.specialty }}
        total={total}
        stepOffset={offset}
      />
    );
  }
  if (hold && params.hold === hold.id) {
    return <ReviewStep clinic={clinic} hold={hold} total={total} original={original ?? null} />;
  }
  return (
    <SlotStep
      clinic={clinic}
      params={{ ...params, specialty: params.specialty, practitioner: params.practitioner }}
      total={total}
      original={original ?? null}
      practitionerName={practitionerName}
    />
  );
}
