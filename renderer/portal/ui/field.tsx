/**
 * A labelled form field: the `<label>` names the input, the hint and the error are tied to it with
 * `aria-describedby`, and an error sets `aria-invalid` (WCAG 1.3.1, 3.3.1, 3.3.2). Optional fields say so
 * in their label rather than marking the required ones.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { usePortalT } from '../i18n.ts';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Shown under the label, before the input. */
  hint?: ReactNode;
  /** The error text; null/undefined = valid. */
  error?: string | null;
  optional?: boolean;
  /** Extra ids for `aria-describedby` (e.g. password rules rendered by the caller). */
  describedBy?: string;
  /** Rendered right of the input (e.g. a show-password button). */
  addon?: ReactNode;
  ref?: Ref<HTMLInputElement>;
  testId?: string;
}

/** Renders label, hint, input and error; extra props go to the `<input>`. */
export function Field({ label, hint, error, optional, describedBy, addon, ref, testId, ...input }: Props) {
  const { t } = usePortalT();
  const id = useId();
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const described = [hintId, errorId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`p-field${error ? ' p-field--invalid' : ''}`}>
      <label htmlFor={id} className="p-field__label">
        {label}
        {optional && <span className="p-field__optional"> {t('common.optional')}</span>}
      </label>
      {hint && (
        <p id={hintId!} className="p-field__hint">
          {hint}
        </p>
      )}
      <div className="p-field__control">
        <input
          id={id}
          ref={ref}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          data-testid={testId}
          {...input}
        />
        {addon}
      </div>
      {error && (
        <p id={errorId!} className="p-field__error" data-testid={testId ? `${testId}-error` : undefined}>
          <span aria-hidden="true">! </span>
          {error}
        </p>
      )}
    </div>
  );
}
