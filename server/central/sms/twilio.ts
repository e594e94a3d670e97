/**
 * SMS through Twilio's Programmable Messaging REST API (the 2010-04-01 API):
 * `POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth with the Account SID
 * and Auth Token, an `application/x-www-form-urlencoded` body with `To` (E.164), `From` (a Twilio number
 * or an alphanumeric sender ID) and `Body`; success is 201 with the Message resource as JSON, whose `sid`
 * ('SM…') we return as `providerMessageId`. An error answers a 4xx/5xx JSON
 * `{ code, message, more_info, status }` (e.g. 400 `{ code: 21211, message: "The 'To' number … is not a
 * valid phone number." }`).
 * Sources: Twilio's OpenAPI-derived reference for CreateMessage (twilio-go
 * rest/api/v2010/docs/AccountsMessagesApi.md: "CreateMessage | Post
 * /2010-04-01/Accounts/{AccountSid}/Messages.json", base https://api.twilio.com), Twilio's "API
 * responses" page (https://www.twilio.com/docs/usage/twilios-response: `.json` extension selects JSON)
 * and its error dictionary (https://www.twilio.com/docs/api/errors) for the error body.
 * Twilio's Messages API takes no idempotency key, so `idempotencyKey` is not sent: a retry after a lost
 * answer can deliver a text twice (the outbox keeps that window small).
 */
import type { SmsMessage, SmsSender } from './sms.ts';

/** Twilio's API host. */
export const TWILIO_BASE_URL = 'https://api.twilio.com';

/** A refusal from Twilio: `status` the HTTP status, `code` Twilio's error code (null when absent). */
export class TwilioError extends Error {
  override readonly name = 'TwilioError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | null,
  ) {
    super(message);
  }
}

/**
 * A Twilio SmsSender.
 * @param opts.accountSid 'AC…'; opts.authToken its Auth Token; opts.from the sender (E.164 or
 *   alphanumeric sender ID); opts.baseUrl default https://api.twilio.com (tests point it at a fake);
 *   opts.fetch default globalThis.fetch
 * @returns `send(message)` → `{ providerMessageId: sid }`
 * @throws TwilioError `Twilio <status> <code>: <message>` on a non-2xx answer; the fetch error when
 *   Twilio cannot be reached; Error when a 2xx answer has no `sid`
 */
export function createTwilioSms(opts: {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}): SmsSender {
  const doFetch = opts.fetch ?? fetch;
  const url = `${(opts.baseUrl ?? TWILIO_BASE_URL).replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  return {
    async send(message: SmsMessage) {
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ To: message.to, From: opts.from, Body: message.body }).toString(),
      });
      const text = await res.text();
      let json: { sid?: unknown; code?: unknown; message?: unknown } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        // A proxy or outage page: keep the status and the start of the text.
      }
      if (!res.ok) {
        const code = typeof json.code === 'number' ? json.code : null;
        const detail = typeof json.message === 'string' ? json.message : text.slice(0, 200);
        throw new TwilioError(`Twilio ${res.status} ${code ?? '-'}: ${detail}`, res.status, code);
      }
      if (typeof json.sid !== 'string') throw new Error(`Twilio ${res.status}: answer without a sid`);
      return { providerMessageId: json.sid };
    },
  };
}
