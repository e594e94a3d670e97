/**
 * Payment step 1: who the invoice is made out to (name; NIF optional, none = "Consumidor final";
 * address optional), saved with PUT /api/pay/{token}/invoice-details before a method can be chosen.
 * The NIF's check digit is verified here with the server's own rule, and the server's `nif_invalid`
 * lands on the same field. Once saved the step folds into a summary with "Change". The draft lives in
 * the page (`draft`/`onDraft`), so folding, a failed save or a live update never loses what was typed.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { InvoiceDetailsInput, PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { focusFirstInvalid, isValid, type FieldErrors } from '../forms.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { Alert } from '../ui/alert.tsx';
import { Field } from '../ui/field.tsx';
import { saveInvoiceDetails } from './pay-api.ts';
import {
  ADDRESS_MAX,
  checkInvoiceDraft,
  invoiceInput,
  invoiceServerErrors,
  isFinalConsumer,
  type InvoiceDraft,
  type InvoiceField,
} from './pay-logic.ts';

interface Props {
  token: string;
  /** The saved details, or null before the first save. */
  saved: InvoiceDetailsInput | null;
  /** Show the form (no details yet, or the patient chose "Change"). */
  editing: boolean;
  onEdit: () => void;
  draft: InvoiceDraft;
  onDraft: (draft: InvoiceDraft) => void;
  /** Called with the server's answer after a save. */
  onSaved: (order: PayOrderDto) => void;
}

/** Renders the form, or the saved details with "Change". */
export function InvoiceStep({ token, saved, editing, onEdit, draft, onDraft, onSaved }: Props) {
  const { t } = usePortalT();
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<InvoiceField>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = (field: InvoiceField) => (e: { target: { value: string } }) => {
    onDraft({ ...draft, [field]: e.target.value });
    if (errors[field]) setErrors((x) => ({ ...x, [field]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const found = checkInvoiceDraft(draft);
    setErrors(found);
    if (!isValid(found)) {
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      onSaved(await saveInvoiceDetails(token, invoiceInput(draft)));
    } catch (err) {
      const fields = invoiceServerErrors(err);
      setErrors(fields);
      // A field's own message says it all; anything else is shown above the form.
      if (isValid(fields)) setError(err);
      focusFirstInvalid(form.current);
    } finally {
      setBusy(false);
    }
  };

  const msg = (field: InvoiceField) => (errors[field] ? t(errors[field]) : null);

  if (saved && !editing) {
    return (
      <section className="p-card p-pay-step" aria-labelledby="pay-details" data-testid="pay-details-saved">
        <div className="p-section__head">
          <h2 id="pay-details">{t('pay.detailsTitle')}</h2>
          <button
            type="button"
            className="p-btn p-btn--small"
            onClick={onEdit}
            aria-label={t('pay.editDetailsAria')}
            data-testid="pay-details-edit"
          >
            {t('pay.editDetails')}
          </button>
        </div>
        <dl className="p-facts">
          <div>
            <dt>{t('pay.invoiceName')}</dt>
            <dd>{saved.name}</dd>
          </div>
          <div>
            <dt>{t('fields.nif')}</dt>
            <dd data-testid="pay-details-nif">
              {isFinalConsumer(saved) ? t('pay.finalConsumer') : saved.nif}
            </dd>
          </div>
          {saved.address && (
            <div>
              <dt>{t('pay.address')}</dt>
              <dd>{saved.address}</dd>
            </div>
          )}
        </dl>
      </section>
    );
  }

  return (
    <section className="p-card p-pay-step" aria-labelledby="pay-details">
      <h2 id="pay-details">{t('pay.detailsTitle')}</h2>
      <p className="p-muted">{t('pay.detailsIntro')}</p>
      {error !== null && <Alert kind="error">{errorText(t, error)}</Alert>}
      <form
        ref={form}
        className="p-form"
        noValidate
        onSubmit={(e) => void submit(e)}
        data-testid="pay-details-form"
      >
        <Field
          label={t('pay.invoiceName')}
          autoComplete="name"
          value={draft.name}
          onChange={set('name')}
          error={msg('name')}
          maxLength={120}
          testId="pay-name"
        />
        <Field
          label={t('fields.nif')}
          optional
          hint={t('pay.nifHint')}
          inputMode="numeric"
          autoComplete="off"
          value={draft.nif}
          onChange={set('nif')}
          error={msg('nif')}
          maxLength={20}
          testId="pay-nif"
        />
        <Field
          label={t('pay.address')}
          optional
          autoComplete="street-address"
          value={draft.address}
          onChange={set('address')}
          error={msg('address')}
          maxLength={ADDRESS_MAX}
          testId="pay-address"
        />
        <button
          type="submit"
          className="p-btn p-btn--primary p-btn--large"
          disabled={busy}
          aria-busy={busy}
          data-testid="pay-details-save"
        >
          {busy ? t('pay.savingDetails') : t('pay.saveDetails')}
        </button>
      </form>
    </section>
  );
}
