/** A clock hook: the current time, refreshed every `intervalMs` (1 s by default). */
import { useEffect, useState } from 'react';

/** Returns the current Date, re-rendering every `intervalMs` ms; the interval is cleared on unmount. */
export function useNow(intervalMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
