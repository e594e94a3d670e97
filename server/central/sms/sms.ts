/**
 * Outgoing SMS behind one interface (like mail/mailer.ts). The embedded default is an in-process outbox
 * page (`/dev/sms`, sink.ts); a real gateway is chosen by `SMS_URL` (index.ts). Messages reach a sender
 * only through the durable message outbox (central/outbox), which retries and never sends one twice:
 * the `idempotencyKey` is stable across retries so a gateway that supports it can drop a repeat.
 */

/** One SMS. */
export interface SmsMessage {
  /** E.164, e.g. '+351912345678'. */
  to: string;
  /** Plain text; keep it ≤ 160 GSM-7 characters where possible (one segment). */
  body: string;
  /** Stable id of this message across retries (our outbox row id). */
  idempotencyKey: string;
}

/** Sends SMS. @throws Error when the gateway refuses or cannot be reached (the outbox retries) */
export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerMessageId: string }>;
}

/** A sender that keeps messages in `sent` (tests). */
export function memorySms(): SmsSender & { sent: SmsMessage[] } {
  const sent: SmsMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      return { providerMessageId: `memory-${sent.length}` };
    },
  };
}
