/**
 * The first-run setup wizard (issue 10, part 1): Clinic → Rooms → Practitioners → Specialties → Opening
 * hours → Public screens, with Back / Next, the progress and each step's validation messages, in PT-PT
 * and English. Form steps save when Next is pressed (Next submits the step's form and moves on once the
 * server accepted it); list steps save each change at once and Next only checks that the step is done
 * (e.g. at least one active room). Every step can be revisited later in `SettingsPage`.
 *
 * Integration: `<SetupWizard onFinish={…} />`; a step shown before it (the first admin account) is
 * counted in the progress with `stepsBefore` and reached from the first step's Back with `onBackFirst`.
 */
import { useId, useState, type ComponentType } from 'react';
import { SETUP_STEPS, type SetupStep } from '../../../server/domain/setup.ts';
import { ClinicStep } from './clinic-step.tsx';
import { HoursStep } from './hours-step.tsx';
import { PractitionersStep } from './practitioners-step.tsx';
import { PublicScreensStep } from './public-screens-step.tsx';
import { RoomsStep } from './rooms-step.tsx';
import { SpecialtiesStep } from './specialties-step.tsx';
import { StepError } from './step-ui.tsx';
import { useSetupText, type TextKey } from './strings.ts';
import { useSetupState, type StepProps } from './use-setup.ts';
import './setup.css';

/** Each step's component. */
export const STEP_COMPONENTS: Record<SetupStep, ComponentType<StepProps>> = {
  clinic: ClinicStep,
  rooms: RoomsStep,
  practitioners: PractitionersStep,
  specialties: SpecialtiesStep,
  openingHours: HoursStep,
  publicScreens: PublicScreensStep,
};

/** Steps whose Next submits their form (the others save each change at once). */
const FORM_STEPS: ReadonlySet<SetupStep> = new Set(['clinic', 'openingHours', 'publicScreens']);

/** What a list step says when Next is pressed before it is done. */
const NEED_ONE: Partial<Record<SetupStep, TextKey>> = {
  rooms: 'rooms.needOne',
  practitioners: 'practitioners.needOne',
  specialties: 'specialties.needOne',
};

/** Props of the wizard. */
export interface SetupWizardProps {
  /** Called once the last step saved (the clinic is set up); without it the wizard shows "done". */
  onFinish?: () => void;
  /** Steps shown before this wizard (e.g. the first admin account), counted in "Step n of total". */
  stepsBefore?: number;
  /** Back on the first step (to the step before the wizard); without it Back is disabled there. */
  onBackFirst?: () => void;
  /** The step to open on (default: the first one not done). */
  startAt?: SetupStep;
}

/** The setup wizard. */
export function SetupWizard({ onFinish, stepsBefore = 0, onBackFirst, startAt }: SetupWizardProps) {
  const { tx } = useSetupText();
  const id = useId();
  const { state, loadError, reload } = useSetupState();
  const [index, setIndex] = useState<number | null>(startAt ? SETUP_STEPS.indexOf(startAt) : null);
  const [notDone, setNotDone] = useState<TextKey | null>(null);
  const [finished, setFinished] = useState(false);

  if (!state)
    return (
      <main className="setup" data-testid="setup-wizard">
        {loadError ? (
          <StepError error={loadError} />
        ) : (
          <p className="empty" aria-busy="true">
            …
          </p>
        )}
      </main>
    );

  // Open on the first step not done yet (all done: the first), once the state is known.
  const current =
    index ??
    Math.max(
      0,
      SETUP_STEPS.findIndex((s) => !state.steps[s]),
    );
  const step = SETUP_STEPS[current]!;
  const Step = STEP_COMPONENTS[step];
  const formId = `${id}-${step}`;
  const last = current === SETUP_STEPS.length - 1;
  const total = SETUP_STEPS.length + stepsBefore;

  const go = (to: number) => {
    setNotDone(null);
    setIndex(to);
    // The new step's heading takes the focus, so a screen reader announces it.
    requestAnimationFrame(() => document.getElementById(`${id}-heading`)?.focus());
  };
  const advance = () => {
    if (!last) return go(current + 1);
    setFinished(true);
    onFinish?.();
  };
  const next = () => {
    const need = NEED_ONE[step];
    if (need && !state.steps[step]) return setNotDone(need);
    advance();
  };

  if (finished && !onFinish)
    return (
      <main className="setup" data-testid="setup-wizard">
        <section className="panel setup-done" data-testid="setup-done" role="status">
          <h1 className="setup__title">{tx('doneTitle')}</h1>
          <p>{tx('doneBody')}</p>
        </section>
      </main>
    );

  return (
    <main className="setup" data-testid="setup-wizard" aria-labelledby={`${id}-title`}>
      <header className="setup__head">
        <h1 id={`${id}-title`} className="setup__title">
          {tx('title')}
        </h1>
        <p className="muted">{tx('intro')}</p>
        <p className="setup__count" data-testid="setup-progress">
          {tx('progress', { n: current + 1 + stepsBefore, total })}
        </p>
        <progress className="setup__bar" max={total} value={current + 1 + stepsBefore} aria-hidden="true" />
        <ol className="setup-steps">
          {SETUP_STEPS.map((s, i) => (
            <li
              key={s}
              className={`setup-steps__item ${state.steps[s] ? 'setup-steps__item--done' : ''}`}
              aria-current={i === current ? 'step' : undefined}
            >
              <span className="setup-steps__n" aria-hidden="true">
                {state.steps[s] ? '✓' : i + 1 + stepsBefore}
              </span>
              <span>{tx(`steps.${s}`)}</span>
              <span className="visually-hidden"> — {state.steps[s] ? tx('done') : tx('todo')}</span>
            </li>
          ))}
        </ol>
      </header>
      <section
        className="panel setup__body"
        aria-labelledby={`${id}-heading`}
        data-testid={`setup-step-${step}`}
      >
        <h2 id={`${id}-heading`} className="panel__title" tabIndex={-1}>
          {tx(`steps.${step}`)}
        </h2>
        <Step key={step} state={state} reload={reload} formId={formId} onSaved={advance} mode="wizard" />
        {notDone && (
          <p className="alert alert--error" role="alert" data-testid="setup-error">
            {tx(notDone)}
          </p>
        )}
      </section>
      <footer className="setup__nav">
        <button
          type="button"
          className="btn"
          data-testid="setup-back"
          disabled={current === 0 && !onBackFirst}
          onClick={() => (current === 0 ? onBackFirst?.() : go(current - 1))}
        >
          {tx('back')}
        </button>
        {/* Keyed by step: the click that moves on must not land on a button that has just become the
            next step's submit button (the browser would then submit that step's form at once). */}
        {FORM_STEPS.has(step) ? (
          <button
            key={step}
            type="submit"
            form={formId}
            className="btn btn--primary"
            data-testid="setup-next"
          >
            {last ? tx('finish') : tx('next')}
          </button>
        ) : (
          <button
            key={step}
            type="button"
            className="btn btn--primary"
            data-testid="setup-next"
            onClick={next}
          >
            {last ? tx('finish') : tx('next')}
          </button>
        )}
      </footer>
    </main>
  );
}
