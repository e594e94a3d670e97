/**
 * The durable message outbox on each driver: one row per dedupe key, nothing sent before its time,
 * failures retried with the documented backoff (30 s, 2 min, 10 min, 30 min, 2 h) then 'failed' with the
 * last error, two concurrent passes never sending a row twice, a row whose lease expired retried with
 * the same idempotency key, a renderer's null cancelling the row, and erasure blanking recipients.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { messages } from '../db/schema.ts';
import type { CentralDeps } from '../deps.ts';
import type { SmsMessage, SmsSender } from '../sms/sms.ts';
import type { MailMessage, Mailer } from '../mail/mailer.ts';
import { createTestCentral, describeDrivers, type TestCentral } from '../testing/harness.ts';
import { loggedInPatient } from '../testing/fixtures.ts';
import {
  claimDue,
  enqueue,
  forgetAccountMessages,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  runOutboxOnce,
  type MessageRenderer,
  type MessageRow,
} from './outbox.ts';

const NOW = '2026-11-23T09:00:00.000Z';
const T0 = Date.parse(NOW);

/** Renders every SMS row as its payload's `text`, every email as a fixed message. */
const plain: MessageRenderer = async (_deps, row) =>
  row.channel === 'sms'
    ? { sms: String(row.payload.text) }
    : { email: { subject: String(row.payload.text), text: 'corpo', html: '<p>corpo</p>' } };

/** An SMS sender that records what it was given and fails while `fail` is set. */
function recordingSms(fail: () => string | null = () => null) {
  const sent: SmsMessage[] = [];
  const sender: SmsSender = {
    async send(m) {
      const why = fail();
      if (why) throw new Error(why);
      // A little latency, so two passes really overlap.
      await new Promise((r) => setTimeout(r, 1));
      sent.push(m);
      return { providerMessageId: `prov-${sent.length}` };
    },
  };
  return { sent, sender };
}

async function row(deps: CentralDeps, dedupeKey: string): Promise<MessageRow> {
  const [r] = await deps.db.select().from(messages).where(eq(messages.dedupeKey, dedupeKey));
  return r!;
}

function sms(key: string, extra: { sendAfter?: Date; accountId?: string; text?: string } = {}) {
  return {
    clinicId: null,
    accountId: extra.accountId ?? null,
    appointmentId: null,
    channel: 'sms' as const,
    kind: 'test',
    recipient: '+351912345678',
    dedupeKey: key,
    payload: { text: extra.text ?? `olá ${key}` },
    ...(extra.sendAfter ? { sendAfter: extra.sendAfter } : {}),
  };
}

describeDrivers('message outbox', (driver) => {
  let t: TestCentral;
  let original: { sms: SmsSender; mailer: Mailer };
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    original = { sms: t.deps.sms, mailer: t.deps.mailer };
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    t.clock.set(NOW);
    t.deps.sms = original.sms;
    t.deps.mailer = original.mailer;
    // Each test starts with an empty outbox (rows of earlier tests would be due later on the clock).
    await t.deps.db.delete(messages);
  });

  it('queues one row per dedupe key', async () => {
    expect(await enqueue(t.deps.db, t.deps.now(), sms('dup:1', { text: 'primeira' }))).toBe(true);
    expect(await enqueue(t.deps.db, t.deps.now(), sms('dup:1', { text: 'segunda' }))).toBe(false);
    const rows = await t.deps.db.select().from(messages).where(eq(messages.dedupeKey, 'dup:1'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
      payload: { text: 'primeira' },
      recipient: '+351912345678',
      leaseUntil: null,
      lastError: null,
    });
    expect(rows[0]!.sendAfter.toISOString()).toBe(NOW);
  });

  it('sends nothing before its time, then once', async () => {
    const { sent, sender } = recordingSms();
    t.deps.sms = sender;
    await enqueue(t.deps.db, t.deps.now(), sms('due:1', { sendAfter: new Date(T0 + 3_600_000) }));
    expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 0, retried: 0, failed: 0, cancelled: 0 });
    t.clock.set(T0 + 3_600_000 - 1);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(0);
    t.clock.set(T0 + 3_600_000);
    expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 1, retried: 0, failed: 0, cancelled: 0 });
    expect(sent).toHaveLength(1);
    const r = await row(t.deps, 'due:1');
    expect(sent[0]).toEqual({ to: '+351912345678', body: 'olá due:1', idempotencyKey: r.id });
    expect(r).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'prov-1', leaseUntil: null });
    expect(r.sentAt!.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    t.clock.advance(86_400_000);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('retries a failing SMS with backoff 30 s, 2 min, 10 min, 30 min, 2 h, then marks it failed', async () => {
    expect(RETRY_DELAYS_MS).toEqual([30_000, 120_000, 600_000, 1_800_000, 7_200_000]);
    expect(MAX_ATTEMPTS).toBe(6);
    let n = 0;
    const { sent, sender } = recordingSms(() => `gateway down #${++n}`);
    t.deps.sms = sender;
    await enqueue(t.deps.db, t.deps.now(), sms('retry:1'));
    const origError = console.error;
    console.error = () => {};
    try {
      for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
        expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 0, retried: 1, failed: 0, cancelled: 0 });
        const r = await row(t.deps, 'retry:1');
        expect(r.status).toBe('pending');
        expect(r.attempts).toBe(i + 1);
        expect(r.lastError).toBe(`gateway down #${i + 1}`);
        expect(r.leaseUntil).toBeNull();
        expect(r.sendAfter.getTime()).toBe(t.deps.now() + delay);
        // Not due one millisecond early.
        t.clock.advance(delay - 1);
        expect((await runOutboxOnce(t.deps, plain)).retried).toBe(0);
        t.clock.advance(1);
      }
      expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 0, retried: 0, failed: 1, cancelled: 0 });
    } finally {
      console.error = origError;
    }
    const r = await row(t.deps, 'retry:1');
    expect(r).toMatchObject({
      status: 'failed',
      attempts: 6,
      lastError: 'gateway down #6',
      leaseUntil: null,
    });
    // 0 + 30 s + 2 min + 10 min + 30 min + 2 h later.
    expect(t.deps.now() - T0).toBe(30_000 + 120_000 + 600_000 + 1_800_000 + 7_200_000);
    t.clock.advance(86_400_000);
    expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 0, retried: 0, failed: 0, cancelled: 0 });
    expect(sent).toHaveLength(0);
  });

  it('retries a failing email, and a later success clears the error', async () => {
    const got: MailMessage[] = [];
    let down = true;
    t.deps.mailer = {
      async send(m) {
        if (down) throw new Error('550 mailbox unavailable');
        got.push(m);
      },
    };
    await enqueue(t.deps.db, t.deps.now(), {
      ...sms('mail:1', { text: 'Assunto' }),
      channel: 'email',
      recipient: 'a@example.com',
    });
    const origError = console.error;
    console.error = () => {};
    try {
      expect((await runOutboxOnce(t.deps, plain)).retried).toBe(1);
    } finally {
      console.error = origError;
    }
    expect((await row(t.deps, 'mail:1')).sendAfter.toISOString()).toBe('2026-11-23T09:00:30.000Z');
    down = false;
    t.clock.advance(30_000);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(1);
    expect(got).toEqual([{ subject: 'Assunto', text: 'corpo', html: '<p>corpo</p>', to: 'a@example.com' }]);
    expect(await row(t.deps, 'mail:1')).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('two concurrent passes send each of 30 due rows exactly once', async () => {
    const { sent, sender } = recordingSms();
    t.deps.sms = sender;
    for (let i = 0; i < 30; i++) await enqueue(t.deps.db, t.deps.now(), sms(`race:${i}`));
    const passes = await Promise.all([
      runOutboxOnce(t.deps, plain, { limit: 20 }),
      runOutboxOnce(t.deps, plain, { limit: 20 }),
    ]);
    const third = await runOutboxOnce(t.deps, plain, { limit: 20 });
    expect(passes[0]!.sent + passes[1]!.sent + third.sent).toBe(30);
    expect(sent).toHaveLength(30);
    expect(new Set(sent.map((m) => m.idempotencyKey)).size).toBe(30);
    expect(new Set(sent.map((m) => m.body))).toEqual(
      new Set(Array.from({ length: 30 }, (_, i) => `olá race:${i}`)),
    );
    const rows = await t.deps.db.select().from(messages).where(like(messages.dedupeKey, 'race:%'));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array.from({ length: 30 }, () => ['sent', 1]));
  });

  it('retries a row whose lease expired (a crash after claiming) with the same idempotency key', async () => {
    const { sent, sender } = recordingSms();
    t.deps.sms = sender;
    await enqueue(t.deps.db, t.deps.now(), sms('lease:1'));
    // An instance claims the row and dies before sending or finishing it.
    const claimed = await claimDue(t.deps, 10, 60_000);
    expect(claimed.map((r) => [r.dedupeKey, r.status, r.attempts])).toEqual([['lease:1', 'sending', 1]]);
    expect(claimed[0]!.leaseUntil!.toISOString()).toBe('2026-11-23T09:01:00.000Z');
    // While the lease holds, nobody else takes it.
    t.clock.advance(59_999);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(0);
    expect(sent).toHaveLength(0);
    t.clock.advance(1);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(1);
    expect(sent).toEqual([{ to: '+351912345678', body: 'olá lease:1', idempotencyKey: claimed[0]!.id }]);
    expect(await row(t.deps, 'lease:1')).toMatchObject({ status: 'sent', attempts: 2, leaseUntil: null });
  });

  it('a slow pass whose lease was taken over cannot undo the outcome of the pass that took it', async () => {
    /** A sender that stops in `send` until told how to answer. */
    const gated = () => {
      let reached!: () => void;
      let answer!: (fail: boolean) => void;
      const atSend = new Promise<void>((r) => (reached = r));
      const decided = new Promise<boolean>((r) => (answer = r));
      const calls: SmsMessage[] = [];
      const sender: SmsSender = {
        async send(m) {
          calls.push(m);
          reached();
          if (await decided) throw new Error('timed out at the gateway');
          return { providerMessageId: 'prov-late' };
        },
      };
      return { sender, calls, atSend, answer };
    };
    await enqueue(t.deps.db, t.deps.now(), sms('slow:1'));
    const a = gated();
    const b = gated();
    const passA = runOutboxOnce({ ...t.deps, sms: a.sender }, plain);
    await a.atSend;
    // A hangs past its 60 s lease; B takes the row over and is sending it too.
    t.clock.advance(60_000);
    const passB = runOutboxOnce({ ...t.deps, sms: b.sender }, plain);
    await b.atSend;
    expect((await row(t.deps, 'slow:1')).attempts).toBe(2);
    const origError = console.error;
    console.error = () => {};
    try {
      a.answer(true); // A fails: it no longer holds the lease, so the row stays B's
      expect(await passA).toEqual({ sent: 0, retried: 1, failed: 0, cancelled: 0 });
    } finally {
      console.error = origError;
    }
    expect(await row(t.deps, 'slow:1')).toMatchObject({ status: 'sending', lastError: null });
    b.answer(false);
    expect(await passB).toEqual({ sent: 1, retried: 0, failed: 0, cancelled: 0 });
    expect(await row(t.deps, 'slow:1')).toMatchObject({
      status: 'sent',
      attempts: 2,
      providerMessageId: 'prov-late',
      lastError: null,
      leaseUntil: null,
    });
    // Same idempotency key both times, so a gateway that honours it delivers once.
    expect([...a.calls, ...b.calls].map((m) => m.idempotencyKey)).toEqual([
      (await row(t.deps, 'slow:1')).id,
      (await row(t.deps, 'slow:1')).id,
    ]);
    t.clock.advance(86_400_000);
    expect((await runOutboxOnce(t.deps, plain)).sent).toBe(0);
  });

  it('cancels a row its renderer returns null for, and sends nothing', async () => {
    const { sent, sender } = recordingSms();
    t.deps.sms = sender;
    await enqueue(t.deps.db, t.deps.now(), sms('gone:1'));
    await enqueue(t.deps.db, t.deps.now(), sms('kept:1'));
    const render: MessageRenderer = async (deps, r) => (r.dedupeKey === 'gone:1' ? null : plain(deps, r));
    expect(await runOutboxOnce(t.deps, render)).toEqual({ sent: 1, retried: 0, failed: 0, cancelled: 1 });
    expect(sent.map((m) => m.body)).toEqual(['olá kept:1']);
    expect(await row(t.deps, 'gone:1')).toMatchObject({
      status: 'cancelled',
      sentAt: null,
      leaseUntil: null,
    });
    t.clock.advance(86_400_000);
    expect((await runOutboxOnce(t.deps, render)).cancelled).toBe(0);
  });

  it("erasure cancels an account's unsent messages and blanks every recipient of the account", async () => {
    const p = await loggedInPatient(t, 'Rita Esquecida');
    const other = await loggedInPatient(t, 'Rui Fica');
    await enqueue(t.deps.db, t.deps.now(), sms('forget:pending', { accountId: p.id }));
    await enqueue(
      t.deps.db,
      t.deps.now(),
      sms('forget:later', { accountId: p.id, sendAfter: new Date(T0 + 86_400_000) }),
    );
    await enqueue(t.deps.db, t.deps.now(), sms('forget:other', { accountId: other.id }));
    await t.deps.db
      .update(messages)
      .set({ status: 'failed', attempts: 6, lastError: 'x' })
      .where(eq(messages.dedupeKey, 'forget:pending'));
    await enqueue(t.deps.db, t.deps.now(), sms('forget:sent', { accountId: p.id }));
    await t.deps.db
      .update(messages)
      .set({ status: 'sent', attempts: 1, sentAt: new Date(T0) })
      .where(eq(messages.dedupeKey, 'forget:sent'));
    await enqueue(t.deps.db, t.deps.now(), sms('forget:inflight', { accountId: p.id }));
    await t.deps.db
      .update(messages)
      .set({ status: 'sending', attempts: 1, leaseUntil: new Date(T0 + 60_000) })
      .where(eq(messages.dedupeKey, 'forget:inflight'));
    await forgetAccountMessages(t.deps.db, p.id);
    for (const key of ['forget:pending', 'forget:later', 'forget:inflight']) {
      expect(await row(t.deps, key)).toMatchObject({ status: 'cancelled', recipient: '' });
    }
    // A sent message stays sent, without the phone number.
    expect(await row(t.deps, 'forget:sent')).toMatchObject({ status: 'sent', recipient: '' });
    expect(await row(t.deps, 'forget:other')).toMatchObject({
      status: 'pending',
      recipient: '+351912345678',
    });
    const { sent, sender } = recordingSms();
    t.deps.sms = sender;
    t.clock.advance(2 * 86_400_000);
    expect(await runOutboxOnce(t.deps, plain)).toEqual({ sent: 1, retried: 0, failed: 0, cancelled: 0 });
    expect(sent.map((m) => m.body)).toEqual(['olá forget:other']);
  });
});
