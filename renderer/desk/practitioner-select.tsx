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
