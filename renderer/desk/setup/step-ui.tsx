/** Small pieces every setup step shows: its error alert, a field's error line and a status badge. */
import { useSetupText } from './strings.ts';

/** The step's error as an alert (nothing when there is none). */
export function StepError({ error }: { error: unknown }) {
  const { errorText } = useSetupText();
  if (error === null || error === undefined) return null;
  return (
    <p className="alert alert--error" role="alert" data-testid="setup-error">
      {errorText(error)}
    </p>
  );
}

/** The line under an invalid field: the NIF's and phone's own text, or a generic one. */
export function FieldError({ id, field }: { id: string; field: 'nif' | 'phone' | 'field' }) {
  const { tx } = useSetupText();
  return (
    <span id={id} className="field__error">
      {tx(`errors.${field}`)}
    </span>
  );
}

/** "Inactive" beside a deactivated row. */
export function InactiveTag({ masculine = false }: { masculine?: boolean }) {
  const { tx } = useSetupText();
  return <span className="tag setup-tag--inactive">{masculine ? tx('inactiveM') : tx('inactive')}</span>;
}
