/**
 * Setup step "Clinic": name, NIF, address and phone, checked with the server's own contract
 * (server/domain/setup.ts `clinicInput`) before sending, so a wrong NIF check digit is flagged at once.
 */
import { useState, type FormEvent } from 'react';
import { clinicInput } from '../../../server/domain/setup.ts';
import { saveClinic } from './setup-api.ts';
import { useSetupText } from './strings.ts';
import { fieldsOf, useAction, type StepProps } from './use-setup.ts';
import { FieldError, StepError } from './step-ui.tsx';

/** The clinic's identity form. */
export function ClinicStep({ state, reload, formId, onSaved, mode }: StepProps) {
  const { tx } = useSetupText();
  const action = useAction();
  const [draft, setDraft] = useState({
    name: state.steps.clinic ? state.clinic.name : '',
    nif: state.clinic.nif,
    address: state.clinic.address,
    phone: state.clinic.phone,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = clinicInput.safeParse(draft);
    if (!parsed.success) {
      action.fail('validation_failed', fieldsOf(parsed.error.issues));
      return;
    }
    const ok = await action.run(() => saveClinic(parsed.data));
    if (ok) {
      await reload();
      onSaved();
    }
  };

  const field = (key: keyof typeof draft, label: string, hint?: string, type = 'text', auto?: string) => (
    <label className="field">
      {label}
      {hint && <span className="field__hint muted">{hint}</span>}
      <input
        type={type}
        name={key}
        autoComplete={auto}
        value={draft[key]}
        aria-invalid={action.fields[key] ? true : undefined}
        aria-describedby={action.fields[key] ? `${formId}-${key}-error` : undefined}
        onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
      />
      {action.fields[key] && (
        <FieldError id={`${formId}-${key}-error`} field={key === 'nif' || key === 'phone' ? key : 'field'} />
      )}
    </label>
  );

  return (
    <form id={formId} className="form setup-form" noValidate onSubmit={(e) => void submit(e)}>
      <p className="muted">{tx('clinic.intro')}</p>
      {field('name', tx('clinic.name'), undefined, 'text', 'organization')}
      {field('nif', tx('clinic.nif'), tx('clinic.nifHint'), 'text', 'off')}
      {field('address', tx('clinic.address'), undefined, 'text', 'street-address')}
      {field('phone', tx('clinic.phone'), tx('clinic.phoneHint'), 'tel', 'tel')}
      <StepError error={action.error} />
      {mode === 'settings' && (
        <div>
          <button type="submit" className="btn btn--primary" disabled={action.busy}>
            {action.busy ? tx('saving') : tx('save')}
          </button>
        </div>
      )}
    </form>
  );
}
