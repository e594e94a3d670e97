/**
 * Payment step 2: the method, as two radio cards (Multibanco, MB WAY; a native radio group, so arrow
 * keys move between them and nothing is sent until the patient acts inside the chosen panel), then that
 * method's panel. The heading takes focus when the step appears after the invoice details are saved.
 */
import { useEffect, useRef } from 'react';
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { usePortalT, type PortalKey } from '../i18n.ts';
import { MbwayPanel } from './mbway-panel.tsx';
import { MultibancoPanel } from './multibanco-panel.tsx';

/** The methods the page offers. */
export type PayMethod = 'multibanco' | 'mbway';

const METHODS: readonly { id: PayMethod; title: PortalKey; hint: PortalKey }[] = [
  { id: 'multibanco', title: 'pay.multibanco', hint: 'pay.multibancoHint' },
  { id: 'mbway', title: 'pay.mbway', hint: 'pay.mbwayHint' },
];

interface Props {
  token: string;
  order: PayOrderDto;
  onOrder: (order: PayOrderDto) => void;
  method: PayMethod | null;
  onMethod: (method: PayMethod) => void;
  phone: string;
  onPhone: (phone: string) => void;
  /** Focus the heading on mount (the patient has just saved the invoice details). */
  focusOnMount: boolean;
}

/** Renders the method choice and the chosen method's panel. */
export function MethodStep({ token, order, onOrder, method, onMethod, phone, onPhone, focusOnMount }: Props) {
  const { t } = usePortalT();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
    // Only when the step first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section className="p-card p-pay-step" aria-labelledby="pay-method" data-testid="pay-method">
      <h2 id="pay-method" ref={heading} tabIndex={-1}>
        {t('pay.methodTitle')}
      </h2>
      <fieldset className="p-fieldset">
        <legend>{t('pay.methodLegend')}</legend>
        <div className="p-radio-cards">
          {METHODS.map((m) => (
            <label key={m.id} className="p-radio-card" data-testid={`pay-method-${m.id}`}>
              <input
                type="radio"
                name="pay-method"
                value={m.id}
                checked={method === m.id}
                onChange={() => onMethod(m.id)}
                aria-describedby={`pay-method-${m.id}-hint`}
              />
              <span className="p-radio-card__text">
                <span className="p-radio-card__title">{t(m.title)}</span>
                <span id={`pay-method-${m.id}-hint`} className="p-radio-card__hint">
                  {t(m.hint)}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {method === 'multibanco' && <MultibancoPanel token={token} order={order} onOrder={onOrder} />}
      {method === 'mbway' && (
        <MbwayPanel token={token} order={order} onOrder={onOrder} phone={phone} onPhone={onPhone} />
      )}
    </section>
  );
}
