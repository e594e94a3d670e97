/**
 * Tests of the dev SMS outbox (sink.ts): newest first, links, a repeated idempotency key dropped with the
 * first provider id, the capacity, and clear().
 */
import { describe, expect, it } from 'vitest';
import { createSmsSink, SMS_SINK_CAPACITY, smsLinks } from './sink.ts';

describe('createSmsSink', () => {
  it('keeps messages newest first with their links and time', async () => {
    let t = Date.parse('2026-07-15T09:30:00Z');
    const sink = createSmsSink({ now: () => t });
    const first = await sink.send({
      to: '+351912345678',
      body: 'Pague aqui: https://pay.example.pt/p/abc?x=1&y=2. Obrigado!',
      idempotencyKey: 'out-1',
    });
    t += 60_000;
    const second = await sink.send({ to: '+351962345678', body: 'Sem ligações', idempotencyKey: 'out-2' });
    expect(first.providerMessageId).toMatch(/^sink-[0-9a-f-]{36}$/);
    expect(second.providerMessageId).not.toBe(first.providerMessageId);
    expect(sink.messages()).toEqual([
      {
        id: second.providerMessageId,
        to: '+351962345678',
        body: 'Sem ligações',
        idempotencyKey: 'out-2',
        sentAt: '2026-07-15T09:31:00.000Z',
        links: [],
      },
      {
        id: first.providerMessageId,
        to: '+351912345678',
        body: 'Pague aqui: https://pay.example.pt/p/abc?x=1&y=2. Obrigado!',
        idempotencyKey: 'out-1',
        sentAt: '2026-07-15T09:30:00.000Z',
        links: ['https://pay.example.pt/p/abc?x=1&y=2'],
      },
    ]);
  });

  it('drops a repeated idempotency key and answers with the first provider id', async () => {
    const sink = createSmsSink();
    const a = await sink.send({ to: '+351912345678', body: 'one', idempotencyKey: 'k' });
    const b = await sink.send({ to: '+351912345678', body: 'one (retry)', idempotencyKey: 'k' });
    expect(b).toEqual(a);
    expect(sink.messages().map((m) => m.body)).toEqual(['one']);
    sink.clear();
    expect(sink.messages()).toEqual([]);
    const c = await sink.send({ to: '+351912345678', body: 'after clear', idempotencyKey: 'k' });
    expect(c.providerMessageId).not.toBe(a.providerMessageId);
  });

  it('keeps the newest `max` and still drops a retry of one that scrolled off', async () => {
    expect(SMS_SINK_CAPACITY).toBe(200);
    const sink = createSmsSink({ max: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await sink.send({ to: '+351912345678', body: `#${i}`, idempotencyKey: `k${i}` })).providerMessageId,
      );
    }
    expect(sink.messages().map((m) => m.body)).toEqual(['#4', '#3', '#2']);
    expect(await sink.send({ to: '+351912345678', body: '#0 again', idempotencyKey: 'k0' })).toEqual({
      providerMessageId: ids[0],
    });
    expect(sink.messages().map((m) => m.body)).toEqual(['#4', '#3', '#2']);
  });

  it('extracts distinct http(s) links without trailing punctuation', () => {
    expect(
      smsLinks('Ver http://a.pt/x, depois (https://b.pt/y?z=1) e http://a.pt/x! ftp://c.pt mailto:x@y.pt'),
    ).toEqual(['http://a.pt/x', 'https://b.pt/y?z=1']);
  });
});
