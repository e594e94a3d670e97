/**
 * Walk-in: a patient without a booking. As the name is typed, the register is searched (name words,
 * accents ignored; `GET /api/patients?q=`) and matching patients are offered, so a returning patient is
 * chosen rather than created again. Then an appointment starting now is created for the chosen or new
 * patient; with "check in now" (default) the patient is also marked arrived and gets a ticket.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { api, unwrap } from '../shared/api.ts';
import { createWalkIn, specialtyName } from './actions.ts';
import { PractitionerSelect } from './practitioner-select.tsx';
import { useDesk } from './store.ts';

/** A patient of the register as the search returns them. */
interface KnownPatient {
  id: string;
  fullName: string;
  phone: string | null;
  birthDate: string | null;
}

/** Matches offered under the name. */
const MAX_MATCHES = 5;
/** Pause in typing before the register is searched, ms (each search is audited). */
const SEARCH_DELAY_MS = 350;

/** 'YYYY-MM-DD' (a date, no time zone) as 'DD/MM/YYYY'. */
function ptDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The walk-in form (name with the register's matches, specialty, practitioner or "any", check-in now). Names shorter than 2 characters
 * (after collapsing spaces) are flagged inline; on success the name is cleared and focused for the next one.
 */
export function WalkInForm() {
  const { t } = useTranslation();
  const id = useId();
  const { specialties, practitioners } = useDesk(
    useShallow((s) => ({
      specialties: s.board?.specialties ?? [],
      practitioners: s.board?.practitioners ?? [],
    })),
  );
  const [fullName, setFullName] = useState('');
  const [specialtyId, setSpecialtyId] = useState('');
  const [practitionerId, setPractitionerId] = useState('');
  const [checkIn, setCheckIn] = useState(true);
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const [found, setFound] = useState<{ q: string; list: KnownPatient[] }>({ q: '', list: [] });
  const [chosen, setChosen] = useState<KnownPatient | null>(null);
  const query = fullName.trim().replace(/\s+/g, ' ');
  // Only the answer to what is typed now is offered.
  const matches = !chosen && query.length >= 3 && found.q === query ? found.list : [];

  // Search the register as the name is typed (debounced; 3 characters or more).
  useEffect(() => {
    if (chosen || query.length < 3) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      unwrap(api.api.patients.$get({ query: { q: query } })).then(
        (list) => !cancelled && setFound({ q: query, list: list.slice(0, MAX_MATCHES) }),
        () => !cancelled && setFound({ q: query, list: [] }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, chosen]);

  // Until the receptionist picks one, the first specialty is selected.
  const chosenSpecialty = specialties.some((s) => s.id === specialtyId)
    ? specialtyId
    : (specialties[0]?.id ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = chosen ? chosen.fullName : query;
    if (name.length < 2) {
      setNameError(true);
      nameRef.current?.focus();
      return;
    }
    if (!chosenSpecialty) return;
    setBusy(true);
    const ok = await createWalkIn({
      patientId: chosen?.id,
      fullName: name,
      specialtyId: chosenSpecialty,
      practitionerId,
      checkIn,
    });
    setBusy(false);
    if (ok) {
      setFullName('');
      setChosen(null);
      setNameError(false);
      nameRef.current?.focus();
    }
  };

  return (
    <section className="panel walkin" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="panel__title">
        {t('desk.walkIn.title')}
      </h2>
      <form data-testid="walkin-form" className="form" onSubmit={(e) => void submit(e)} noValidate>
        {chosen ? (
          <div className="walkin__chosen" data-testid="walkin-chosen">
            <span>{t('desk.walkIn.chosen', { name: chosen.fullName })}</span>
            <button
              type="button"
              className="btn btn--ghost"
              data-testid="walkin-change"
              onClick={() => {
                setChosen(null);
                nameRef.current?.focus();
              }}
            >
              {t('desk.walkIn.change')}
            </button>
          </div>
        ) : (
          <label className="field">
            <span>{t('desk.walkIn.name')}</span>
            <input
              ref={nameRef}
              data-testid="walkin-name"
              value={fullName}
              onChange={(e) => {
                setFullName(e.target.value);
                if (nameError) setNameError(false);
              }}
              autoComplete="off"
              maxLength={120}
              required
              aria-invalid={nameError || undefined}
              aria-describedby={nameError ? `${id}-name-error` : undefined}
            />
            {nameError && (
              <span id={`${id}-name-error`} className="field__error">
                {t('desk.walkIn.nameTooShort')}
              </span>
            )}
          </label>
        )}
        {!chosen && matches.length > 0 && (
          <div
            className="walkin__known"
            data-testid="walkin-known"
            role="group"
            aria-labelledby={`${id}-known`}
          >
            <p id={`${id}-known`} className="walkin__known-title">
              <strong>{t('desk.walkIn.known')}</strong> {t('desk.walkIn.knownHint')}
            </p>
            <ul>
              {matches.map((p) => (
                <li key={p.id}>
                  <span className="walkin__known-name">
                    {p.fullName}
                    <span className="muted">
                      {[p.phone, p.birthDate ? t('desk.walkIn.born', { date: ptDate(p.birthDate) }) : null]
                        .filter(Boolean)
                        .map((x) => ` · ${x}`)
                        .join('')}
                    </span>
                  </span>
                  <button
                    type="button"
                    className="btn"
                    data-testid="walkin-use"
                    aria-label={t('desk.walkIn.useLabel', { name: p.fullName })}
                    onClick={() => {
                      setChosen(p);
                      setNameError(false);
                    }}
                  >
                    {t('desk.walkIn.use')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <label className="field">
          <span>{t('desk.walkIn.specialty')}</span>
          <select
            data-testid="walkin-specialty"
            value={chosenSpecialty}
            onChange={(e) => setSpecialtyId(e.target.value)}
            required
          >
            {specialties.map((s) => (
              <option key={s.id} value={s.id}>
                {specialtyName(s)}
              </option>
            ))}
          </select>
          {specialties.length === 0 && <span className="field__error">{t('desk.walkIn.noSpecialties')}</span>}
        </label>
        <label className="field">
          <span>{t('desk.walkIn.practitioner')}</span>
          <PractitionerSelect
            testId="walkin-practitioner"
            value={practitionerId}
            onChange={setPractitionerId}
            emptyLabel={t('desk.walkIn.any')}
            practitioners={practitioners}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="walkin-checkin"
            checked={checkIn}
            onChange={(e) => setCheckIn(e.target.checked)}
          />
          <span>{t('desk.walkIn.checkIn')}</span>
        </label>
        <button
          type="submit"
          className="btn btn--primary btn--block"
          data-testid="walkin-submit"
          disabled={busy || !chosenSpecialty}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {busy ? t('desk.walkIn.busy') : t('desk.walkIn.submit')}
        </button>
      </form>
    </section>
  );
}
