/** A practitioner picker whose first option (value '') means "all" or "any", as the caller labels it. */
import type { Board } from '../shared/types.ts';

interface Props {
  testId: string;
  value: string;
  onChange: (practitionerId: string) => void;
  /** Label of the '' option, e.g. "Todos" on the filter, "Qualquer" on the walk-in form. */
  emptyLabel: string;
  practitioners: Board['practitioners'];
}

/**
 * A `<select>` of `practitioners` (by display name) preceded by the '' option labelled `emptyLabel`;
 * `onChange` gets the chosen practitioner id, or '' for that first option.
 */
export function PractitionerSelect({ testId, value, onChange, emptyLabel, practitioners }: Props) {
  return (
    <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {practitioners.map((p) => (
        <option key={p.id} value={p.id}>
          {p.displayName}
        </option>
      ))}
    </select>
  );
}
