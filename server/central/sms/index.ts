/**
 * Chooses the SMS sender at start from `SMS_URL`:
 * - unset (null) → the in-memory dev outbox (sink.ts), listed at `/dev/sms` (outbox-routes.ts); nothing
 *   is sent;
 * - `twilio://ACCOUNT_SID:AUTH_TOKEN@FROM` → Twilio (twilio.ts), where FROM is the sender: an E.164
 *   number (`+351912345678`, or URL-encoded `%2B351912345678`) or an alphanumeric sender ID of 1–11
 *   letters/digits with at least one letter (`Clinica`); the token is URL-encoded if it holds `@ : /`.
 * Anything else is a configuration error at start, never a silent fallback to the dev outbox.
 */
import { createSmsSink, type SmsSink } from './sink.ts';
import type { SmsSender } from './sms.ts';
import { createTwilioSms } from './twilio.ts';

/** The accepted form of `SMS_URL`, as the error message names it. */
export const SMS_URL_FORM = 'twilio://ACCOUNT_SID:AUTH_TOKEN@+351XXXXXXXXX';

/** The sender and, without `SMS_URL`, the dev outbox behind it (for the /dev/sms page). */
export interface SmsSetup {
  sender: SmsSender;
  /** The dev outbox when `SMS_URL` is unset; null with a real gateway. */
  sink: SmsSink | null;
}

function bad(why: string): Error {
  // Never echo the URL: it holds the auth token.
  return new Error(
    `SMS_URL ${why}: expected ${SMS_URL_FORM} (sender number URL-encoded as the host), or unset for the dev outbox`,
  );
}

/**
 * Starts SMS for the central process.
 * @param opts.smsUrl the `SMS_URL` value, or null (unset or empty) for the dev outbox
 * @param opts.fetch passed to the Twilio sender (tests)
 * @returns `{ sender, sink }`: sink is non-null only for the dev outbox
 * @throws Error naming the accepted form when `smsUrl` is not a valid `twilio://` URL (the message never
 *   contains the token)
 */
export function startSms(opts: { smsUrl: string | null; fetch?: typeof fetch }): SmsSetup {
  if (!opts.smsUrl) {
    const sink = createSmsSink();
    return { sender: sink, sink };
  }
  let url: URL;
  try {
    url = new URL(opts.smsUrl);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'twilio:') throw bad('has an unsupported scheme');
  let accountSid: string, authToken: string, from: string;
  try {
    accountSid = decodeURIComponent(url.username);
    authToken = decodeURIComponent(url.password);
    from = decodeURIComponent(url.hostname);
  } catch {
    throw bad('has a malformed %-escape');
  }
  if (!accountSid || !authToken) throw bad('lacks the account SID or the auth token');
  if (!/^\+[1-9]\d{6,14}$/.test(from) && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(from)) {
    throw bad('has no valid sender (E.164 number or alphanumeric ID) as its host');
  }
  return {
    sender: createTwilioSms({ accountSid, authToken, from, ...(opts.fetch ? { fetch: opts.fetch } : {}) }),
    sink: null,
  };
}
