/**
 * Setup step "Opening hours": per weekday, open or closed, with up to three periods (e.g. a lunch break
 * between two). Times are typed as HH:MM (Lisbon wall clock) and sent as minutes after midnight, checked
 * first with the server's contract (server/domain/setup.ts `openingHours`: no overlaps, closing after
 * opening, 5-minute steps). A clinic with nothing saved yet starts from a common week (Mon–Fri
 * 09:00–13:00 and 14:00–19:00).
 */
import { useState, type FormEvent } from 'react';
import {
  formatWallTime,
  openingHours,
  parseWallTime,
  type OpeningBlock,
} from '../../../server/domain/setup.ts';
import { saveOpeningHours } from './setup-api.ts';
import { StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { useAction, type StepProps } from './use-setup.ts';

/** A period as typed. */
interface Period {
  opens: string;
  closes: string;
}

/** Index 0 = Monday … 6 = Sunday. */
type Week = Period[][];

const SUGGESTED: Week = [0, 1, 2, 3, 4, 5, 6].map((d) =>
  d < 5
    ? [
        { opens: '09:00', closes: '13:00' },
        { opens: '14:00', closes: '19:00' },
      ]
    : [],
);

/** The stored blocks as the form's week. */
function weekOf(blocks: readonly OpeningBlock[]): Week {
  const week: Week = [[], [], [], [], [], [], []];
  for (const b of blocks)
    week[b.weekday - 1]!.push({ opens: formatWallTime(b.opensMin), closes: formatWallTime(b.closesMin) });
  return week;
}

/** The form's week as blocks, or the weekdays (0-based) whose times do not parse. */
function blocksOf(week: Week): { blocks: OpeningBlock[]; badDays: number[] } {
  const blocks: OpeningBlock[] = [];
  const badDays: number[] = [];
  week.forEach((periods, d) => {
    for (const p of periods) {
      const opensMin = parseWallTime(p.opens);
      const closesMin = parseWallTime(p.closes);
      if (opensMin === null || closesMin === null) badDays.push(d);
      else blocks.push({ weekday: d + 1, opensMin, closesMin });
    }
  });
  return { blocks, badDays };
}

/** The opening-hours step. */
export function HoursStep({ state, reload, formId, onSaved, mode }: StepProps) {
  const { tx, weekdays } = useSetupText();
  const action = useAction();
  const [week, setWeek] = useState<Week>(
    state.openingHours.length > 0 ? weekOf(state.openingHours) : SUGGESTED,
  );
  const [badDays, setBadDays] = useState<number[]>([]);

  const update = (day: number, periods: Period[]) =>
    setWeek((w) => w.map((p, d) => (d === day ? periods : p)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { blocks, badDays: unparsed } = blocksOf(week);
    const parsed = openingHours.safeParse(blocks);
    const invalid = new Set(unparsed);
    if (!parsed.success)
      for (const i of parsed.error.issues) {
        const index = i.path[0];
        if (typeof index === 'number' && blocks[index]) invalid.add(blocks[index].weekday - 1);
      }
    setBadDays([...invalid]);
    if (invalid.size > 0 || !parsed.success) return action.fail('hours.invalid');
    if (parsed.data.length === 0) return action.fail('hours.needOne');
    if (await action.run(() => saveOpeningHours(parsed.data))) {
      await reload();
      onSaved();
    }
  };

  const message =
    action.error === 'hours.invalid'
      ? tx('hours.invalid')
      : action.error === 'hours.needOne'
        ? tx('hours.needOne')
        : null;

  return (
    <form id={formId} className="setup-step" noValidate onSubmit={(e) => void submit(e)}>
      <p className="muted">{tx('hours.intro')}</p>
      <button
        type="button"
        className="btn btn--small"
        onClick={() => setWeek((w) => w.map((p, d) => (d < 5 ? w[0]!.map((x) => ({ ...x })) : p)))}
      >
        {tx('hours.copyMonday')}
      </button>
      <ul className="setup-hours">
        {week.map((periods, d) => (
          <li
            key={d}
            className={`setup-day ${badDays.includes(d) ? 'setup-day--bad' : ''}`}
            data-testid="setup-day"
            data-weekday={d + 1}
          >
            <label className="check setup-day__name">
              <input
                type="checkbox"
                checked={periods.length > 0}
                onChange={(e) => update(d, e.target.checked ? [{ opens: '09:00', closes: '18:00' }] : [])}
              />
              {weekdays[d]}
            </label>
            {periods.length === 0 ? (
              <span className="muted">{tx('hours.closed')}</span>
            ) : (
              <span className="setup-day__periods">
                {periods.map((p, i) => (
                  <span key={i} className="setup-period">
                    <input
                      type="time"
                      step={300}
                      aria-label={`${weekdays[d]} — ${tx('hours.opens')} ${i + 1}`}
                      aria-invalid={badDays.includes(d) ? true : undefined}
                      value={p.opens}
                      onChange={(e) =>
                        update(
                          d,
                          periods.map((x, j) => (j === i ? { ...x, opens: e.target.value } : x)),
                        )
                      }
                    />
                    <span aria-hidden="true">–</span>
                    <input
                      type="time"
                      step={300}
                      aria-label={`${weekdays[d]} — ${tx('hours.closes')} ${i + 1}`}
                      aria-invalid={badDays.includes(d) ? true : undefined}
                      value={p.closes}
                      onChange={(e) =>
                        update(
                          d,
                          periods.map((x, j) => (j === i ? { ...x, closes: e.target.value } : x)),
                        )
                      }
                    />
                    <button
                      type="button"
                      className="btn btn--small btn--ghost"
                      aria-label={`${tx('hours.removeBlock')} — ${weekdays[d]} ${i + 1}`}
                      onClick={() =>
                        update(
                          d,
                          periods.filter((_, j) => j !== i),
                        )
                      }
                    >
                      ×
                    </button>
                  </span>
                ))}
                {periods.length < 3 && (
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() =>
                      update(d, [...periods, { opens: periods.at(-1)!.closes, closes: '20:00' }])
                    }
                  >
                    {tx('hours.addBlock')}
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
      {message ? (
        <p className="alert alert--error" role="alert" data-testid="setup-error">
          {message}
        </p>
      ) : (
        <StepError error={action.error} />
      )}
      {mode === 'settings' && (
        <div>
          <button type="submit" className="btn btn--primary" disabled={action.busy}>
            {action.busy ? tx('saving') : tx('save')}
          </button>
        </div>
      )}
    </form>
  );
}
