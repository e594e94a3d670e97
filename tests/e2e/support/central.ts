/**
 * Starts the real central API (`server/central/main.ts`, as bundled by global-setup.ts) on a free port with a fresh data
 * directory (embedded PGlite, the in-process SMTP sink and its dev mailbox, the demo clinic), waits for
 * its `{ type: 'ready', port }` message; stops it with SIGTERM. It serves the built portal
 * (dist/renderer), so `npx vite build` must have run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './faces.ts';
import { E2E_BUNDLES } from './global-setup.ts';

/** One e-mail the central API sent, as the dev mailbox lists it. */
export interface MailboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  attachments: { filename: string; contentType: string; size: number }[];
}

/** One SMS in the dev SMS outbox. */
export interface OutboxSms {
  to: string;
  body: string;
  links: string[];
}

/** One request in the payment sandbox. */
export interface SandboxRequest {
  requestId: string;
  method: 'multibanco' | 'mbway' | 'link';
  orderRef: string;
  amountCents: number;
  reference: string | null;
  status: string;
}

export interface TestCentral {
  base: string;
  port: number;
  dataDir: string;
  /** The dev mailbox, newest first. */
  mailbox(): Promise<MailboxMessage[]>;
  /**
   * Waits for the newest message to `to` with a link whose path is `linkPath` and returns that link.
   * @throws Error after `timeoutMs` (default 15 s)
   */
  waitForLink(to: string, linkPath: string, timeoutMs?: number): Promise<string>;
  /** Waits for the newest SMS to `to` whose body matches `pattern`; returns it. */
  waitForSms(to: string, pattern: RegExp, timeoutMs?: number): Promise<OutboxSms>;
  /** The payment sandbox's requests, newest first. */
  sandboxRequests(): Promise<SandboxRequest[]>;
  /** SIGTERM; the data directory is deleted unless `keepData` (to start it again on the same data). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts the central API and resolves once it is ready.
 * @throws Error when the process exits early or is not ready within 90 s
 */
export async function startCentral(
  options: { demo?: boolean; dataDir?: string; port?: number } = {},
): Promise<TestCentral> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cfd-central-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CENTRAL_PORT: String(options.port ?? 0),
    CENTRAL_DATA_DIR: dataDir,
    CENTRAL_DEMO: options.demo === false ? '0' : '1',
  };
  // The embedded defaults: PGlite in the data folder and the SMTP sink with its mailbox.
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  delete env.PUBLIC_URL;
  const child: ChildProcess = fork(E2E_BUNDLES.central, [], {
    cwd: REPO_DIR,
    env,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running behind a failed test
      reject(new Error('central API did not start within 90 s'));
    }, 90_000);
    child.on('message', (m: unknown) => {
      const msg = m as { type?: unknown; port?: unknown };
      if (msg?.type === 'ready' && typeof msg.port === 'number') {
        clearTimeout(timer);
        resolve(msg.port);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`central API exited with code ${code}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;

  const mailbox = async (): Promise<MailboxMessage[]> => {
    const res = await fetch(`${base}/dev/mailbox/messages.json`);
    if (!res.ok) throw new Error(`GET /dev/mailbox/messages.json → ${res.status}`);
    return ((await res.json()) as { messages: MailboxMessage[] }).messages;
  };

  const waitForLink = async (to: string, linkPath: string, timeoutMs = 15_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const m of await mailbox()) {
        if (m.to.toLowerCase() !== to.toLowerCase()) continue;
        const link = m.links.find((l) => {
          try {
            return new URL(l).pathname === linkPath;
          } catch {
            return false;
          }
        });
        if (link) return link;
      }
      if (Date.now() > deadline) throw new Error(`no e-mail to ${to} with a ${linkPath} link`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const waitForSms = async (to: string, pattern: RegExp, timeoutMs = 15_000): Promise<OutboxSms> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`${base}/dev/sms/messages.json`);
      const { messages } = (await res.json()) as { messages: OutboxSms[] };
      const hit = messages.find((m) => m.to === to && pattern.test(m.body));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no SMS to ${to} matching ${pattern}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  const sandboxRequests = async (): Promise<SandboxRequest[]> => {
    const res = await fetch(`${base}/dev/payments/requests.json`);
    return ((await res.json()) as { requests: SandboxRequest[] }).requests;
  };

  return {
    base,
    port,
    dataDir,
    mailbox,
    waitForLink,
    waitForSms,
    sandboxRequests,
    stop: ({ keepData = false } = {}) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
