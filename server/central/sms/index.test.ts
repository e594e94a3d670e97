/**
 * Tests of startSms (index.ts): no SMS_URL → the dev outbox; a twilio:// URL → a Twilio sender with the
 * decoded SID, token and sender (checked through an injected fetch); anything else → an Error naming the
 * accepted form and never the token.
 */
import { describe, expect, it } from 'vitest';
import { SMS_URL_FORM, startSms } from './index.ts';

describe('startSms', () => {
  it('uses the dev outbox when SMS_URL is unset or empty', async () => {
    for (const smsUrl of [null, '']) {
      const { sender, sink } = startSms({ smsUrl });
      expect(sink).not.toBeNull();
      expect(sender).toBe(sink);
      await sender.send({ to: '+351912345678', body: 'olá', idempotencyKey: 'k' });
      expect(sink!.messages().map((m) => m.body)).toEqual(['olá']);
    }
  });

  it('builds a Twilio sender from twilio://SID:TOKEN@FROM (URL-encoded parts decoded)', async () => {
    const calls: { url: string; auth: string; body: string }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({
        url,
        auth: (init.headers as Record<string, string>).authorization!,
        body: String(init.body),
      });
      return new Response(JSON.stringify({ sid: 'SM1' }), { status: 201 });
    }) as unknown as typeof fetch;
    for (const [smsUrl, from] of [
      ['twilio://AC123:tok%2F%40x@+351211234567', '+351211234567'],
      ['twilio://AC123:tok%2F%40x@%2B351211234567', '+351211234567'],
      ['twilio://AC123:tok%2F%40x@Clinica', 'Clinica'],
    ] as const) {
      const { sender, sink } = startSms({ smsUrl, fetch: fakeFetch });
      expect(sink).toBeNull();
      expect(await sender.send({ to: '+351912345678', body: 'x', idempotencyKey: 'k' })).toEqual({
        providerMessageId: 'SM1',
      });
      expect(calls.at(-1)).toEqual({
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json',
        auth: `Basic ${Buffer.from('AC123:tok/@x').toString('base64')}`,
        body: `To=%2B351912345678&From=${encodeURIComponent(from)}&Body=x`,
      });
    }
  });

  it('refuses anything else with a message naming the accepted form, without the token', () => {
    expect(SMS_URL_FORM).toBe('twilio://ACCOUNT_SID:AUTH_TOKEN@+351XXXXXXXXX');
    const tail =
      ': expected twilio://ACCOUNT_SID:AUTH_TOKEN@+351XXXXXXXXX (sender number URL-encoded as the host), or unset for the dev outbox';
    const cases: [string, string][] = [
      ['not a url', 'SMS_URL is not a URL'],
      ['smtp://AC1:hunter2@+351211234567', 'SMS_URL has an unsupported scheme'],
      ['twilio://AC1@+351211234567', 'SMS_URL lacks the account SID or the auth token'],
      ['twilio://AC1:hunter2%ZZ@+351211234567', 'SMS_URL has a malformed %-escape'],
      [
        'twilio://AC1:hunter2@351211234567',
        'SMS_URL has no valid sender (E.164 number or alphanumeric ID) as its host',
      ],
      [
        'twilio://AC1:hunter2@TooLongSender',
        'SMS_URL has no valid sender (E.164 number or alphanumeric ID) as its host',
      ],
    ];
    for (const [smsUrl, why] of cases) {
      let message = '';
      try {
        startSms({ smsUrl });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(why + tail);
      expect(message).not.toContain('hunter2');
    }
  });
});
