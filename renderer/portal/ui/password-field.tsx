/**
 * A password input with a show/hide button (typing on a phone is error-prone; WCAG 3.3.8 allows paste
 * and managers: no blocking), and, for a new password, the rules listed under it and ticked as they are
 * met (the list is tied to the input with `aria-describedby`).
 */
import { useId, useState, type Ref } from 'react';
import { PASSWORD_MAX, PASSWORD_MIN } from '../forms.ts';
import { usePortalT } from '../i18n.ts';
import { Field } from './field.tsx';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** 'new-password' shows the rules; 'current-password' does not. */
  autoComplete: 'new-password' | 'current-password';
  error?: string | null;
  ref?: Ref<HTMLInputElement>;
  testId?: string;
}

/** Renders the field, its visibility toggle and (for new passwords) the rules. */
export function PasswordField({ label, value, onChange, autoComplete, error, ref, testId }: Props) {
  const { t } = usePortalT();
  const [visible, setVisible] = useState(false);
  const rulesId = useId();
  const isNew = autoComplete === 'new-password';
  // Ticked only once something is typed (an empty field meets "at most 128", which would mislead).
  const typed = value.length > 0;
  const rules = [
    {
      key: 'min',
      met: typed ? value.length >= PASSWORD_MIN : null,
      text: t('password.minLength', { min: PASSWORD_MIN }),
    },
    {
      key: 'max',
      met: typed ? value.length <= PASSWORD_MAX : null,
      text: t('password.maxLength', { max: PASSWORD_MAX }),
    },
    { key: 'common', met: null, text: t('password.notCommon') },
  ];
  return (
    <div className="p-password">
      <Field
        ref={ref}
        label={label}
        type={visible ? 'text' : 'password'}
        autoComplete={autoComplete}
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        describedBy={isNew ? rulesId : undefined}
        testId={testId}
        addon={
          <button
            type="button"
            className="p-btn p-btn--ghost p-password__toggle"
            aria-pressed={visible}
            onClick={() => setVisible((v) => !v)}
          >
            {visible ? t('common.hidePassword') : t('common.showPassword')}
          </button>
        }
      />
      {isNew && (
        <div id={rulesId} className="p-password__rules">
          <p>{t('password.rulesTitle')}</p>
          <ul>
            {rules.map((r) => (
              <li key={r.key} className={r.met === null ? '' : r.met ? 'is-met' : 'is-unmet'}>
                <span aria-hidden="true">{r.met === null ? '•' : r.met ? '✓' : '○'} </span>
                {r.text}
                {r.met !== null && (
                  <span className="visually-hidden"> {r.met ? t('password.met') : t('password.notMet')}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
