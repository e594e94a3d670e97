/**
 * An in-process SMTP sink for development and end-to-end tests: an `smtp-server` on 127.0.0.1 (a free
 * port unless one is given) that accepts any message (authentication optional, no STARTTLS, 10 MB
 * limit), parses it with mailparser's `simpleParser` and keeps the newest `SINK_CAPACITY` (200) in
 * memory. Nothing is relayed: mail "sent" by the central API without `SMTP_URL` ends here, and the dev
 * mailbox page (mailbox-routes.ts) lists it. Each message records the links found in its HTML (`href`)
 * and text (http/https URLs), so a test or a person can follow a verification link.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** How many messages the sink keeps (older ones are dropped). */
export const SINK_CAPACITY = 200;

/** One received message. `receivedAt` ISO-8601 UTC; `to` the envelope recipients, comma-separated. */
export interface SinkMessage {
  id: string;
  receivedAt: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Distinct http(s) links, from the HTML's `href`s then the text, in order of appearance. */
  links: string[];
  /** Attached files (name, MIME type, size in bytes); their content is not kept. */
  attachments: { filename: string; contentType: string; size: number }[];
}

/** A running sink. */
export interface MailSink {
  host: string;
  port: number;
  /** Received messages, newest first. */
  messages(): SinkMessage[];
  /**
   * Resolves with the newest message matching `predicate` (one already received, or the next to
   * arrive). @throws Error after `timeoutMs` (default 5000) without one
   */
  waitFor(predicate: (m: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  /** Forgets every message. */
  clear(): void;
  /** Stops listening (open client connections are closed). */
  close(): Promise<void>;
}

const HTML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
};

/** The http(s) links in an HTML body (`href` values, entities decoded) and a text body, deduplicated. */
export function extractLinks(html: string, text: string): string[] {
  const out: string[] = [];
  const add = (url: string) => {
    if (/^https?:\/\//i.test(url) && !out.includes(url)) out.push(url);
  };
  for (const m of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    add(
      (m[1] ?? m[2] ?? '')
        .trim()
        .replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => HTML_ENTITIES[e]!),
    );
  }
  for (const m of text.matchAll(/https?:\/\/[^\s<>"')\]]+/gi)) add(m[0].replace(/[.,;:!?]+$/, ''));
  return out;
}

function addressText(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ');
}

/**
 * Starts the sink.
 * @param opts.port 0 (default) = any free port; opts.now = clock for `receivedAt` (ms since epoch)
 */
export async function startMailSink(opts: { port?: number; now?: () => number } = {}): Promise<MailSink> {
  const now = opts.now ?? Date.now;
  const received: SinkMessage[] = [];
  const waiters = new Set<(m: SinkMessage) => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 10 * 1024 * 1024,
    logger: false,
    banner: 'Clinic Front Desk dev mail sink',
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if (stream.sizeExceeded) {
            callback(Object.assign(new Error('message too big'), { responseCode: 552 }));
            return;
          }
          const html = typeof parsed.html === 'string' ? parsed.html : '';
          const text = parsed.text ?? '';
          const message: SinkMessage = {
            id: randomUUID(),
            receivedAt: new Date(now()).toISOString(),
            from: addressText(parsed.from),
            to: session.envelope.rcptTo.map((r) => r.address).join(', ') || addressText(parsed.to),
            subject: parsed.subject ?? '',
            text,
            html,
            links: extractLinks(html, text),
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              size: a.size,
            })),
          };
          received.unshift(message);
          received.length = Math.min(received.length, SINK_CAPACITY);
          for (const w of [...waiters]) w(message);
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  server.on('error', (err) =>
    console.error(JSON.stringify({ level: 'error', event: 'mail.sink', message: err.message })),
  );
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    messages: () => [...received],
    waitFor(predicate, timeoutMs = 5000) {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (m: SinkMessage) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        };
        waiters.add(check);
      });
    },
    clear() {
      received.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
