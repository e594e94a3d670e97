/**
 * Small tests of the local server's supervision (./supervisor.ts) with fake children and a hand-driven
 * clock: ready, ready timeout, restart backoff and its reset, the same port across restarts, the crash-loop
 * cap and "Try again", requests and replies, and a clean stop.
 */
import { describe, expect, it } from 'vitest';
import type { ReadyMessage } from '../../server/domain/ready.ts';
import {
  createSupervisor,
  restartDelayMs,
  type ServerChild,
  type SupervisorOptions,
  type SupervisorState,
  type SupervisorTimers,
} from './supervisor.ts';

/** A fake utility process: records posted messages and kills; the test emits its messages and exit. */
class FakeChild implements ServerChild {
  posted: unknown[] = [];
  kills = 0;
  private listeners: { message: ((m: unknown) => void)[]; exit: ((c: number) => void)[] } = {
    message: [],
    exit: [],
  };
  constructor(readonly env: NodeJS.ProcessEnv) {}
  on(event: 'message' | 'exit', listener: (arg: never) => void): this {
    this.listeners[event].push(listener as never);
    return this;
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  kill() {
    this.kills += 1;
    return true;
  }
  send(message: unknown) {
    for (const l of this.listeners.message) l(message);
  }
  exit(code: number) {
    for (const l of this.listeners.exit) l(code);
  }
}

/** A clock advanced by hand; `advance(ms)` runs due timers in order. */
class FakeClock implements SupervisorTimers {
  time = 0;
  private next = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending.delete(handle as number);
  }
  now() {
    return this.time;
  }
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
  get scheduled() {
    return [...this.pending.values()].map((t) => t.at - this.time);
  }
}

const ready = (port: number): ReadyMessage => ({
  type: 'ready',
  port,
  urls: {
    desk: `http://127.0.0.1:${port}/desk/`,
    kiosk: `http://127.0.0.1:${port}/kiosk/`,
    display: `http://127.0.0.1:${port}/display/`,
  },
});

function setup(overrides: Partial<SupervisorOptions> = {}) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const states: SupervisorState[] = [];
  const readies: ReadyMessage[] = [];
  const sup = createSupervisor({
    fork: (env) => {
      const child = new FakeChild(env);
      children.push(child);
      return child;
    },
    env: () => ({ CFD_DATA_DIR: '/data' }),
    onReady: (info) => readies.push(info),
    onState: (s) => states.push(s),
    timers: clock,
    ...overrides,
  });
  const last = () => children[children.length - 1]!;
  return { sup, clock, children, states, readies, last };
}

describe('restartDelayMs', () => {
  it('is min(30 s, 500 ms × 2ⁿ)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

describe('createSupervisor', () => {
  it('starts the server with the env and port 0, and reports ready', () => {
    const { sup, children, readies, last } = setup();
    sup.start();
    expect(children).toHaveLength(1);
    expect(last().env).toEqual({ CFD_DATA_DIR: '/data', CFD_PORT: '0' });
    expect(sup.state()).toEqual({ kind: 'starting', attempt: 1 });
    last().send(ready(4321));
    expect(sup.state()).toEqual({ kind: 'ready', info: ready(4321) });
    expect(readies).toEqual([ready(4321)]);
  });

  it('fails with ready-timeout after 20 s without ready, kills the child and does not restart', () => {
    const { sup, clock, children, last } = setup();
    sup.start();
    clock.advance(19_999);
    expect(sup.state().kind).toBe('starting');
    clock.advance(1);
    expect(sup.state()).toEqual({
      kind: 'failed',
      reason: 'ready-timeout',
      message: 'the local server sent no ready message within 20 s',
    });
    expect(last().kills).toBe(1);
    last().exit(143);
    clock.advance(60_000);
    expect(children).toHaveLength(1);
    expect(sup.state().kind).toBe('failed');
  });

  it('restarts after an exit with backoff, on the same port, and a ready resets the backoff', () => {
    const { sup, clock, children, readies, last } = setup();
    sup.start();
    last().send(ready(4321));
    last().exit(1);
    expect(sup.state()).toEqual({ kind: 'restarting', delayMs: 1000, failures: 1, exitCode: 1 });
    clock.advance(999);
    expect(children).toHaveLength(1);
    clock.advance(1);
    expect(children).toHaveLength(2);
    expect(last().env.CFD_PORT).toBe('4321');
    last().exit(1); // dies before ready: second consecutive failure
    expect(sup.state()).toMatchObject({ kind: 'restarting', delayMs: 2000, failures: 2 });
    clock.advance(2000);
    last().send(ready(4321));
    expect(readies).toHaveLength(2);
    clock.advance(60_000); // outside the crash-loop window
    last().exit(1);
    expect(sup.state()).toMatchObject({ kind: 'restarting', delayMs: 1000, failures: 1 });
  });

  it('gives up after 5 exits within 2 minutes, and retry() starts afresh', () => {
    const { sup, clock, children, last } = setup();
    sup.start();
    for (let i = 0; i < 4; i += 1) {
      last().send(ready(5000));
      last().exit(1);
      clock.advance(restartDelayMs(1));
    }
    expect(children).toHaveLength(5);
    last().exit(1);
    expect(sup.state()).toEqual({
      kind: 'failed',
      reason: 'crash-loop',
      message: 'the local server exited 5 times within 120 s',
    });
    clock.advance(60_000);
    expect(children).toHaveLength(5);
    sup.retry();
    expect(children).toHaveLength(6);
    expect(last().env.CFD_PORT).toBe('5000');
    last().exit(1);
    expect(sup.state()).toMatchObject({ kind: 'restarting', failures: 1 });
  });

  it('does not count exits older than the window towards the crash loop', () => {
    const { sup, clock, last } = setup();
    sup.start();
    for (let i = 0; i < 8; i += 1) {
      last().send(ready(5000));
      clock.advance(40_000); // runs 40 s each time: at most 3 exits in any 2 minutes
      last().exit(1);
      clock.advance(restartDelayMs(1));
    }
    expect(sup.state()).toEqual({ kind: 'starting', attempt: 9 });
  });

  it('fails with env when the environment cannot be built, without forking', () => {
    const { sup, children } = setup({
      env: () => {
        throw new Error('face key cannot be unwrapped');
      },
    });
    sup.start();
    expect(children).toHaveLength(0);
    expect(sup.state()).toEqual({ kind: 'failed', reason: 'env', message: 'face key cannot be unwrapped' });
  });

  it('answers other messages through onRequest and ignores a malformed ready', () => {
    const { sup, last, readies } = setup({
      onRequest: (msg) => ((msg as { type?: string }).type === 'ping' ? { type: 'pong' } : null),
    });
    sup.start();
    last().send({ type: 'ping' });
    last().send({ type: 'other' });
    last().send({ type: 'ready', port: 0, urls: {} });
    expect(last().posted).toEqual([{ type: 'pong' }]);
    expect(readies).toEqual([]);
  });

  it('stop() kills the child, waits for its exit and never restarts', async () => {
    const { sup, clock, children, last } = setup();
    sup.start();
    last().send(ready(4321));
    let done = false;
    const stopping = sup.stop().then(() => (done = true));
    expect(last().kills).toBe(1);
    await Promise.resolve();
    expect(done).toBe(false);
    last().exit(0);
    await stopping;
    expect(done).toBe(true);
    clock.advance(60_000);
    expect(children).toHaveLength(1);
    expect(sup.state()).toEqual({ kind: 'stopped' });
  });

  it('stop() gives up waiting after the grace period', async () => {
    const { sup, clock, last } = setup();
    sup.start();
    const stopping = sup.stop();
    clock.advance(5000);
    await stopping;
    expect(last().kills).toBe(1);
    expect(clock.scheduled).toEqual([]);
  });

  it('stop() during a restart delay cancels the restart', async () => {
    const { sup, clock, children, last } = setup();
    sup.start();
    last().exit(1);
    await sup.stop();
    clock.advance(60_000);
    expect(children).toHaveLength(1);
  });
});
