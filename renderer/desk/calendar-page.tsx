/**
 * The desk's calendar ('#/calendar', issue 10 part 4): any clinic day, one column per practitioner on a
 * time grid (Europe/Lisbon), their working hours, appointments and free slots (`GET /api/calendar`).
 * A free slot opens the booking panel (patient search → specialty → practitioner → free start,
 * `GET /api/calendar/slots`, `POST /api/calendar/appointments`); an appointment opens its panel, to move
 * it (another day, start or practitioner: `POST /api/appointments/:id/reschedule`) or cancel it
 * (`POST /api/appointments/:id/cancel`). The server applies the portal's availability rules and answers
 * 409 slot_taken / 422 slot_in_past | outside_hours, shown as text. Names open the patient card.
 */
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { InferResponseType } from 'hono/client';
import { useTranslation } from 'react-i18next';
import { addDays, clinicDate } from '../../server/domain/time.ts';
import { api, isUnauthorized, sendOnce, unwrap } from '../shared/api.ts';
import { formatDate, formatShortDate, formatTime } from '../shared/format.ts';
import { currentLang, errorKey, type ErrorKey } from '../shared/i18n.ts';
import { specialtyName } from './actions.ts';
import { clinicToday } from './analytics-store.ts';
import { openPatientCard, usePatientCard, type BookingPatient } from './patient-card.tsx';
import { useDesk } from './store.ts';

/** A day as the API answers it (server/clinic/features/calendar/service.ts CalendarDay). */
type CalendarDay = InferResponseType<typeof api.api.calendar.$get, 200>;
type Column = CalendarDay['columns'][number];
type CalAppointment = Column['appointments'][number];
type SlotList = InferResponseType<typeof api.api.calendar.slots.$get, 200>;

/** Grid scale: pixels per minute (a 15-minute slot is 24 px). */
const PX_PER_MIN = 1.6;
const MIN = 60_000;
/** Pause in typing before the register is searched, ms (each search is audited). */
const SEARCH_DELAY_MS = 350;
/** Statuses not drawn on the grid: they no longer hold the practitioner's time. */
const HIDDEN = new Set(['cancelled', 'no_show']);

/** What the side panel shows. */
type Selection =
  { kind: 'book'; practitionerId: string; startsAt: string } | { kind: 'appointment'; id: string } | null;

/** Feedback under the side panel (already translated: it names what was just done). */
interface Feedback {
  tone: 'info' | 'error';
  text: string;
}

function reportUnauthorized(err: unknown): boolean {
  if (!isUnauthorized(err)) return false;
  useDesk.getState().setUnauthorized();
  return true;
}

/** Side-by-side lanes for overlapping appointments (walk-ins can overlap bookings): lane and lane count. */
function lanes(list: CalAppointment[]): Map<string, { lane: number; of: number }> {
  const out = new Map<string, { lane: number; of: number }>();
  let group: CalAppointment[] = [];
  let groupEnd = 0;
  const ends: number[] = [];
  const flush = () => {
    const of = Math.max(1, ...group.map((a) => (out.get(a.id)?.lane ?? 0) + 1));
    for (const a of group) out.set(a.id, { lane: out.get(a.id)!.lane, of });
    group = [];
    ends.length = 0;
  };
  for (const a of list) {
    const start = Date.parse(a.startsAt);
    const end = start + a.durationMin * MIN;
    if (group.length > 0 && start >= groupEnd) flush();
    let lane = ends.findIndex((e) => e <= start);
    if (lane === -1) lane = ends.length;
    ends[lane] = end;
    out.set(a.id, { lane, of: 1 });
    group.push(a);
    groupEnd = Math.max(groupEnd, end);
  }
  flush();
  return out;
}

/** The calendar view. */
export function CalendarPage() {
  const { t } = useTranslation();
  const id = useId();
  const [date, setDate] = useState(clinicToday);
  const [specialtyId, setSpecialtyId] = useState('');
  const [day, setDay] = useState<CalendarDay | null>(null);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [selection, setSelection] = useState<Selection>(null);
  const [feedback, setFeedback] = useState<Feedback | null>(null);

  // Bumped to read the day again after a change made here.
  const [reloads, setReloads] = useState(0);
  // The board's live stream pushes a snapshot after every change on the server (any day): read the day
  // again then too, so a booking made elsewhere (another desk, the kiosk) shows without a reload.
  const boardSeq = useDesk((s) => s.board?.seq);
  const load = useCallback(() => setReloads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    const query = specialtyId ? { date, specialtyId } : { date };
    unwrap(api.api.calendar.$get({ query })).then(
      (d) => {
        if (cancelled) return;
        setDay(d);
        setError(null);
      },
      (err: unknown) => !cancelled && !reportUnauthorized(err) && setError(errorKey(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [date, specialtyId, reloads, boardSeq]);

  // A patient chosen on a card ("book") waits for a slot: say so.
  const bookingPatient = usePatientCard((s) => s.bookingPatient);

  const goTo = (d: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return;
    setDate(d);
    setSelection(null);
  };

  const done = (text: string, next: Selection) => {
    setFeedback({ tone: 'info', text });
    setSelection(next);
    load();
  };

  const selected =
    selection?.kind === 'appointment'
      ? day?.columns.flatMap((c) => c.appointments).find((a) => a.id === selection.id)
      : undefined;

  return (
    <main className="calendar" data-testid="calendar" aria-labelledby={`${id}-title`}>
      <div className="calendar__toolbar panel">
        <h2 id={`${id}-title`} className="calendar__title">
          {t('desk.calendar.title')}
          <span className="calendar__date" data-testid="calendar-date" data-date={date}>
            {formatDate(date, currentLang())}
          </span>
        </h2>
        <div className="calendar__nav" role="group" aria-label={t('desk.calendar.navLabel')}>
          <button
            type="button"
            className="btn"
            data-testid="calendar-prev"
            aria-label={t('desk.calendar.prevDay')}
            onClick={() => goTo(addDays(date, -1))}
          >
            ‹
          </button>
          <button
            type="button"
            className="btn"
            data-testid="calendar-today"
            onClick={() => goTo(clinicToday())}
          >
            {t('desk.calendar.today')}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="calendar-next"
            aria-label={t('desk.calendar.nextDay')}
            onClick={() => goTo(addDays(date, 1))}
          >
            ›
          </button>
          <label className="field field--inline">
            <span>{t('desk.calendar.day')}</span>
            <input
              type="date"
              data-testid="calendar-date-input"
              value={date}
              onChange={(e) => goTo(e.target.value)}
              required
            />
          </label>
          <label className="field field--inline">
            <span>{t('desk.calendar.slotsFor')}</span>
            <select
              data-testid="calendar-specialty"
              value={specialtyId}
              onChange={(e) => setSpecialtyId(e.target.value)}
            >
              <option value="">{t('desk.calendar.anySpecialty')}</option>
              {day?.specialties.map((s) => (
                <option key={s.id} value={s.id}>
                  {specialtyName(s)} ({s.defaultDurationMin} min)
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      {bookingPatient && (
        <p className="alert alert--info calendar__booking-for" data-testid="calendar-booking-for">
          <span>{t('desk.calendar.bookingFor', { name: bookingPatient.fullName })}</span>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => usePatientCard.getState().bookFor(null)}
          >
            {t('desk.calendar.clearPatient')}
          </button>
        </p>
      )}

      <div className="calendar__body">
        <section className="panel calendar__grid-panel" aria-label={t('desk.calendar.gridLabel')}>
          {error ? (
            <p className="alert alert--error" role="alert">
              {t(error)}
            </p>
          ) : !day ? (
            <p className="empty" aria-busy="true">
              <span className="spinner" aria-hidden="true" /> {t('common.loading')}
            </p>
          ) : (
            <DayGrid
              day={day}
              selection={selection}
              onSlot={(practitionerId, startsAt) => {
                setFeedback(null);
                setSelection({ kind: 'book', practitionerId, startsAt });
              }}
              onAppointment={(a) => {
                setFeedback(null);
                setSelection({ kind: 'appointment', id: a.id });
              }}
            />
          )}
        </section>

        <aside className="panel calendar__side">
          {feedback && (
            <p
              className={`alert alert--${feedback.tone}`}
              data-testid="calendar-feedback"
              data-tone={feedback.tone}
              role="status"
            >
              {feedback.text}
            </p>
          )}
          {selection?.kind === 'book' && day ? (
            <BookingPanel
              key={`${selection.practitionerId}|${selection.startsAt}`}
              day={day}
              practitionerId={selection.practitionerId}
              startsAt={selection.startsAt}
              onBooked={(a) => {
                usePatientCard.getState().bookFor(null);
                done(
                  t('desk.calendar.booked', {
                    name: a.patient.fullName,
                    time: formatTime(a.startsAt),
                    practitioner: a.practitioner.displayName,
                  }),
                  { kind: 'appointment', id: a.id },
                );
              }}
              onCancel={() => setSelection(null)}
            />
          ) : selected && day ? (
            <AppointmentPanel
              key={`${selected.id}|${selected.version}`}
              day={day}
              appointment={selected}
              onMoved={(a) => {
                done(
                  t('desk.calendar.moved', {
                    name: a.patient.fullName,
                    date: formatDate(a.startsAt, currentLang()),
                    time: formatTime(a.startsAt),
                  }),
                  { kind: 'appointment', id: a.id },
                );
                // Follow the appointment to its new day.
                setDate(clinicDate(Date.parse(a.startsAt)));
              }}
              onCancelled={(a) => done(t('desk.calendar.cancelled', { name: a.patient.fullName }), null)}
            />
          ) : (
            <p className="muted">{t('desk.calendar.hint')}</p>
          )}
        </aside>
      </div>
    </main>
  );
}

/** The time grid: a time axis and one column per practitioner. */
function DayGrid({
  day,
  selection,
  onSlot,
  onAppointment,
}: {
  day: CalendarDay;
  selection: Selection;
  onSlot(practitionerId: string, startsAt: string): void;
  onAppointment(a: CalAppointment): void;
}) {
  const { t } = useTranslation();
  const shown = (c: Column) => c.appointments.filter((a) => !HIDDEN.has(a.status));
  const bounds = useMemo(() => {
    const starts: number[] = [];
    const ends: number[] = [];
    for (const r of day.opening) {
      starts.push(Date.parse(r.startsAt));
      ends.push(Date.parse(r.endsAt));
    }
    for (const c of day.columns)
      for (const a of shown(c)) {
        starts.push(Date.parse(a.startsAt));
        ends.push(Date.parse(a.startsAt) + a.durationMin * MIN);
      }
    if (starts.length === 0) return null;
    const half = 30 * MIN;
    return {
      from: Math.floor(Math.min(...starts) / half) * half,
      to: Math.ceil(Math.max(...ends) / half) * half,
    };
  }, [day]);

  if (!bounds) return <p className="empty">{t('desk.calendar.closed')}</p>;
  const top = (iso: string) => ((Date.parse(iso) - bounds.from) / MIN) * PX_PER_MIN;
  const height = ((bounds.to - bounds.from) / MIN) * PX_PER_MIN;
  const marks: number[] = [];
  for (let m = bounds.from; m < bounds.to; m += 30 * MIN) marks.push(m);

  return (
    <div
      className="cal-grid"
      style={{ gridTemplateColumns: `3.5rem repeat(${day.columns.length}, minmax(0, 1fr))` }}
    >
      <div className="cal-grid__corner" aria-hidden="true" />
      {day.columns.map((c) => (
        <div key={c.practitioner.id} className="cal-grid__head" data-testid="calendar-column-head">
          {c.practitioner.displayName}
        </div>
      ))}
      <div className="cal-grid__axis" style={{ height }} aria-hidden="true">
        {marks.map((m) => (
          <span key={m} className="cal-grid__mark" style={{ top: ((m - bounds.from) / MIN) * PX_PER_MIN }}>
            {formatTime(m)}
          </span>
        ))}
      </div>
      {day.columns.map((c) => {
        const list = shown(c);
        const lane = lanes(list);
        return (
          <div
            key={c.practitioner.id}
            className="cal-col"
            style={{ height }}
            data-testid="calendar-column"
            data-practitioner={c.practitioner.id}
            role="group"
            aria-label={c.practitioner.displayName}
          >
            {c.hours.map((r) => (
              <div
                key={r.startsAt}
                className="cal-col__hours"
                style={{ top: top(r.startsAt), height: top(r.endsAt) - top(r.startsAt) }}
              />
            ))}
            {c.freeSlots.map((s) => {
              const active =
                selection?.kind === 'book' &&
                selection.practitionerId === c.practitioner.id &&
                selection.startsAt === s.startsAt;
              return (
                <button
                  key={s.startsAt}
                  type="button"
                  className={`cal-slot${active ? ' cal-slot--active' : ''}`}
                  style={{ top: top(s.startsAt), height: 15 * PX_PER_MIN - 2 }}
                  data-testid="calendar-slot"
                  data-starts-at={s.startsAt}
                  aria-label={t('desk.calendar.slotLabel', {
                    time: formatTime(s.startsAt),
                    practitioner: c.practitioner.displayName,
                  })}
                  onClick={() => onSlot(c.practitioner.id, s.startsAt)}
                >
                  {formatTime(s.startsAt)}
                </button>
              );
            })}
            {list.map((a) => {
              const l = lane.get(a.id)!;
              const active = selection?.kind === 'appointment' && selection.id === a.id;
              return (
                <button
                  key={a.id}
                  type="button"
                  className={`cal-appt cal-appt--${a.status}${active ? ' cal-appt--active' : ''}`}
                  style={{
                    top: top(a.startsAt),
                    height: Math.max(a.durationMin * PX_PER_MIN - 2, 20),
                    left: `${(l.lane / l.of) * 100}%`,
                    width: `${100 / l.of}%`,
                  }}
                  data-testid="calendar-appointment"
                  data-id={a.id}
                  data-status={a.status}
                  data-starts-at={a.startsAt}
                  aria-pressed={active}
                  onClick={() => onAppointment(a)}
                >
                  <span className="cal-appt__time">
                    {formatTime(a.startsAt)}–{formatTime(Date.parse(a.startsAt) + a.durationMin * MIN)}
                  </span>
                  <span className="cal-appt__name">{a.patient.fullName}</span>
                  <span className="cal-appt__meta">
                    {specialtyName(a.specialty)} · {t(`status.${a.status}`)}
                  </span>
                </button>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}

/** The practitioners who do `specialtyId` (everyone when nobody has it recorded, as the server reads it). */
function practitionersFor(day: CalendarDay, specialtyId: string): Column['practitioner'][] {
  const all = day.columns.map((c) => c.practitioner);
  const those = all.filter((p) => (p.specialtyIds as readonly string[]).includes(specialtyId));
  return those.length > 0 ? those : all;
}

/** Free starts of a day for a specialty and practitioner (a move passes its appointment id). */
function useSlots(
  date: string,
  specialtyId: string,
  practitionerId: string,
  appointmentId?: string,
): { slots: SlotList['slots'] | null; error: ErrorKey | null } {
  const [state, setState] = useState<{
    key: string;
    slots: SlotList['slots'] | null;
    error: ErrorKey | null;
  }>({
    key: '',
    slots: null,
    error: null,
  });
  const key = `${date}|${specialtyId}|${practitionerId}|${appointmentId ?? ''}`;
  useEffect(() => {
    if (!specialtyId || !practitionerId || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
    let cancelled = false;
    const query = { date, specialtyId, practitionerId, ...(appointmentId ? { appointmentId } : {}) };
    unwrap(api.api.calendar.slots.$get({ query })).then(
      (r) => !cancelled && setState({ key, slots: r.slots, error: null }),
      (err: unknown) =>
        !cancelled && !reportUnauthorized(err) && setState({ key, slots: [], error: errorKey(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, date, specialtyId, practitionerId, appointmentId]);
  return state.key === key ? state : { slots: null, error: null };
}

/** A select of free starts, with a loading and an empty state. */
function SlotSelect({
  slots,
  value,
  onChange,
  testId,
}: {
  slots: SlotList['slots'] | null;
  value: string;
  onChange(v: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  if (slots === null) return <p className="muted">{t('common.loading')}</p>;
  if (slots.length === 0)
    return (
      <p className="muted" data-testid={`${testId}-none`}>
        {t('desk.calendar.noSlots')}
      </p>
    );
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} required>
      {slots.map((s) => (
        <option key={s.startsAt} value={s.startsAt}>
          {formatTime(s.startsAt)}
        </option>
      ))}
    </select>
  );
}

/** The patient search of the booking panel: name, phone, NIF, date of birth or booking code. */
function PatientPicker({
  chosen,
  onChoose,
}: {
  chosen: BookingPatient | null;
  onChoose(p: BookingPatient | null): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{
    q: string;
    list: { id: string; fullName: string; phone: string | null }[];
  }>({ q: '', list: [] });
  const query = q.trim().replace(/\s+/g, ' ');
  useEffect(() => {
    if (chosen || query.length < 3) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      unwrap(api.api.patients.$get({ query: { q: query } })).then(
        (list) => !cancelled && setFound({ q: query, list: list.slice(0, 6) }),
        (err: unknown) => !cancelled && !reportUnauthorized(err) && setFound({ q: query, list: [] }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, chosen]);

  if (chosen)
    return (
      <div className="cal-patient" data-testid="calendar-patient-chosen">
        <button type="button" className="link-btn" onClick={() => openPatientCard(chosen.id)}>
          {chosen.fullName}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => onChoose(null)}>
          {t('desk.walkIn.change')}
        </button>
      </div>
    );
  const matches = query.length >= 3 && found.q === query ? found.list : [];
  return (
    <div className="cal-search">
      <label className="field">
        <span>{t('desk.calendar.patient')}</span>
        <input
          data-testid="calendar-patient-search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('desk.calendar.searchPlaceholder')}
          autoComplete="off"
          aria-describedby={`${id}-hint`}
        />
        <span id={`${id}-hint`} className="muted cal-search__hint">
          {t('desk.calendar.searchHint')}
        </span>
      </label>
      {query.length >= 3 && found.q === query && matches.length === 0 && (
        <p className="muted">{t('desk.calendar.noPatients')}</p>
      )}
      {matches.length > 0 && (
        <ul className="cal-search__list" data-testid="calendar-patient-results">
          {matches.map((p) => (
            <li key={p.id}>
              <span className="cal-search__name">
                {p.fullName}
                {p.phone && <span className="muted"> · {p.phone}</span>}
              </span>
              <button
                type="button"
                className="btn btn--small"
                data-testid="calendar-patient-card"
                aria-label={t('desk.calendar.openCardLabel', { name: p.fullName })}
                onClick={() => openPatientCard(p.id)}
              >
                {t('desk.calendar.openCard')}
              </button>
              <button
                type="button"
                className="btn btn--primary btn--small"
                data-testid="calendar-patient-use"
                aria-label={t('desk.walkIn.useLabel', { name: p.fullName })}
                onClick={() => onChoose({ id: p.id, fullName: p.fullName })}
              >
                {t('desk.walkIn.use')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Booking at a clicked free slot: patient, specialty, practitioner and start (the clicked one if free). */
function BookingPanel({
  day,
  practitionerId: initialPractitioner,
  startsAt: initialStart,
  onBooked,
  onCancel,
}: {
  day: CalendarDay;
  practitionerId: string;
  startsAt: string;
  onBooked(a: CalAppointment): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const fromCard = usePatientCard((s) => s.bookingPatient);
  // Picked here, else the one a card's "book" chose (even while this panel is open).
  const [picked, setPicked] = useState<BookingPatient | null>(null);
  const patient = picked ?? fromCard;
  const choose = (p: BookingPatient | null) => {
    setPicked(p);
    if (!p) usePatientCard.getState().bookFor(null);
  };
  const column = day.columns.find((c) => c.practitioner.id === initialPractitioner);
  const own = day.specialties.filter((s) => column?.practitioner.specialtyIds.includes(s.id));
  const [specialtyId, setSpecialtyId] = useState((own[0] ?? day.specialties[0])?.id ?? '');
  const candidates = practitionersFor(day, specialtyId);
  const [practitionerId, setPractitionerId] = useState(initialPractitioner);
  const chosenPractitioner = candidates.some((p) => p.id === practitionerId)
    ? practitionerId
    : (candidates[0]?.id ?? '');
  const { slots, error: slotsError } = useSlots(day.date, specialtyId, chosenPractitioner);
  const [start, setStart] = useState(initialStart);
  const chosenStart = slots?.some((s) => s.startsAt === start) ? start : (slots?.[0]?.startsAt ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!patient || !chosenStart) return;
    setBusy(true);
    setError(null);
    try {
      const a = await unwrap(
        sendOnce((init) =>
          api.api.calendar.appointments.$post(
            {
              json: {
                patientId: patient.id,
                specialtyId,
                practitionerId: chosenPractitioner,
                startsAt: chosenStart,
              },
            },
            init,
          ),
        ),
      );
      onBooked(a);
    } catch (err) {
      if (!reportUnauthorized(err)) setError(errorKey(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form cal-panel" data-testid="calendar-book" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id={`${id}-title`} className="panel__title">
        {t('desk.calendar.bookTitle')}
      </h3>
      <PatientPicker chosen={patient} onChoose={choose} />
      <label className="field">
        <span>{t('desk.walkIn.specialty')}</span>
        <select
          data-testid="calendar-book-specialty"
          value={specialtyId}
          onChange={(e) => setSpecialtyId(e.target.value)}
        >
          {day.specialties.map((s) => (
            <option key={s.id} value={s.id}>
              {specialtyName(s)} ({s.defaultDurationMin} min)
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.walkIn.practitioner')}</span>
        <select
          data-testid="calendar-book-practitioner"
          value={chosenPractitioner}
          onChange={(e) => setPractitionerId(e.target.value)}
        >
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.calendar.time', { date: formatDate(day.date, currentLang()) })}</span>
        <SlotSelect slots={slots} value={chosenStart} onChange={setStart} testId="calendar-book-time" />
      </label>
      {(error ?? slotsError) && (
        <p className="alert alert--error" role="alert" data-testid="calendar-book-error">
          {t((error ?? slotsError)!)}
        </p>
      )}
      <div className="cal-panel__actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('desk.calendar.back')}
        </button>
        <button
          type="submit"
          className="btn btn--primary"
          data-testid="calendar-book-submit"
          disabled={busy || !patient || !chosenStart}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {t('desk.calendar.book')}
        </button>
      </div>
      {!patient && <p className="muted">{t('desk.calendar.choosePatient')}</p>}
    </form>
  );
}

/** A selected appointment: its details, moving it and cancelling it. */
function AppointmentPanel({
  day,
  appointment: a,
  onMoved,
  onCancelled,
}: {
  day: CalendarDay;
  appointment: CalAppointment;
  onMoved(a: CalAppointment): void;
  onCancelled(a: CalAppointment): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [moveDate, setMoveDate] = useState(day.date);
  const candidates = practitionersFor(day, a.specialty.id);
  const [practitionerId, setPractitionerId] = useState<string>(a.practitioner.id);
  const { slots, error: slotsError } = useSlots(
    moveDate,
    a.status === 'scheduled' ? a.specialty.id : '',
    practitionerId,
    a.id,
  );
  const [start, setStart] = useState(a.startsAt);
  const chosenStart = slots?.some((s) => s.startsAt === start) ? start : (slots?.[0]?.startsAt ?? '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorKey | null>(null);
  const cancellable = a.status === 'scheduled' || a.status === 'arrived';

  const run = async (action: () => Promise<CalAppointment>, after: (x: CalAppointment) => void) => {
    setBusy(true);
    setError(null);
    try {
      after(await action());
    } catch (err) {
      if (!reportUnauthorized(err)) setError(errorKey(err));
    } finally {
      setBusy(false);
    }
  };

  const move = (e: FormEvent) => {
    e.preventDefault();
    if (!chosenStart) return;
    void run(
      () =>
        unwrap(
          api.api.appointments[':id'].reschedule.$post({
            param: { id: a.id },
            json: {
              startsAt: chosenStart,
              expectedVersion: a.version,
              ...(practitionerId !== a.practitioner.id ? { practitionerId } : {}),
            },
          }),
        ),
      onMoved,
    );
  };

  const cancel = () => {
    if (
      !window.confirm(
        t('desk.calendar.confirmCancel', { name: a.patient.fullName, time: formatTime(a.startsAt) }),
      )
    )
      return;
    const why = reason.trim();
    void run(
      () =>
        unwrap(
          api.api.appointments[':id'].cancel.$post({
            param: { id: a.id },
            json: { expectedVersion: a.version, ...(why ? { reason: why } : {}) },
          }),
        ),
      onCancelled,
    );
  };

  return (
    <div className="cal-panel" data-testid="calendar-appointment-panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="panel__title">
        <button
          type="button"
          className="link-btn"
          data-testid="calendar-open-card"
          aria-label={t('desk.calendar.openCardLabel', { name: a.patient.fullName })}
          onClick={() => openPatientCard(a.patient.id)}
        >
          {a.patient.fullName}
        </button>
      </h3>
      <dl className="cal-panel__facts">
        <dt>{t('desk.table.time')}</dt>
        <dd>
          {formatShortDate(a.startsAt)}, {formatTime(a.startsAt)} ({a.durationMin} min)
        </dd>
        <dt>{t('desk.table.practitioner')}</dt>
        <dd>{a.practitioner.displayName}</dd>
        <dt>{t('desk.table.specialty')}</dt>
        <dd>{specialtyName(a.specialty)}</dd>
        <dt>{t('desk.table.status')}</dt>
        <dd>
          <span className={`badge badge--${a.status}`}>{t(`status.${a.status}`)}</span>
        </dd>
        <dt>{t('desk.calendar.code')}</dt>
        <dd className="mono">{a.bookingCode}</dd>
      </dl>

      {a.status === 'scheduled' && (
        <form className="form cal-panel__section" data-testid="calendar-move" onSubmit={move} noValidate>
          <h4>{t('desk.calendar.moveTitle')}</h4>
          <label className="field">
            <span>{t('desk.calendar.day')}</span>
            <input
              type="date"
              data-testid="calendar-move-date"
              value={moveDate}
              onChange={(e) => setMoveDate(e.target.value)}
              required
            />
          </label>
          <label className="field">
            <span>{t('desk.walkIn.practitioner')}</span>
            <select
              data-testid="calendar-move-practitioner"
              value={practitionerId}
              onChange={(e) => setPractitionerId(e.target.value)}
            >
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('desk.calendar.newTime')}</span>
            <SlotSelect slots={slots} value={chosenStart} onChange={setStart} testId="calendar-move-time" />
          </label>
          <button
            type="submit"
            className="btn btn--primary"
            data-testid="calendar-move-submit"
            disabled={
              busy || !chosenStart || (chosenStart === a.startsAt && practitionerId === a.practitioner.id)
            }
          >
            {t('desk.calendar.move')}
          </button>
        </form>
      )}

      {cancellable && (
        <div className="form cal-panel__section">
          <h4>{t('desk.calendar.cancelTitle')}</h4>
          <label className="field">
            <span>{t('desk.calendar.reason')}</span>
            <input
              data-testid="calendar-cancel-reason"
              value={reason}
              maxLength={200}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button
            type="button"
            className="btn btn--danger"
            data-testid="calendar-cancel"
            disabled={busy}
            onClick={cancel}
          >
            {t('desk.calendar.cancel')}
          </button>
        </div>
      )}

      {(error ?? slotsError) && (
        <p className="alert alert--error" role="alert" data-testid="calendar-appointment-error">
          {t((error ?? slotsError)!)}
        </p>
      )}
    </div>
  );
}
