/**
 * A week of days as toggle buttons (weekday, day of month, number of free times), with previous/next
 * week buttons. The pressed day's times show below it.
 */
import { dayLong, dayParts, dayRange } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import type { Availability } from '../types.ts';

interface Props {
  days: Availability['days'];
  selected: string | null;
  onSelect: (date: string) => void;
  onPrevWeek: (() => void) | null;
  onNextWeek: (() => void) | null;
}

/** Renders the strip; a null week handler disables that arrow. */
export function DayStrip({ days, selected, onSelect, onPrevWeek, onNextWeek }: Props) {
  const { t, lang } = usePortalT();
  const first = days[0]?.date;
  const last = days[days.length - 1]?.date;
  return (
    <div className="p-days">
      <div className="p-days__nav">
        <button
          type="button"
          className="p-btn p-days__arrow"
          onClick={onPrevWeek ?? undefined}
          disabled={!onPrevWeek}
          aria-label={t('book.prevWeek')}
          data-testid="prev-week"
        >
          <span aria-hidden="true">‹</span>
        </button>
        <p className="p-days__range" aria-live="polite">
          {first && last ? dayRange(first, last, lang) : ''}
        </p>
        <button
          type="button"
          className="p-btn p-days__arrow"
          onClick={onNextWeek ?? undefined}
          disabled={!onNextWeek}
          aria-label={t('book.nextWeek')}
          data-testid="next-week"
        >
          <span aria-hidden="true">›</span>
        </button>
      </div>
      <ul className="p-days__list" aria-label={t('book.days')}>
        {days.map((d) => {
          const parts = dayParts(d.date, lang);
          const count = d.slots.length;
          return (
            <li key={d.date}>
              <button
                type="button"
                className="p-day"
                aria-pressed={selected === d.date}
                aria-label={`${dayLong(d.date, lang)}: ${count ? t('book.freeTimes', { count }) : t('book.full')}`}
                data-testid="day"
                data-date={d.date}
                data-count={count}
                onClick={() => onSelect(d.date)}
              >
                <span className="p-day__weekday">{parts.weekday}</span>
                <span className="p-day__num">{parts.day}</span>
                <span className="p-day__count">{count ? count : '—'}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
