/**
 * Setup step "Specialties": the standard specialties (server/domain/specialties.ts), each offered or not,
 * with its session length (minutes) and price (typed in euros, '35,00' or '35.00', kept as integer cents
 * and shown with the language's € format). Each row saves on its own.
 */
import { useState } from 'react';
import { centsToDecimal, formatEuros, parseEuros } from '../../../server/domain/money.ts';
import { MAX_PRICE_CENTS } from '../../../server/domain/setup.ts';
import {
  DURATION_MIN_BOUNDS,
  SPECIALTY_CODES,
  SPECIALTY_DEFAULTS,
  type SpecialtyCode,
} from '../../../server/domain/specialties.ts';
import { addSpecialty, patchSpecialty, type SpecialtyAdmin } from './setup-api.ts';
import { InactiveTag, StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { useAction, type StepProps } from './use-setup.ts';

/** Cents as the price field shows them: '35,00' (PT) or '35.00' (EN). */
function priceText(cents: number, lang: 'pt' | 'en'): string {
  const text = centsToDecimal(cents);
  return lang === 'pt' ? text.replace('.', ',') : text;
}

/** The price typed, in cents, or null when it is not an amount within 0 … MAX_PRICE_CENTS. */
function parsePrice(text: string): number | null {
  try {
    const cents = parseEuros(text);
    return cents <= MAX_PRICE_CENTS ? cents : null;
  } catch {
    return null;
  }
}

/** One specialty code: offered or not, length and price. */
function SpecialtyRow({
  code,
  existing,
  onDone,
}: {
  code: SpecialtyCode;
  existing: SpecialtyAdmin | undefined;
  onDone: () => Promise<void>;
}) {
  const { tx, lang } = useSetupText();
  const action = useAction();
  const defaults = SPECIALTY_DEFAULTS[code];
  const cents = existing?.priceCents ?? defaults.priceCents;
  const minutes = existing?.durationMin ?? defaults.defaultDurationMin;
  const [duration, setDuration] = useState(String(minutes));
  const [price, setPrice] = useState(priceText(cents, lang));
  const name = existing
    ? lang === 'en'
      ? existing.nameEn
      : existing.namePt
    : lang === 'en'
      ? defaults.nameEn
      : defaults.namePt;
  const offered = existing?.active === true;

  /** The typed values, or a failure shown on the row. */
  const values = (): { durationMin: number; priceCents: number } | null => {
    const durationMin = Number(duration);
    const priceCents = parsePrice(price);
    if (
      !Number.isInteger(durationMin) ||
      durationMin < DURATION_MIN_BOUNDS.min ||
      durationMin > DURATION_MIN_BOUNDS.max
    ) {
      action.fail('badDuration', { durationMin: true });
      return null;
    }
    if (priceCents === null) {
      action.fail('badPrice', { priceCents: true });
      return null;
    }
    return { durationMin, priceCents };
  };
  const changed =
    existing !== undefined &&
    (String(existing.durationMin) !== duration || priceText(existing.priceCents, lang) !== price);

  const save = async (kind: 'offer' | 'save' | 'toggle') => {
    const v = kind === 'toggle' ? {} : values();
    if (!v) return;
    const done = await action.run(() =>
      kind === 'offer'
        ? addSpecialty({ code, ...(v as { durationMin: number; priceCents: number }) })
        : patchSpecialty(existing!.id, kind === 'save' ? v : { active: !existing!.active }),
    );
    if (done) await onDone();
  };

  const fieldError =
    action.error === 'badDuration'
      ? tx('specialties.badDuration')
      : action.error === 'badPrice'
        ? tx('specialties.badPrice')
        : null;

  return (
    <tr data-testid="setup-specialty" data-code={code} className={offered ? '' : 'setup-row--off'}>
      <th scope="row">
        {name} {existing && !existing.active && <InactiveTag />}
        <div className="muted setup-small">
          {offered
            ? `${tx('specialties.offered')} · ${formatEuros(existing.priceCents, lang)}`
            : tx('specialties.notOffered')}
        </div>
      </th>
      <td>
        <input
          className="setup-num"
          type="number"
          inputMode="numeric"
          min={DURATION_MIN_BOUNDS.min}
          max={DURATION_MIN_BOUNDS.max}
          step={5}
          aria-label={`${tx('specialties.duration')} — ${name}`}
          aria-invalid={action.fields.durationMin ? true : undefined}
          value={duration}
          onChange={(e) => setDuration(e.target.value)}
        />
      </td>
      <td>
        <input
          className="setup-num"
          inputMode="decimal"
          aria-label={`${tx('specialties.price')} — ${name}`}
          aria-invalid={action.fields.priceCents ? true : undefined}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
      </td>
      <td>
        <span className="setup-row__actions">
          {!existing && (
            <button
              type="button"
              className="btn btn--small btn--primary"
              disabled={action.busy}
              onClick={() => void save('offer')}
            >
              {tx('specialties.offer')}
            </button>
          )}
          {existing && changed && existing.active && (
            <button
              type="button"
              className="btn btn--small btn--primary"
              disabled={action.busy}
              onClick={() => void save('save')}
            >
              {tx('save')}
            </button>
          )}
          {existing && (
            <button
              type="button"
              className={`btn btn--small ${existing.active ? 'btn--danger' : ''}`}
              disabled={action.busy}
              onClick={() => void save('toggle')}
            >
              {existing.active ? tx('deactivate') : tx('reactivate')}
            </button>
          )}
        </span>
        {fieldError ? (
          <p className="field__error" role="alert">
            {fieldError}
          </p>
        ) : (
          <StepError error={action.error} />
        )}
      </td>
    </tr>
  );
}

/** The specialties step. */
export function SpecialtiesStep({ state, reload }: StepProps) {
  const { tx, lang } = useSetupText();
  return (
    <div className="setup-step">
      <p className="muted">{tx('specialties.intro')}</p>
      <div className="table-wrap">
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{tx('specialties.name')}</th>
              <th scope="col">{tx('specialties.duration')}</th>
              <th scope="col">{tx('specialties.price')}</th>
              <th scope="col">
                <span className="visually-hidden">{tx('edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {SPECIALTY_CODES.map((code) => {
              const existing = state.specialties.find((s) => s.code === code);
              return (
                <SpecialtyRow
                  // A new answer from the server (or another language) resets the row's fields.
                  key={`${code}:${existing?.id ?? ''}:${existing?.durationMin}:${existing?.priceCents}:${lang}`}
                  code={code}
                  existing={existing}
                  onDone={reload}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
