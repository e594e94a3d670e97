/**
 * The order behind a payment link, kept live: GET /api/pay/{token} once, then the server's stream
 * (GET /api/pay/{token}/events, event `order` with the whole PayOrderDto on every change) until the order
 * is settled (paid with its invoice, expired, cancelled, refunded), so a Multibanco payment made at an ATM or an MB WAY
 * request accepted in the app shows here without reloading. While the stream is down (EventSource is
 * reconnecting, or gave up) the order is fetched every 5 s instead. Everything stops on unmount.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { getPayOrder, payEventsUrl } from './pay-api.ts';
import { isFinal, isLinkError, POLL_INTERVAL_MS } from './pay-logic.ts';

export interface PayOrderState {
  /** The order as last received; null until the first answer. */
  order: PayOrderDto | null;
  /** The error of the first load (or of a refetch that found the link gone); null otherwise. */
  error: unknown;
  /** False while the live stream is down (we poll meanwhile). */
  live: boolean;
  /** Puts the order a call answered (PUT details, POST method) in place. */
  setOrder: (order: PayOrderDto) => void;
  /** Loads the order again (the "Try again" button). */
  reload: () => void;
}

/** Loads and follows the order of `token`. */
export function usePayOrder(token: string): PayOrderState {
  const [order, setOrderState] = useState<PayOrderDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const settled = order ? isFinal(order) : false;
  const loaded = order !== null;
  const setOrder = useCallback((next: PayOrderDto) => {
    setOrderState(next);
    setError(null);
  }, []);

  // First load (and "Try again").
  useEffect(() => {
    const abort = new AbortController();
    getPayOrder(token, abort.signal).then(setOrder, (err: unknown) => {
      if (!abort.signal.aborted) setError(err);
    });
    return () => abort.abort();
  }, [token, attempt, setOrder]);

  // The live stream, from the first answer until the order is settled.
  useEffect(() => {
    if (!loaded || settled) return;
    let stopped = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    let polling: AbortController | null = null;

    const poll = () => {
      if (polling) return;
      polling = new AbortController();
      getPayOrder(token, polling.signal)
        .then(setOrder, (err: unknown) => {
          // A gone link is final; a network blip is not (the next tick tries again).
          if (!stopped && isLinkError(err)) setError(err);
        })
        .finally(() => {
          polling = null;
        });
    };
    const startPolling = () => {
      if (timer === undefined) timer = setInterval(poll, POLL_INTERVAL_MS);
    };
    const stopPolling = () => {
      clearInterval(timer);
      timer = undefined;
    };

    const source = new EventSource(payEventsUrl(token));
    source.addEventListener('open', () => {
      setLive(true);
      stopPolling();
    });
    source.addEventListener('order', (e) => {
      try {
        setOrder(JSON.parse((e as MessageEvent<string>).data) as PayOrderDto);
      } catch {
        // A malformed event: the next one (or a poll) brings the whole order again.
      }
    });
    source.addEventListener('error', () => {
      if (stopped) return;
      setLive(false);
      startPolling();
      // EventSource retries by itself unless the server answered with an error status; then we only poll.
      if (source.readyState === EventSource.CLOSED) source.close();
    });

    return () => {
      stopped = true;
      stopPolling();
      polling?.abort();
      source.close();
    };
  }, [token, loaded, settled, setOrder]);

  const reload = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);

  return { order, error, live: live || settled, setOrder, reload };
}
