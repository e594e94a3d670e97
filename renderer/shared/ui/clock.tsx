/** The clinic's wall clock (Lisbon time, HH:MM), refreshed every second. */
import { formatTime } from '../format.ts';
import { useNow } from '../use-now.ts';

/** A `<time>` showing HH:MM in Lisbon time; `className` is added to `clock`. */
export function Clock({ className }: { className?: string }) {
  const now = useNow(1000);
  return (
    <time data-testid="clock" className={`clock ${className ?? ''}`} dateTime={now.toISOString()}>
      {formatTime(now)}
    </time>
  );
}
