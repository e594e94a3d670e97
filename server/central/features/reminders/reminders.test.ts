/**
 * Appointment reminders on each driver, in the pay-at-clinic demo clinic: booking queues SMS and email
 * reminders 24 h and 2 h before (moved out of the 21:00–09:00 Lisbon quiet hours); cancel cancels them;
 * reschedule moves them; the outbox sends the SMS with the booking code and the confirm/cancel links;
 * a reminder whose appointment was cancelled meanwhile is dropped. The `/r/{token}` page: shows the
 * appointment (no patient name), confirms attendance (audited), cancels within policy (409 outside),
 * 404 for an unknown token, 403 for a foreign Origin or a cross-site Sec-Fetch-Site.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { appointments, auditLog, messages } from '../../db/schema.ts';
import { runOutboxOnce } from '../../outbox/outbox.ts';
import { renderMessage } from '../../outbox/render.ts';
import { createTestCentral, describeDrivers, TEST_ORIGIN, type TestCentral } from '../../testing/harness.ts';
import { DEMO_CLINIC, DEMO_PRACTITIONERS, loggedInPatient, seedClinic } from '../../testing/fixtures.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOW = '2026-11-23T09:00:00.000Z'; // Monday; Lisbon is on UTC in November
const MARTA = DEMO_PRACTITIONERS[0]!;
const TOKEN_URL = /^http:\/\/127\.0\.0\.1:4320\/r\/([A-Za-z0-9_-]{22})\?do=(confirm|cancel)$/;

async function book(t: TestCentral, startsAt: string, name = 'Ana Lembrada Sousa') {
  const p = await loggedInPatient(t, name);
  const held = await p.http.post('/api/holds', {
    clinicId: DEMO_CLINIC.id,
    specialty: 'msk_physio',
    startsAt,
    practitionerId: MARTA.id,
  });
  expect(held.status).toBe(201);
  const { hold } = (await held.json()) as Json;
  const confirmed = await p.http.post(`/api/holds/${hold.id}/confirm`);
  expect(confirmed.status).toBe(201);
  const { appointment } = (await confirmed.json()) as Json;
  return { p, appointment: appointment as Json };
}

/** The reminder rows of an appointment: [dedupe key, channel, status, send_after] by send time. */
async function reminders(t: TestCentral, appointmentId: string) {
  const rows = await t.deps.db
    .select()
    .from(messages)
    .where(and(eq(messages.appointmentId, appointmentId), eq(messages.kind, 'reminder')))
    .orderBy(messages.sendAfter, messages.channel);
  return rows;
}

/** The reminder link token of an appointment (from its queued payload). */
async function linkToken(t: TestCentral, appointmentId: string): Promise<string> {
  const [r] = await reminders(t, appointmentId);
  const m = TOKEN_URL.exec(String((r!.payload as Json).confirmUrl));
  return m![1]!;
}

/** A form post to the reminder page, as the browser sends it. */
function postForm(
  t: TestCentral,
  token: string,
  action: string,
  origin: string | null = TEST_ORIGIN,
  headers: Record<string, string> = {},
) {
  return t.app.request(`${TEST_ORIGIN}/r/${token}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin ? { origin } : {}),
      ...headers,
    },
    body: new URLSearchParams({ action }).toString(),
  });
}

describeDrivers('appointment reminders', (driver) => {
  let t: TestCentral;
  beforeAll(async () => {
    t = await createTestCentral(driver, { now: NOW });
    await seedClinic(t);
  });
  afterAll(async () => t.close());
  beforeEach(() => t.clock.set(NOW));

  it('queues SMS and email 24 h and 2 h before, outside quiet hours, with the links', async () => {
    const { p, appointment } = await book(t, '2026-11-25T10:00:00.000Z');
    expect(appointment.status).toBe('confirmed');
    const rows = await reminders(t, appointment.id);
    // 2 h before is Wed 08:00, in quiet hours (21:00–09:00): moved to the minute before they began.
    expect(
      rows.map((r) => [r.dedupeKey, r.channel, r.recipient, r.status, r.sendAfter.toISOString()]),
    ).toEqual([
      [`reminder:${appointment.id}:24h:email`, 'email', p.email, 'pending', '2026-11-24T10:00:00.000Z'],
      [`reminder:${appointment.id}:24h:sms`, 'sms', '+351912345678', 'pending', '2026-11-24T10:00:00.000Z'],
      [`reminder:${appointment.id}:2h:email`, 'email', p.email, 'pending', '2026-11-24T20:59:00.000Z'],
      [`reminder:${appointment.id}:2h:sms`, 'sms', '+351912345678', 'pending', '2026-11-24T20:59:00.000Z'],
    ]);
    const payload = rows[0]!.payload as Json;
    expect(payload).toMatchObject({ appointmentId: appointment.id, startsAt: '2026-11-25T10:00:00.000Z' });
    const token = TOKEN_URL.exec(payload.confirmUrl)![1]!;
    expect(payload.confirmUrl).toBe(`${TEST_ORIGIN}/r/${token}?do=confirm`);
    expect(payload.cancelUrl).toBe(`${TEST_ORIGIN}/r/${token}?do=cancel`);
    expect(rows.map((r) => (r.payload as Json).hours)).toEqual([24, 24, 2, 2]);
    // One link for all four.
    expect(new Set(rows.map((r) => (r.payload as Json).confirmUrl)).size).toBe(1);
  });

  it('sends the SMS at its time with the booking code and both links, once', async () => {
    const { p, appointment } = await book(t, '2026-11-25T11:00:00.000Z');
    const token = await linkToken(t, appointment.id);
    const mine = () =>
      t.sms.filter((m) => m.body.includes('lembrete') && m.body.includes(appointment.bookingCode));
    t.clock.set('2026-11-24T10:59:59.999Z');
    await runOutboxOnce(t.deps, renderMessage, { limit: 100 });
    expect(mine()).toHaveLength(0);
    t.clock.set('2026-11-24T11:00:00.000Z');
    await runOutboxOnce(t.deps, renderMessage, { limit: 100 });
    expect(mine().map((m) => [m.to, m.body])).toEqual([
      [
        '+351912345678',
        `Clínica Fisio Demo: lembrete da consulta 25/11, 11:00, código ${appointment.bookingCode}. ` +
          `Confirmar: ${TEST_ORIGIN}/r/${token}?do=confirm Cancelar: ${TEST_ORIGIN}/r/${token}?do=cancel`,
      ],
    ]);
    const mail = t.mail.filter((m) => m.to === p.email && m.subject === 'Lembrete da sua consulta');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`Código da marcação: ${appointment.bookingCode}.`);
    expect(mail[0]!.text).toContain(`${TEST_ORIGIN}/r/${token}?do=confirm`);
    const sent = (await reminders(t, appointment.id)).filter((r) => r.status === 'sent');
    expect(sent.map((r) => r.dedupeKey).sort()).toEqual(
      [`reminder:${appointment.id}:24h:email`, `reminder:${appointment.id}:24h:sms`].sort(),
    );
    await runOutboxOnce(t.deps, renderMessage, { limit: 100 });
    expect(mine()).toHaveLength(1);
  });

  it('cancelling the appointment cancels its reminders', async () => {
    const { p, appointment } = await book(t, '2026-11-25T12:00:00.000Z');
    const res = await p.http.post(`/api/me/appointments/${appointment.id}/cancel`);
    expect(res.status).toBe(200);
    expect((await reminders(t, appointment.id)).map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });

  it('rescheduling cancels the old reminders and schedules the new ones', async () => {
    const { p, appointment } = await book(t, '2026-11-25T14:00:00.000Z');
    const held = await p.http.post('/api/holds', {
      clinicId: DEMO_CLINIC.id,
      specialty: 'msk_physio',
      startsAt: '2026-11-26T15:00:00.000Z',
      practitionerId: MARTA.id,
    });
    expect(held.status).toBe(201);
    const { hold } = (await held.json()) as Json;
    const moved = await p.http.post(`/api/me/appointments/${appointment.id}/reschedule`, { holdId: hold.id });
    expect(moved.status).toBe(200);
    const next = ((await moved.json()) as Json).appointment;
    expect((await reminders(t, appointment.id)).map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    const rows = await reminders(t, next.id);
    expect(
      rows.map((r) => [(r.payload as Json).hours, r.channel, r.status, r.sendAfter.toISOString()]),
    ).toEqual([
      [24, 'email', 'pending', '2026-11-25T15:00:00.000Z'],
      [24, 'sms', 'pending', '2026-11-25T15:00:00.000Z'],
      [2, 'email', 'pending', '2026-11-26T13:00:00.000Z'],
      [2, 'sms', 'pending', '2026-11-26T13:00:00.000Z'],
    ]);
    expect((rows[0]!.payload as Json).startsAt).toBe('2026-11-26T15:00:00.000Z');
    expect(await linkToken(t, next.id)).not.toBe(await linkToken(t, appointment.id));
  });

  it('drops a reminder whose appointment was cancelled after it was queued', async () => {
    const { appointment } = await book(t, '2026-11-25T15:00:00.000Z');
    // Cancelled behind the outbox's back (e.g. by the clinic's sync), its rows still pending.
    await t.deps.db
      .update(appointments)
      .set({ status: 'cancelled', cancelledBy: 'clinic' })
      .where(eq(appointments.id, appointment.id));
    t.clock.set('2026-11-24T15:00:00.000Z');
    const pass = await runOutboxOnce(t.deps, renderMessage, { limit: 100 });
    expect(pass.cancelled).toBeGreaterThanOrEqual(2);
    const rows = await reminders(t, appointment.id);
    expect(rows.map((r) => [(r.payload as Json).hours, r.channel, r.status])).toEqual([
      [24, 'email', 'cancelled'],
      [24, 'sms', 'cancelled'],
      [2, 'email', 'pending'],
      [2, 'sms', 'pending'],
    ]);
    expect(
      t.sms.filter((m) =>
        m.body.includes(`lembrete da consulta 25/11, 15:00, código ${appointment.bookingCode}`),
      ),
    ).toEqual([]);
    expect(
      t.mail.filter(
        (m) => m.subject === 'Lembrete da sua consulta' && m.text.includes(appointment.bookingCode),
      ),
    ).toEqual([]);
  });

  it('the reminder page shows the appointment without the name, and confirms attendance (audited)', async () => {
    const { p, appointment } = await book(t, '2026-11-25T16:00:00.000Z', 'Beatriz Confirmada Reis');
    const token = await linkToken(t, appointment.id);
    const page = await t.app.request(`${TEST_ORIGIN}/r/${token}?do=confirm`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain(`<dt>Código</dt><dd>${appointment.bookingCode}</dd>`);
    expect(html).toContain('<dt>Estado</dt><dd>Marcada</dd>');
    expect(html).toContain('quarta-feira, 25 de novembro');
    expect(html).toContain('16:00');
    expect(html).not.toContain('Beatriz');
    expect(html).not.toContain('Confirmada Reis');
    // GET changes nothing.
    const [before] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(before!.patientConfirmedAt).toBeNull();

    t.clock.set('2026-11-24T12:00:00.000Z');
    const res = await postForm(t, token, 'confirm');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('Obrigado: presença confirmada. / Thank you: attendance confirmed.');
    expect(body).toContain('<dt>Estado</dt><dd>Presença confirmada</dd>');
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(a!.patientConfirmedAt!.toISOString()).toBe('2026-11-24T12:00:00.000Z');
    // Again: idempotent, the first time kept, one audit row.
    t.clock.advance(60_000);
    expect((await postForm(t, token, 'confirm')).status).toBe(200);
    const [a2] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect(a2!.patientConfirmedAt!.toISOString()).toBe('2026-11-24T12:00:00.000Z');
    const audit = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, appointment.id), eq(auditLog.action, 'booking.patient_confirmed')));
    expect(audit.map((r) => [r.actor, r.entity, r.clinicId, r.details, r.at.toISOString()])).toEqual([
      [
        `account:${p.id}`,
        'appointment',
        DEMO_CLINIC.id,
        { via: 'reminder_link' },
        '2026-11-24T12:00:00.000Z',
      ],
    ]);
    // An unknown choice is a 400 with the page.
    expect((await postForm(t, token, 'maybe')).status).toBe(400);
  });

  it('the reminder page cancels within the policy, and answers 409 outside it', async () => {
    const a = await book(t, '2026-11-25T17:00:00.000Z');
    const b = await book(t, '2026-11-25T18:00:00.000Z');
    const tokenA = await linkToken(t, a.appointment.id);
    const tokenB = await linkToken(t, b.appointment.id);

    const ok = await postForm(t, tokenA, 'cancel');
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    expect(okHtml).toContain('A consulta foi cancelada. / The appointment was cancelled.');
    expect(okHtml).toContain('<dt>Estado</dt><dd>Cancelada</dd>');
    expect(okHtml).not.toContain('name="action"');
    const [ra] = await t.deps.db.select().from(appointments).where(eq(appointments.id, a.appointment.id));
    expect([ra!.status, ra!.cancelledBy]).toEqual(['cancelled', 'patient']);
    expect((await reminders(t, a.appointment.id)).every((r) => r.status === 'cancelled')).toBe(true);
    const audit = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, a.appointment.id), eq(auditLog.action, 'booking.cancel')));
    expect(audit.map((r) => r.actor)).toEqual([`account:${a.p.id}`]);
    // Cancelling again: no longer changeable → 409 with the message.
    expect((await postForm(t, tokenA, 'cancel')).status).toBe(409);
    // Confirming a cancelled appointment records nothing.
    const confirm = await postForm(t, tokenA, 'confirm');
    expect(confirm.status).toBe(409);
    expect(await confirm.text()).toContain(
      'Esta consulta já não está marcada. / This appointment is no longer booked.',
    );
    const [ra2] = await t.deps.db.select().from(appointments).where(eq(appointments.id, a.appointment.id));
    expect(ra2!.patientConfirmedAt).toBeNull();
    expect(
      await t.deps.db
        .select()
        .from(auditLog)
        .where(
          and(eq(auditLog.entityId, a.appointment.id), eq(auditLog.action, 'booking.patient_confirmed')),
        ),
    ).toEqual([]);

    // Within 24 h of the start: outside the policy.
    t.clock.set('2026-11-24T18:00:00.001Z');
    const late = await postForm(t, tokenB, 'cancel');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(
      'Já não é possível cancelar por aqui; por favor contacte a clínica. / It is too late to cancel here; please call the clinic.',
    );
    const [rb] = await t.deps.db.select().from(appointments).where(eq(appointments.id, b.appointment.id));
    expect(rb!.status).toBe('confirmed');
  });

  it('unknown or expired tokens answer 404; a foreign Origin answers 403', async () => {
    const { appointment } = await book(t, '2026-11-26T10:00:00.000Z');
    const token = await linkToken(t, appointment.id);
    for (const bad of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', encodeURIComponent('../../etc/passwd-xxxxxxxx')]) {
      const res = await t.app.request(`${TEST_ORIGIN}/r/${bad}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Ligação inválida ou expirada');
    }
    expect((await postForm(t, 'AAAAAAAAAAAAAAAAAAAAAA', 'confirm')).status).toBe(404);

    const foreign = await postForm(t, token, 'cancel', 'https://evil.example');
    expect(foreign.status).toBe(403);
    // Sec-Fetch-Site, when sent, decides: cross-site is refused even with our Origin…
    expect((await postForm(t, token, 'cancel', TEST_ORIGIN, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    );
    expect((await postForm(t, token, 'cancel', null, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    const [a] = await t.deps.db.select().from(appointments).where(eq(appointments.id, appointment.id));
    expect([a!.status, a!.patientConfirmedAt]).toEqual(['confirmed', null]);
    // …and a same-origin post from a no-referrer page (Origin: null) is accepted.
    const ok = await postForm(t, token, 'confirm', 'null', { 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
    const [confirmed] = await t.deps.db
      .select()
      .from(appointments)
      .where(eq(appointments.id, appointment.id));
    expect(confirmed!.patientConfirmedAt!.toISOString()).toBe(NOW);

    // The link expires at the start.
    t.clock.set('2026-11-26T10:00:00.000Z');
    expect((await t.app.request(`${TEST_ORIGIN}/r/${token}`)).status).toBe(404);
  });
});
