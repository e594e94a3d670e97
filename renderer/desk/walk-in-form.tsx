/**
 * Walk-in: a patient without a booking. Creates the patient and an appointment starting now; with
 * "check in now" (default) the patient is also marked arrived and gets a ticket.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { createWalkIn, specialtyName } from './actions.ts';
import { PractitionerSelect } from './practitioner-select.tsx';
import { useDesk } from './store.ts';

/**
 * The walk-in form (name, specialty, practitioner or "any", check-in now). Names shorter than 2 characters
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

  // Until the receptionist picks one, the first specialty is selected.
  const chosenSpecialty = specialties.some((s) => s.id === specialtyId)
    ? specialtyId
    : (specialties[0]?.id ?? '');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = fullName.trim().replace(/\s+/g, ' ');
    if (name.length < 2) {
      setNameError(true);
      nameRef.current?.focus();
      return;
    }
    if (!chosenSpecialty) return;
    setBusy(true);
    const ok = await createWalkIn({ fullName: name, specialtyId: chosenSpecialty, practitionerId, checkIn });
    setBusy(false);
    if (ok) {
      setFullName('');
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
