/**
 * Booking step 3: when. A week strip (7 days from `from`, Lisbon calendar) and the chosen day's free
 * times as buttons, shown in Lisbon time whatever the phone's zone. A tap holds the slot (POST /api/holds)
 * and opens the review; a patient who is not logged in is sent to log in first and returns here. If the
 * slot was just taken (409 `slot_unavailable`) we say so and refresh the times.
 */
import { useEffect, useState } from 'react';
import { ApiError, createHold, getAvailability } from '../api.ts';
import { addDays } from '../../../server/domain/time.ts';
import { useSpecialties } from '../catalog.ts';
import { dayLong, money, specialtyName, time, today } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate, useLocation } from '../router.ts';
import { flash, useSession } from '../session.ts';
import type { Appointment, Availability, Clinic } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { DayStrip } from './day-strip.tsx';
import { setHold } from './hold-store.ts';
import { ANY, bookHref, type BookParams } from './params.ts';
import { StepHeader } from './step-header.tsx';

/** How far ahead the patient can page (weeks). */
const MAX_WEEKS_AHEAD = 12;

interface Props {
  clinic: Clinic;
  params: BookParams & { specialty: string; practitioner: string };
  total: number;
  /** The appointment being rescheduled, if any. */
  original: Appointment | null;
  /** The chosen practitioner's name (null for "any"). */
  practitionerName: string | null;
}

/** Renders the day strip and the times of the selected day. */
export function SlotStep({ clinic, params, total, original, practitionerName }: Props) {
  const { t, lang } = usePortalT();
  const { href } = useLocation();
  const status = useSession((s) => s.status);
  const specialties = useSpecialties(clinic.id);
  const specialty = specialties?.find((s) => s.code === params.specialty);
  const first = today();
  const from = params.from && params.from >= first ? params.from : first;
  const practitionerId = params.practitioner === ANY ? undefined : params.practitioner;
  const key = `${clinic.id}|${params.specialty}|${practitionerId ?? ''}|${from}`;

  const [data, setData] = useState<{ key: string; availability?: Availability; error?: unknown }>({
    key: '',
  });
  const [reload, setReload] = useState(0);
  const [holding, setHolding] = useState<string | null>(null);
  const [holdError, setHoldError] = useState<unknown>(null);

  useEffect(() => {
    let stale = false;
    getAvailability(clinic.id, { specialty: params.specialty, practitionerId, from, days: 7 }).then(
      (availability) => !stale && setData({ key, availability }),
      (error: unknown) => !stale && setData({ key, error }),
    );
    return () => {
      stale = true;
    };
  }, [clinic.id, params.specialty, practitionerId, from, key, reload]);

  const availability = data.key === key ? data.availability : undefined;
  const loadError = data.key === key ? data.error : undefined;
  const days = availability?.days ?? [];
  const selected =
    (params.day && days.find((d) => d.date === params.day)) ||
    days.find((d) => d.slots.length > 0) ||
    days[0];

  const go = (changes: Partial<BookParams>) => {
    setHoldError(null);
    navigate(bookHref({ ...params, ...changes }), { replace: true });
  };
  const lastFrom = addDays(first, 7 * MAX_WEEKS_AHEAD);

  const choose = async (startsAt: string) => {
    setHoldError(null);
    if (status !== 'authenticated') {
      flash('/login', 'book.loginToBook');
      navigate(`/login?next=${encodeURIComponent(href)}`);
      return;
    }
    setHolding(startsAt);
    try {
      const hold = await createHold({
        clinicId: clinic.id,
        specialty: params.specialty,
        ...(practitionerId ? { practitionerId } : {}),
        ...(params.reschedule ? { replaces: params.reschedule } : {}),
        startsAt,
      });
      setHold(hold);
      navigate(bookHref({ ...params, day: selected?.date ?? null, from, hold: hold.id }));
    } catch (err) {
      setHoldError(err);
      if (err instanceof ApiError && err.code === 'slot_unavailable') setReload((n) => n + 1);
    } finally {
      setHolding(null);
    }
  };

  const changeBase = { clinic: params.clinic, reschedule: params.reschedule, language: params.language };
  const choices = [
    {
      label: t('book.specialty'),
      value: specialty
        ? `${specialtyName(specialties ?? null, params.specialty, lang)} · ${t('book.duration', { min: specialty.durationMin })} · ${money(specialty.priceCents, lang)}`
        : specialtyName(specialties ?? null, params.specialty, lang),
      ...(original ? {} : { changeHref: bookHref(changeBase), changeLabel: t('book.changeSpecialty') }),
    },
    {
      label: t('book.practitioner'),
      value: practitionerName ?? t('book.any'),
      changeHref: bookHref({ ...changeBase, specialty: params.specialty }),
      changeLabel: t('book.changePractitioner'),
    },
  ];

  return (
    <div className="p-page">
      <StepHeader
        step={total - 1}
        total={total}
        title={original ? t('book.rescheduleSlotTitle') : t('book.slotTitle')}
        choices={choices}
      />
      <p className="p-muted p-tz">{t('book.timeZoneNote')}</p>
      {holdError !== null && (
        <Alert kind="error" testId="hold-error">
          {holdError instanceof ApiError && holdError.code === 'slot_unavailable'
            ? t('book.slotTaken')
            : errorText(t, holdError)}
        </Alert>
      )}
      {loadError !== undefined && (
        <Alert kind="error">
          {errorText(t, loadError)}{' '}
          <button type="button" className="p-btn p-btn--small" onClick={() => setReload((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {!availability && loadError === undefined && <Loading />}
      {availability && (
        <>
          <DayStrip
            days={days}
            selected={selected?.date ?? null}
            onSelect={(day) => go({ day, from })}
            onPrevWeek={
              from > first ? () => go({ from: maxDate(first, addDays(from, -7)), day: null }) : null
            }
            onNextWeek={from < lastFrom ? () => go({ from: addDays(from, 7), day: null }) : null}
          />
          {days.every((d) => d.slots.length === 0) ? (
            <div className="p-empty">
              <p>{practitionerId ? t('book.noSlotsWeekPractitioner') : t('book.noSlotsWeek')}</p>
              <div className="p-actions p-actions--center">
                {from < lastFrom && (
                  <button
                    type="button"
                    className="p-btn"
                    onClick={() => go({ from: addDays(from, 7), day: null })}
                  >
                    {t('book.nextWeek')}
                  </button>
                )}
                {practitionerId && (
                  <button type="button" className="p-btn" onClick={() => go({ practitioner: ANY })}>
                    {t('book.tryAny')}
                  </button>
                )}
              </div>
            </div>
          ) : (
            selected && (
              <section className="p-slots" aria-labelledby="slots-title">
                <h2 id="slots-title" className="p-slots__title">
                  {t('book.slotsFor', { day: dayLong(selected.date, lang) })}
                </h2>
                {selected.slots.length === 0 ? (
                  <p className="p-empty">{t('book.noSlotsDay')}</p>
                ) : (
                  <ul className="p-slots__list" data-testid="slots">
                    {selected.slots.map((slot) => (
                      <li key={slot.startsAt}>
                        <button
                          type="button"
                          className="p-slot"
                          data-testid="slot"
                          data-starts-at={slot.startsAt}
                          disabled={holding !== null}
                          aria-busy={holding === slot.startsAt}
                          onClick={() => void choose(slot.startsAt)}
                        >
                          {holding === slot.startsAt ? <span className="spinner" aria-hidden="true" /> : null}
                          {time(slot.startsAt, lang)}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                {status === 'anonymous' && <p className="p-muted">{t('book.loginHint')}</p>}
              </section>
            )
          )}
        </>
      )}
    </div>
  );
}

const maxDate = (a: string, b: string): string => (a > b ? a : b);
