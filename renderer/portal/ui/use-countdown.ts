/** Milliseconds left until an instant, re-rendering every second (and once when it is reached). */
import { useEffect, useState } from 'react';

/** @param until ISO-8601 instant, or null (→ 0) */
export function useCountdown(until: string | null): number {
  const target = until ? Date.parse(until) : 0;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!target) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= target) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [target]);
  return Math.max(0, target - now);
}
