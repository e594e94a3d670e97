/**
 * The admin's "Configuração" / "Settings" view: the wizard's six steps as sections of one page (a
 * segmented switch picks one), each saving on its own, with which steps are still to do. Same step
 * components as `SetupWizard`, in 'settings' mode (form steps show their own Save button). A seventh
 * section, "Sincronização", is the link with the central API (renderer/desk/sync-section.tsx); in the
 * Electron app an eighth, "Impressoras", chooses the receipt printer (renderer/desk/printers-section.tsx).
 *
 * Integration: render `<SettingsPage />` for the admin's settings tab (it takes no props).
 */
import { useId, useState } from 'react';
import { SETUP_STEPS, type SetupStep } from '../../../server/domain/setup.ts';
import { native } from '../../shared/native.ts';
import { PrintersSection, usePrinterText } from '../printers-section.tsx';
import { SyncSection } from '../sync-section.tsx';
import { useSyncText } from '../sync-strings.ts';
import { STEP_COMPONENTS } from './setup-wizard.tsx';
import { StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { useSetupState } from './use-setup.ts';
import './setup.css';

/** The settings page. */
export function SettingsPage() {
  const { tx } = useSetupText();
  const { sx } = useSyncText();
  const id = useId();
  const { state, loadError, reload } = useSetupState();
  const px = usePrinterText();
  const bridge = native();
  const [section, setSection] = useState<SetupStep | 'sync' | 'printers'>('clinic');
  const [saved, setSaved] = useState(0);

  if (!state)
    return (
      <main className="setup" data-testid="settings-page">
        {loadError ? (
          <StepError error={loadError} />
        ) : (
          <p className="empty" aria-busy="true">
            …
          </p>
        )}
      </main>
    );

  // The sections beyond the wizard's steps: sync, and printers where the app's bridge exists.
  const extra: ['sync' | 'printers', string][] = [
    ['sync', sx('section')],
    ...(bridge ? [['printers', px.section] as ['printers', string]] : []),
  ];
  const Step = section === 'sync' || section === 'printers' ? null : STEP_COMPONENTS[section];
  return (
    <main className="setup setup--settings" data-testid="settings-page" aria-labelledby={`${id}-title`}>
      <header className="setup__head">
        <h1 id={`${id}-title`} className="setup__title">
          {tx('settingsTitle')}
        </h1>
        <p className="muted">{tx('settingsIntro')}</p>
        <div className="segmented setup-sections" role="group" aria-label={tx('settingsTitle')}>
          {SETUP_STEPS.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={section === s}
              data-testid={`settings-section-${s}`}
              onClick={() => {
                setSection(s);
                setSaved(0);
              }}
            >
              {tx(`steps.${s}`)}
              {!state.steps[s] && (
                <span className="setup-todo-dot" title={tx('todo')} aria-label={tx('todo')} />
              )}
            </button>
          ))}
          {extra.map(([key, title]) => (
            <button
              key={key}
              type="button"
              aria-pressed={section === key}
              data-testid={`settings-section-${key}`}
              onClick={() => {
                setSection(key);
                setSaved(0);
              }}
            >
              {title}
            </button>
          ))}
        </div>
      </header>
      <section className="panel setup__body" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`} className="panel__title">
          {extra.find(([key]) => key === section)?.[1] ?? tx(`steps.${section as SetupStep}`)}
        </h2>
        {Step ? (
          <Step
            key={`${section}:${saved}`}
            state={state}
            reload={reload}
            formId={`${id}-${section}`}
            onSaved={() => setSaved((n) => n + 1)}
            mode="settings"
          />
        ) : section === 'printers' && bridge ? (
          <PrintersSection bridge={bridge} />
        ) : (
          <SyncSection />
        )}
        {saved > 0 && (
          <p className="alert alert--info" role="status" data-testid="settings-saved">
            {tx('saved')}
          </p>
        )}
      </section>
    </main>
  );
}
