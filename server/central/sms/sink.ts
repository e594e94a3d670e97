/**
 * The development SMS outbox: an in-memory SmsSender (sms.ts) that sends nothing and keeps the newest
 * `max` (default 200) messages for the dev page `/dev/sms` (outbox-routes.ts), the way the mail sink
 * feeds `/dev/mailbox`. It honours `idempotencyKey` as a real gateway should: a message whose key was
 * already accepted is dropped and answered with the first one's `providerMessageId`, so an outbox retry
 * never shows a message twice. Each message records the http(s) links in its body, so a person or an
 * end-to-end test can follow a payment or booking link.
 */
import { randomUUID } from 'node:crypto';
import type { SmsMessage, SmsSender } from './sms.ts';

/** Default number of messages kept (older ones are dropped). */
export const SMS_SINK_CAPACITY = 200;

/** One caught SMS. `sentAt` ISO-8601 UTC; `id` is also the `providerMessageId` returned to the sender. */
export interface SinkSms {
  id: string;
  to: string;
  body: string;
  idempotencyKey: string;
  sentAt: string;
  /** Distinct http(s) URLs in the body, in order of appearance (trailing punctuation dropped). */
  links: string[];
}

/** The dev outbox: an SmsSender that keeps what it is given. */
export interface SmsSink extends SmsSender {
  /** Kept messages, newest first (a copy). */
  messages(): SinkSms[];
  /** Forgets every message and every idempotency key. */
  clear(): void;
}

/** The distinct http(s) URLs in an SMS body, in order, without trailing sentence punctuation. */
export function smsLinks(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/https?:\/\/[^\s<>"')\]]+/gi)) {
    const url = m[0].replace(/[.,;:!?]+$/, '');
    if (!out.includes(url)) out.push(url);
  }
  return out;
}

/**
 * Creates the dev outbox.
 * @param opts.max how many messages to keep (default 200); the idempotency keys of the last 10 × max
 *   accepted messages are remembered, so a retry of a message already scrolled off is still dropped
 * @param opts.now clock for `sentAt` (ms since the epoch; default Date.now)
 * @returns the sink; `send` resolves with `{ providerMessageId }` and never throws
 */
export function createSmsSink(opts: { max?: number; now?: () => number } = {}): SmsSink {
  const max = opts.max ?? SMS_SINK_CAPACITY;
  const now = opts.now ?? Date.now;
  const kept: SinkSms[] = [];
  // idempotencyKey → providerMessageId, oldest first (Map keeps insertion order).
  const seen = new Map<string, string>();
  return {
    async send(message: SmsMessage) {
      const known = seen.get(message.idempotencyKey);
      if (known) return { providerMessageId: known };
      const sms: SinkSms = {
        id: `sink-${randomUUID()}`,
        to: message.to,
        body: message.body,
        idempotencyKey: message.idempotencyKey,
        sentAt: new Date(now()).toISOString(),
        links: smsLinks(message.body),
      };
      kept.unshift(sms);
      kept.length = Math.min(kept.length, max);
      seen.set(message.idempotencyKey, sms.id);
      if (seen.size > max * 10) seen.delete(seen.keys().next().value!);
      return { providerMessageId: sms.id };
    },
    messages: () => [...kept],
    clear() {
      kept.length = 0;
      seen.clear();
    },
  };
}
