/**
 * Tests of the Twilio sender (twilio.ts) against a local node:http fake of Twilio's Messages endpoint:
 * the exact path, Basic auth header and form body; a 201 answer's sid; a 400 error mapped to
 * TwilioError with Twilio's code and message; a non-JSON 503.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioSms, TwilioError } from './twilio.ts';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'secret-token';

describe('createTwilioSms', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: { status: number; body: string; type?: string };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method!,
          url: req.url!,
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  const sender = () => createTwilioSms({ accountSid: SID, authToken: TOKEN, from: '+351211234567', baseUrl });

  it('posts To/From/Body form-encoded with Basic auth and returns the sid', async () => {
    answer = {
      status: 201,
      body: JSON.stringify({
        sid: 'SM0123456789abcdef0123456789abcdef',
        status: 'queued',
        to: '+351912345678',
      }),
    };
    const result = await sender().send({
      to: '+351912345678',
      body: 'Olá Ana: consulta às 10:00 & link https://x.pt/a?b=1',
      idempotencyKey: 'out-7',
    });
    expect(result).toEqual({ providerMessageId: 'SM0123456789abcdef0123456789abcdef' });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `/2010-04-01/Accounts/${SID}/Messages.json`,
        authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        body: 'To=%2B351912345678&From=%2B351211234567&Body=Ol%C3%A1+Ana%3A+consulta+%C3%A0s+10%3A00+%26+link+https%3A%2F%2Fx.pt%2Fa%3Fb%3D1',
      },
    ]);
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({
      To: '+351912345678',
      From: '+351211234567',
      Body: 'Olá Ana: consulta às 10:00 & link https://x.pt/a?b=1',
    });
  });

  it("maps a 400 to a TwilioError carrying Twilio's code and message", async () => {
    answer = {
      status: 400,
      body: JSON.stringify({
        code: 21211,
        message: "The 'To' number +3519 is not a valid phone number.",
        more_info: 'https://www.twilio.com/docs/errors/21211',
        status: 400,
      }),
    };
    const err = await sender()
      .send({ to: '+3519', body: 'x', idempotencyKey: 'out-8' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwilioError);
    expect(err).toMatchObject({
      message: "Twilio 400 21211: The 'To' number +3519 is not a valid phone number.",
      status: 400,
      code: 21211,
    });
  });

  it('maps a non-JSON 503 with the start of its text, and a 2xx without sid', async () => {
    answer = { status: 503, body: 'Service Unavailable', type: 'text/plain' };
    await expect(sender().send({ to: '+351912345678', body: 'x', idempotencyKey: 'k' })).rejects.toThrow(
      'Twilio 503 -: Service Unavailable',
    );
    answer = { status: 201, body: '{}' };
    await expect(sender().send({ to: '+351912345678', body: 'x', idempotencyKey: 'k' })).rejects.toThrow(
      'Twilio 201: answer without a sid',
    );
  });
});
