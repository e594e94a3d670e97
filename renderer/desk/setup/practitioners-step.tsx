/**
 * Setup step "Practitioners": the list (with photo, room and specialties; deactivate / reactivate) and one
 * form to add or edit a practitioner: full name, the name patients see, usual room, specialties and an
 * optional public photo, shrunk on this computer to ≤ 256 px before upload. This step comes before
 * "Specialties" in the wizard, so the standard specialties not yet offered are listed too: ticking one
 * adds it with its usual length and price (adjusted in the next step).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { practitionerCreateInput } from '../../../server/domain/setup.ts';
import {
  SPECIALTY_CODES,
  SPECIALTY_DEFAULTS,
  type SpecialtyCode,
} from '../../../server/domain/specialties.ts';
import {
  addDefaultSpecialty,
  addPractitioner,
  patchPractitioner,
  photoUrl,
  shrinkPhoto,
  uploadPhoto,
  type PractitionerAdmin,
  type SetupState,
} from './setup-api.ts';
import { InactiveTag, StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { fieldsOf, useAction, type StepProps } from './use-setup.ts';

/** A specialty the form offers: an existing active one (by id) or a standard code not yet offered. */
interface Choice {
  key: string;
  id: string | null;
  code: SpecialtyCode;
  namePt: string;
  nameEn: string;
}

/** Active specialties, then the standard codes the clinic has no row for yet. */
function choicesOf(state: SetupState): Choice[] {
  const existing = state.specialties
    .filter((s) => s.active)
    .map((s) => ({ key: s.id, id: s.id, code: s.code, namePt: s.namePt, nameEn: s.nameEn }));
  const missing = SPECIALTY_CODES.filter((c) => !state.specialties.some((s) => s.code === c)).map((c) => ({
    key: c,
    id: null,
    code: c,
    namePt: SPECIALTY_DEFAULTS[c].namePt,
    nameEn: SPECIALTY_DEFAULTS[c].nameEn,
  }));
  return [...existing, ...missing];
}

/** The form's fields. */
interface Draft {
  fullName: string;
  displayName: string;
  defaultRoomId: string;
  /** Choice keys ticked. */
  specialties: string[];
}

const EMPTY: Draft = { fullName: '', displayName: '', defaultRoomId: '', specialties: [] };

/** The add / edit form. `editing` null: a new practitioner. */
function PractitionerForm({
  state,
  editing,
  onDone,
}: {
  state: SetupState;
  editing: PractitionerAdmin | null;
  onDone: () => Promise<void>;
}) {
  const { tx, lang } = useSetupText();
  const id = useId();
  const action = useAction();
  const [draft, setDraft] = useState<Draft>(
    editing
      ? {
          fullName: editing.fullName,
          displayName: editing.displayName,
          defaultRoomId: editing.defaultRoomId ?? '',
          specialties: [...editing.specialtyIds],
        }
      : EMPTY,
  );
  /** The shrunk photo to upload and its preview address. */
  const [photo, setPhoto] = useState<{ blob: Blob; url: string } | null>(null);
  const choices = choicesOf(state);

  // The preview's object URL is released when the photo is replaced or the form goes.
  useEffect(() => () => (photo ? URL.revokeObjectURL(photo.url) : undefined), [photo]);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    const shrunk = await action.run(() => shrinkPhoto(file));
    if (shrunk) setPhoto({ blob: shrunk, url: URL.createObjectURL(shrunk) });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ticked = choices.filter((c) => draft.specialties.includes(c.key));
    const check = practitionerCreateInput.safeParse({
      fullName: draft.fullName,
      displayName: draft.displayName,
      defaultRoomId: draft.defaultRoomId || null,
      // Placeholder ids for codes still to be added: only the count is checked here.
      specialtyIds: ticked.map((c) => c.id ?? '00000000-0000-4000-8000-000000000000'),
    });
    if (!check.success) {
      action.fail('validation_failed', fieldsOf(check.error.issues));
      return;
    }
    const saved = await action.run(async () => {
      const specialtyIds: string[] = [];
      for (const c of ticked) specialtyIds.push(c.id ?? (await addDefaultSpecialty(c.code)).id);
      const fields = {
        fullName: check.data.fullName,
        displayName: check.data.displayName,
        defaultRoomId: check.data.defaultRoomId,
        specialtyIds,
      };
      const p = editing ? await patchPractitioner(editing.id, fields) : await addPractitioner(fields);
      return photo ? await uploadPhoto(p.id, photo.blob) : p;
    });
    if (saved) {
      setDraft(EMPTY);
      setPhoto(null);
      await onDone();
    }
  };

  const text = (key: 'fullName' | 'displayName', label: string, hint?: string) => (
    <label className="field">
      {label}
      {hint && <span className="field__hint muted">{hint}</span>}
      <input
        name={key}
        value={draft[key]}
        aria-invalid={action.fields[key] ? true : undefined}
        onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
      />
      {action.fields[key] && <span className="field__error">{tx('errors.field')}</span>}
    </label>
  );

  return (
    <form
      className="form setup-card"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h3 id={`${id}-title`} className="setup-card__title">
        {editing ? tx('practitioners.editing', { name: editing.displayName }) : tx('practitioners.new')}
      </h3>
      {text('fullName', tx('practitioners.fullName'))}
      {text('displayName', tx('practitioners.displayName'), tx('practitioners.displayHint'))}
      <label className="field">
        {tx('practitioners.room')}
        <select
          name="room"
          value={draft.defaultRoomId}
          onChange={(e) => setDraft((d) => ({ ...d, defaultRoomId: e.target.value }))}
        >
          <option value="">{tx('practitioners.noRoom')}</option>
          {state.rooms
            .filter((r) => r.active || r.id === draft.defaultRoomId)
            .map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
        </select>
      </label>
      <fieldset className="setup-fieldset" aria-invalid={action.fields.specialtyIds ? true : undefined}>
        <legend>{tx('practitioners.specialties')}</legend>
        {choices.some((c) => c.id === null) && (
          <p className="muted setup-small">{tx('practitioners.newSpecialtyHint')}</p>
        )}
        {choices.map((c) => (
          <label key={c.key} className="check">
            <input
              type="checkbox"
              checked={draft.specialties.includes(c.key)}
              onChange={(e) =>
                setDraft((d) => ({
                  ...d,
                  specialties: e.target.checked
                    ? [...d.specialties, c.key]
                    : d.specialties.filter((k) => k !== c.key),
                }))
              }
            />
            {lang === 'en' ? c.nameEn : c.namePt}
          </label>
        ))}
        {action.fields.specialtyIds && (
          <span className="field__error">{tx('practitioners.pickSpecialty')}</span>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-photo`}>{tx('practitioners.photo')}</label>
        <span className="field__hint muted">{tx('practitioners.photoHint')}</span>
        <div className="setup-photo">
          {photo ? (
            <img
              src={photo.url}
              alt={tx('practitioners.photoAlt', { name: draft.displayName })}
              className="setup-photo__img"
            />
          ) : (
            editing?.photoUpdatedAt && (
              <img
                src={photoUrl(editing.id, editing.photoUpdatedAt)}
                alt={tx('practitioners.photoAlt', { name: editing.displayName })}
                className="setup-photo__img"
              />
            )
          )}
          <input
            id={`${id}-photo`}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            data-testid="practitioner-photo"
            onChange={(e) => void pick(e.target.files?.[0])}
          />
          {photo && (
            <button type="button" className="btn btn--small" onClick={() => setPhoto(null)}>
              {tx('practitioners.removePhoto')}
            </button>
          )}
        </div>
      </div>
      <StepError error={action.error} />
      <div className="setup-card__actions">
        <button
          type="submit"
          className="btn btn--primary"
          disabled={action.busy}
          data-testid="save-practitioner"
        >
          {action.busy ? tx('saving') : editing ? tx('save') : tx('add')}
        </button>
      </div>
    </form>
  );
}

/** The practitioners step. */
export function PractitionersStep({ state, reload }: StepProps) {
  const { tx, lang } = useSetupText();
  const action = useAction();
  const [editing, setEditing] = useState<PractitionerAdmin | null>(null);
  const nameOf = (specialtyId: string) => {
    const s = state.specialties.find((x) => x.id === specialtyId);
    return s ? (lang === 'en' ? s.nameEn : s.namePt) : '';
  };
  const roomOf = (roomId: string | null) => state.rooms.find((r) => r.id === roomId)?.name;

  const toggle = async (p: PractitionerAdmin) => {
    if (await action.run(() => patchPractitioner(p.id, { active: !p.active }))) await reload();
  };

  return (
    <div className="setup-step setup-step--split">
      <div>
        <p className="muted">{tx('practitioners.intro')}</p>
        <StepError error={action.error} />
        {state.practitioners.length === 0 ? (
          <p className="empty">{tx('practitioners.empty')}</p>
        ) : (
          <ul className="setup-list" aria-label={tx('steps.practitioners')}>
            {state.practitioners.map((p) => (
              <li
                key={p.id}
                className="setup-row setup-row--person"
                data-testid="setup-practitioner"
                data-name={p.displayName}
              >
                {p.photoUpdatedAt ? (
                  <img
                    className="setup-avatar"
                    src={photoUrl(p.id, p.photoUpdatedAt)}
                    alt={tx('practitioners.photoAlt', { name: p.displayName })}
                  />
                ) : (
                  <span className="setup-avatar setup-avatar--none" aria-hidden="true">
                    {p.displayName.replace(/^Dr\.?ª?\s+/, '').slice(0, 1)}
                  </span>
                )}
                <span className="setup-row__main">
                  <strong>{p.displayName}</strong> {!p.active && <InactiveTag masculine />}
                  <span className="muted setup-small">
                    {[roomOf(p.defaultRoomId), ...p.specialtyIds.map(nameOf)].filter(Boolean).join(' · ')}
                  </span>
                </span>
                <span className="setup-row__actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    disabled={!p.active}
                    onClick={() => setEditing(p)}
                  >
                    {tx('edit')}
                  </button>
                  <button
                    type="button"
                    className={`btn btn--small ${p.active ? 'btn--danger' : ''}`}
                    disabled={action.busy}
                    onClick={() => void toggle(p)}
                  >
                    {p.active ? tx('deactivate') : tx('reactivate')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <PractitionerForm
          key={editing?.id ?? 'new'}
          state={state}
          editing={editing}
          onDone={async () => {
            setEditing(null);
            await reload();
          }}
        />
        {editing && (
          <button type="button" className="btn btn--ghost" onClick={() => setEditing(null)}>
            {tx('cancel')}
          </button>
        )}
      </div>
    </div>
  );
}
