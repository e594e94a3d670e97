/**
 * The display's data: a first GET /api/display (fast first paint, and tells us about a bad token),
 * then the SSE stream, which pushes a full snapshot on every change and on every reconnect.
 */
import { useEffect, useState } from 'react';
import { api, isUnauthorized, subscribe, unwrap } from '../shared/api.ts';
import type { DisplayState } from '../shared/types.ts';

export interface DisplayFeed {
  state: DisplayState | null;
  online: boolean;
  unauthorized: boolean;
}

/**
 * Subscribes for the component's lifetime (the stream is closed on unmount) and returns the latest feed:
 * `state` null until the first snapshot, `online` false while the stream is down, `unauthorized` once the
 * token is rejected (then the stream stops).
 */
export function useDisplayFeed(): DisplayFeed {
  const [feed, setFeed] = useState<DisplayFeed>({ state: null, online: true, unauthorized: false });
  useEffect(() => {
    let stopped = false;
    let close: (() => void) | null = null;
    const unauthorized = () => setFeed((f) => ({ ...f, online: false, unauthorized: true }));
    unwrap(api.api.display.$get()).then(
      (state) => !stopped && setFeed((f) => (f.state ? f : { ...f, state })),
      (err: unknown) => !stopped && isUnauthorized(err) && unauthorized(),
    );
    close = subscribe<DisplayState>(
      api.api.display.stream.$path(),
      'display',
      (state) => setFeed((f) => ({ ...f, state, online: true })),
      (online) => setFeed((f) => (f.online === online ? f : { ...f, online })),
      unauthorized,
    );
    return () => {
      stopped = true;
      close?.();
    };
  }, []);
  return feed;
}
