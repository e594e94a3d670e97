/**
 * Setup step "Public screens": how the waiting-room display and the kiosk name a patient (setting
 * `namePolicy`: 'Ana M.', 'A. M.' or only the ticket), with a live preview built by the same rules the
 * display uses (server/domain/names.ts `publicName`, server/domain/display-labels.ts `markCollisions`: when
 * two labels read alike the ticket is shown beside them). The preview uses made-up names.
 */
import { useState, type FormEvent } from 'react';
import { markCollisions } from '../../../server/domain/display-labels.ts';
import { publicName } from '../../../server/domain/names.ts';
import { NAME_POLICIES, type NamePolicy } from '../../../server/domain/settings.ts';
import { saveNamePolicy } from './setup-api.ts';
import { StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { useAction, type StepProps } from './use-setup.ts';

/** Made-up patients for the preview: two whose masked names collide under the default policy. */
const SAMPLE = [
  { fullName: 'Ana Sofia Mendes', ticket: 'A07', room: 'Sala 1' },
  { fullName: 'Ana Marques', ticket: 'A12', room: null },
  { fullName: 'João Pedro Costa', ticket: 'B03', room: null },
] as const;

/** The preview of `policy`: the first sample being called, the others waiting. */
function Preview({ policy }: { policy: NamePolicy }) {
  const { tx } = useSetupText();
  const entries = markCollisions(
    SAMPLE.map((s) => ({ label: publicName(s.fullName, s.ticket, policy), ticket: s.ticket, room: s.room })),
  );
  return (
    <figure className="setup-preview" data-testid="name-preview" aria-live="polite">
      <figcaption className="setup-preview__caption">{tx('publicScreens.preview')}</figcaption>
      <ol className="setup-preview__list">
        {entries.map((e) => (
          <li key={e.ticket} className={e.room ? 'setup-preview__call' : ''}>
            {e.room && <span className="setup-preview__tag">{tx('publicScreens.calling')}</span>}
            <span className="setup-preview__label" data-testid="preview-label">
              {e.label}
            </span>
            {e.showTicket && (
              <span className="setup-preview__ticket">
                {tx('publicScreens.ticketLabel')} {e.ticket}
              </span>
            )}
            {e.room && <span className="setup-preview__room">→ {e.room}</span>}
          </li>
        ))}
      </ol>
      <p className="muted setup-small">{tx('publicScreens.previewHint')}</p>
    </figure>
  );
}

/** The public-screens step. */
export function PublicScreensStep({ state, reload, formId, onSaved, mode }: StepProps) {
  const { tx } = useSetupText();
  const action = useAction();
  const [policy, setPolicy] = useState<NamePolicy>(state.namePolicy);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => saveNamePolicy(policy))) {
      await reload();
      onSaved();
    }
  };

  return (
    <form id={formId} className="setup-step setup-step--split" noValidate onSubmit={(e) => void submit(e)}>
      <div>
        <p className="muted">{tx('publicScreens.intro')}</p>
        <fieldset className="setup-fieldset">
          <legend>{tx('publicScreens.policy')}</legend>
          {NAME_POLICIES.map((p) => (
            <label key={p} className="check">
              <input
                type="radio"
                name="namePolicy"
                value={p}
                checked={policy === p}
                onChange={() => setPolicy(p)}
              />
              {tx(`publicScreens.${p}`)}
            </label>
          ))}
        </fieldset>
        <StepError error={action.error} />
        {mode === 'settings' && (
          <button type="submit" className="btn btn--primary" disabled={action.busy}>
            {action.busy ? tx('saving') : tx('save')}
          </button>
        )}
      </div>
      <Preview policy={policy} />
    </form>
  );
}
