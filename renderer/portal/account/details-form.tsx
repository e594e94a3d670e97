/** "Your details": name, mobile, NIF, date of birth and language, saved with PATCH /api/account/me. */
import { useRef, useState, type FormEvent } from 'react';
import { formatPtPhone } from '../../../server/domain/phone.ts';
import { updateMe } from '../api.ts';
import {
  checkBirthDate,
  checkName,
  checkNif,
  checkPhone,
  focusFirstInvalid,
  isValid,
  serverFieldErrors,
  type FieldErrors,
} from '../forms.ts';
import { today } from '../format.ts';
import { errorText, setLang, usePortalT } from '../i18n.ts';
import { setAccount } from '../session.ts';
import type { Account, Lang } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';

type F = 'name' | 'phone' | 'nif' | 'birthDate';

const SERVER_MESSAGES = {
  name: 'validation.nameRequired',
  phone: 'validation.phone',
  nif: 'validation.nif',
  birthDate: 'validation.birthDate',
} as const;

/** Renders the form filled with `account`. */
export function DetailsForm({ account }: { account: Account }) {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({
    name: account.name,
    phone: formatPtPhone(account.phone),
    nif: account.nif ?? '',
    birthDate: account.birthDate ?? '',
  });
  const [locale, setLocale] = useState<Lang>(account.locale);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const set = (field: F) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setSaved(false);
    if (errors[field]) setErrors((x) => ({ ...x, [field]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    const found: FieldErrors<F> = {
      name: checkName(values.name) ?? undefined,
      phone: checkPhone(values.phone) ?? undefined,
      nif: checkNif(values.nif) ?? undefined,
      birthDate: checkBirthDate(values.birthDate, today()) ?? undefined,
    };
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const updated = await updateMe({
        name: values.name.trim(),
        phone: values.phone.trim(),
        nif: values.nif.trim() || null,
        birthDate: values.birthDate || null,
        locale,
      });
      setAccount(updated);
      if (updated.locale !== account.locale) setLang(updated.locale);
      setSaved(true);
    } catch (err) {
      setErrors(serverFieldErrors<F>(err, SERVER_MESSAGES));
      setError(err);
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  const msg = (field: F) => (errors[field] ? t(errors[field]) : null);

  return (
    <section className="p-card" aria-labelledby="account-details">
      <h2 id="account-details">{t('account.detailsTitle')}</h2>
      {saved && <Alert kind="info">{t('account.saved')}</Alert>}
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form
        ref={form}
        className="p-form"
        noValidate
        onSubmit={(e) => void submit(e)}
        data-testid="details-form"
      >
        <Field
          label={t('fields.name')}
          autoComplete="name"
          value={values.name}
          onChange={set('name')}
          error={msg('name')}
          maxLength={120}
        />
        <Field
          label={t('fields.phone')}
          hint={t('fields.phoneHint')}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          value={values.phone}
          onChange={set('phone')}
          error={msg('phone')}
        />
        <Field
          label={t('fields.nif')}
          hint={t('fields.nifHint')}
          optional
          inputMode="numeric"
          autoComplete="off"
          value={values.nif}
          onChange={set('nif')}
          error={msg('nif')}
          maxLength={14}
        />
        <Field
          label={t('fields.birthDate')}
          optional
          type="date"
          autoComplete="bday"
          min="1900-01-01"
          max={today()}
          value={values.birthDate}
          onChange={set('birthDate')}
          error={msg('birthDate')}
        />
        <fieldset className="p-fieldset">
          <legend>{t('fields.locale')}</legend>
          <div className="p-segmented">
            {(['pt', 'en'] as const).map((l) => (
              <label key={l} className="p-segmented__option">
                <input
                  type="radio"
                  name="account-locale"
                  value={l}
                  checked={locale === l}
                  onChange={() => {
                    setLocale(l);
                    setSaved(false);
                  }}
                />
                <span lang={l === 'pt' ? 'pt-PT' : 'en'}>{l === 'pt' ? 'Português' : 'English'}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="p-btn p-btn--primary" disabled={busy} aria-busy={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </form>
    </section>
  );
}
