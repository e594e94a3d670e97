/**
 * The supervisor (./supervisor.ts) over the real local server (server/clinic/main.ts under tsx, as a Node
 * child: the same ready message Electron's utilityProcess gets, sent over Node's IPC channel). Checks the
 * contract main relies on for "the windows reconnect by themselves": after a crash the server comes back
 * on the same port with the same screen URLs (main passes one CFD_TOKEN for the app's lifetime), and
 * stop() ends it cleanly (SIGTERM: exit code 0).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReadyMessage } from '../../server/domain/ready.ts';
import { createSupervisor, type ServerChild, type SupervisorState } from './supervisor.ts';

const ROOT = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-supervisor-'));
const children: ChildProcess[] = [];

/** A Node child as the supervisor's ServerChild (postMessage → send). */
function nodeChild(env: NodeJS.ProcessEnv): ServerChild & { proc: ChildProcess } {
  const proc = fork(path.join(ROOT, 'server/clinic/main.ts'), [], {
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(proc);
  return {
    proc,
    on(event: 'message' | 'exit', listener: (arg: never) => void) {
      if (event === 'message') proc.on('message', listener as (m: unknown) => void);
      else proc.on('exit', (code) => (listener as (c: number) => void)(code ?? -1));
      return this;
    },
    postMessage: (message: unknown) => void proc.send(message as object),
    kill: () => proc.kill('SIGTERM'),
  } as ServerChild & { proc: ChildProcess };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('supervisor with the real local server', () => {
  it('restarts a killed server on the same port and URLs, and stops it cleanly', async () => {
    const readies: ReadyMessage[] = [];
    const states: SupervisorState['kind'][] = [];
    let waiting: (() => void) | null = null;
    const nextReady = () => new Promise<void>((resolve) => (waiting = resolve));
    const forked: (ServerChild & { proc: ChildProcess })[] = [];
    const sup = createSupervisor({
      fork: (env) => {
        const child = nodeChild(env);
        forked.push(child);
        return child;
      },
      env: () => ({
        ...process.env,
        CFD_DATA_DIR: dataDir,
        CFD_TOKEN: 'supervisor-test-launch-secret',
        CFD_FACE: '0',
        CFD_DEMO: '0',
        CFD_LOG_LEVEL: 'error',
      }),
      onReady: (info) => {
        readies.push(info);
        waiting?.();
      },
      onState: (s) => states.push(s.kind),
      readyTimeoutMs: 60_000,
    });
    let ready = nextReady();
    sup.start();
    await ready;
    const first = readies[0]!;
    expect(first.port).toBeGreaterThan(0);
    const kioskCredential = new URL(first.urls.kiosk).searchParams.get('token');
    const health = () =>
      fetch(`http://127.0.0.1:${first.port}/api/health`, {
        headers: { authorization: `Bearer ${kioskCredential}` },
      });
    expect((await health()).status).toBe(200);

    ready = nextReady();
    forked[0]!.proc.kill('SIGKILL'); // a crash
    await ready;
    expect(forked).toHaveLength(2);
    expect(readies[1]).toEqual(first); // same port, same screen credentials
    expect(states).toEqual(['starting', 'ready', 'restarting', 'starting', 'ready']);
    expect((await health()).status).toBe(200); // the kiosk's credential still works

    const exited = new Promise<number | null>((resolve) =>
      forked[1]!.proc.on('exit', (code) => resolve(code)),
    );
    await sup.stop();
    expect(await exited).toBe(0);
    expect(sup.state()).toEqual({ kind: 'stopped' });
  });
});
