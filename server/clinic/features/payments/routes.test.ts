/**
 * Medium tests of taking payment at the desk through the HTTP API on a fresh SQLite with the small test
 * clinic (evaluation €35.00, massage €40.00): status and price, one live payment per appointment, receipt
 * numbers without gaps (also when requests fail in between, and enforced by the database itself), voiding,
 * the exact outbox and audit rows, the printable receipt, and that public screens see nothing of it.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { book, seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, TEST_CREDENTIALS, type Harness } from '../../testing/harness.ts';
import type { Board } from '../appointments/service.ts';
import type { PaymentStatus, PaymentView } from './service.ts';
import { versionOf } from '../../testing/versions.ts';

// Saturday 21 Nov 2026, 10:00 in Lisbon (UTC+0 in winter).
const NOW = Date.parse('2026-11-21T10:00:00Z');
const MISSING = '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c';

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

const count = (table: string) =>
  (h.deps.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

async function pay(appointmentId: string, body: unknown) {
  const res = await h.req('POST', `/api/appointments/${appointmentId}/payments`, body);
  return {
    status: res.status,
    body: (await res.json()) as PaymentView & { error?: { code: string; message: string } },
  };
}

async function status(appointmentId: string) {
  return (await (await h.req('GET', `/api/appointments/${appointmentId}/payment`)).json()) as PaymentStatus;
}

const receipts = () =>
  (
    h.deps.db.prepare('SELECT receipt_year, receipt_seq FROM payments ORDER BY rowid').all() as {
      receipt_year: number;
      receipt_seq: number;
    }[]
  ).map((r) => `R ${r.receipt_year}/${r.receipt_seq}`);

describe('desk payments', () => {
  it('records a cash payment once: status and price, 201 with R 2026/1, then 409 already_paid', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    expect(await status(a.id)).toEqual({ status: 'unpaid', priceCents: 3500, payment: null, online: null });

    const first = await pay(a.id, { method: 'cash', amountCents: 3500 });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      appointmentId: a.id,
      method: 'cash',
      amountCents: 3500,
      receiptNumber: 'R 2026/1',
      receivedAt: '2026-11-21T10:00:00.000Z',
      voidedAt: null,
      voidReason: null,
    });
    expect(await status(a.id)).toEqual({
      status: 'paid',
      priceCents: 3500,
      payment: first.body,
      online: null,
    });

    const second = await pay(a.id, { method: 'card', amountCents: 3500 });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'already_paid',
      message: expect.stringContaining('already paid (receipt R 2026/1)'),
      details: { receiptNumber: 'R 2026/1', paymentId: first.body.id },
    });
    expect(count('payments')).toBe(1);

    const massage = book(h.deps, clinic, 'Rui Teste Costa', 30, { specialtyId: clinic.specialties.massage });
    expect((await status(massage.id)).priceCents).toBe(4000);
  });

  it('writes exactly one outbox row and one audit row per payment and per void', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    const outbox0 = count('outbox');
    const audit0 = count('audit_log');
    const newRows = () =>
      h.deps.db
        .prepare('SELECT entity, entity_id, op, version, payload FROM outbox WHERE seq > ? ORDER BY seq')
        .all(outbox0) as {
        entity: string;
        entity_id: string;
        op: string;
        version: number;
        payload: string;
      }[];
    const { body: p } = await pay(a.id, { method: 'card', amountCents: 3000 });
    const afterPay = newRows();
    h.setNow(NOW + 60_000);
    await h.req('POST', `/api/payments/${p.id}/void`, { reason: 'Valor errado' });

    // The void's snapshot replaces the payment's first one, not yet pushed (only the newest travels).
    const outbox = [...afterPay, ...newRows()];
    const row = {
      id: p.id,
      appointment_id: a.id,
      method: 'card',
      amount_cents: 3000,
      receipt_year: 2026,
      receipt_seq: 1,
      received_by: 'staff:test.admin',
      created_at: '2026-11-21T10:00:00.000Z',
    };
    expect(outbox.map((o) => ({ ...o, payload: JSON.parse(o.payload) as unknown }))).toEqual([
      {
        entity: 'payment',
        entity_id: p.id,
        op: 'upsert',
        version: 1,
        payload: {
          ...row,
          updated_at: '2026-11-21T10:00:00.000Z',
          voided_at: null,
          void_reason: null,
          version: 1,
        },
      },
      {
        entity: 'payment',
        entity_id: p.id,
        op: 'upsert',
        version: 2,
        payload: {
          ...row,
          updated_at: '2026-11-21T10:01:00.000Z',
          voided_at: '2026-11-21T10:01:00.000Z',
          void_reason: 'Valor errado',
          version: 2,
        },
      },
    ]);

    const audit = h.deps.db
      .prepare(
        'SELECT at, actor, action, entity, entity_id, detail FROM audit_log WHERE seq > ? ORDER BY seq',
      )
      .all(audit0) as { detail: string }[];
    expect(audit.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }))).toEqual([
      {
        at: '2026-11-21T10:00:00.000Z',
        actor: 'staff:test.admin',
        action: 'payment.create',
        entity: 'payment',
        entity_id: p.id,
        detail: { appointmentId: a.id, method: 'card', amountCents: 3000, receiptNumber: 'R 2026/1' },
      },
      {
        at: '2026-11-21T10:01:00.000Z',
        actor: 'staff:test.admin',
        action: 'payment.void',
        entity: 'payment',
        entity_id: p.id,
        detail: { appointmentId: a.id, receiptNumber: 'R 2026/1' },
      },
    ]);
  });

  it('numbers receipts 1, 2, 3 with no gap when requests fail in between, and restarts each year', async () => {
    const [a, b, c] = ['Ana Teste Um', 'Bruno Teste Dois', 'Carla Teste Três'].map((n, i) =>
      book(h.deps, clinic, n, 10 * (i + 1)),
    ) as [ReturnType<typeof book>, ReturnType<typeof book>, ReturnType<typeof book>];
    expect((await pay(a.id, { method: 'cash', amountCents: 3500 })).body.receiptNumber).toBe('R 2026/1');

    const failures = [
      [b.id, { method: 'cash', amountCents: 0 }, 400, 'validation_failed'],
      [b.id, { method: 'cash', amountCents: 1_000_001 }, 400, 'validation_failed'],
      [b.id, { method: 'cash', amountCents: 12.5 }, 400, 'validation_failed'],
      [b.id, { method: 'mbway', amountCents: 3500 }, 400, 'validation_failed'],
      [b.id, { method: 'cash' }, 400, 'validation_failed'],
      [MISSING, { method: 'cash', amountCents: 3500 }, 404, 'appointment_not_found'],
      [a.id, { method: 'cash', amountCents: 3500 }, 409, 'already_paid'],
    ] as const;
    for (const [id, body, code, error] of failures) {
      const res = await pay(id, body);
      expect([res.status, res.body.error?.code]).toEqual([code, error]);
    }

    expect((await pay(b.id, { method: 'card', amountCents: 1 })).body.receiptNumber).toBe('R 2026/2');
    expect((await pay(c.id, { method: 'cash', amountCents: 1_000_000 })).body.receiptNumber).toBe('R 2026/3');
    // New Year's Day in Lisbon starts a new series.
    h.setNow(Date.parse('2027-01-01T00:30:00Z'));
    const d = book(h.deps, clinic, 'Duarte Teste Quatro', 10);
    expect((await pay(d.id, { method: 'cash', amountCents: 3500 })).body.receiptNumber).toBe('R 2027/1');
    expect(receipts()).toEqual(['R 2026/1', 'R 2026/2', 'R 2026/3', 'R 2027/1']);
  });

  it('voids a mistaken payment: the number stays used, the appointment is unpaid, the receipt says ANULADO', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    const { body: p } = await pay(a.id, { method: 'cash', amountCents: 3000 });

    const short = await h.req('POST', `/api/payments/${p.id}/void`, { reason: ' x ' });
    expect([short.status, ((await short.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'validation_failed',
    ]);
    const res = await h.req('POST', `/api/payments/${p.id}/void`, { reason: '  Valor errado  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: p.id,
      receiptNumber: 'R 2026/1',
      voidedAt: '2026-11-21T10:00:00.000Z',
      voidReason: 'Valor errado',
    });
    expect(await status(a.id)).toEqual({ status: 'unpaid', priceCents: 3500, payment: null, online: null });

    const again = await h.req('POST', `/api/payments/${p.id}/void`, { reason: 'Outra vez' });
    expect([again.status, ((await again.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      'payment_voided',
    ]);
    const missing = await h.req('POST', `/api/payments/${MISSING}/void`, { reason: 'Não existe' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'payment_not_found' } });

    const redo = await pay(a.id, { method: 'cash', amountCents: 3500 });
    expect([redo.status, redo.body.receiptNumber]).toEqual([201, 'R 2026/2']);
    expect(receipts()).toEqual(['R 2026/1', 'R 2026/2']);

    const receipt = await (await h.req('GET', `/receipts/${p.id}`)).text();
    expect(receipt).toContain('ANULADO');
    expect(receipt).toContain('Valor errado');
    expect(await (await h.req('GET', `/receipts/${redo.body.id}`)).text()).not.toContain('ANULADO');
  });

  it('lets the database refuse a gap, a delete or a change of what was received', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    const b = book(h.deps, clinic, 'Rui Teste Costa', 30);
    const { body: p } = await pay(a.id, { method: 'cash', amountCents: 3500 });
    const insert = (appointmentId: string, seq: number, year = 2026) =>
      h.deps.db
        .prepare(
          `INSERT INTO payments (id, appointment_id, method, amount_cents, receipt_year, receipt_seq,
             received_by, created_at, updated_at) VALUES (?, ?, 'cash', 3500, ?, ?, 'desk', 'x', 'x')`,
        )
        .run(`manual-${year}-${seq}`, appointmentId, year, seq);

    expect(() => insert(b.id, 3)).toThrow(/receipt_seq must be the next number of its year/);
    expect(() => insert(b.id, 1)).toThrow(/receipt_seq must be the next number of its year/);
    expect(() => insert(b.id, 1, 2027)).not.toThrow(); // the first of another year is a next number
    expect(() => h.deps.db.prepare('DELETE FROM payments WHERE id = ?').run(p.id)).toThrow(
      /payments are never deleted/,
    );
    expect(() => h.deps.db.prepare('DELETE FROM payments').run()).toThrow(/payments are never deleted/);
    expect(() => h.deps.db.prepare('UPDATE payments SET amount_cents = 1 WHERE id = ?').run(p.id)).toThrow(
      /only ever voided/,
    );
    expect(() => h.deps.db.prepare('UPDATE payments SET receipt_seq = 9 WHERE id = ?').run(p.id)).toThrow(
      /only ever voided/,
    );
    // A second live payment for one appointment is refused by the partial unique index.
    expect(() => insert(a.id, 2)).toThrow(/UNIQUE constraint failed: payments.appointment_id/);
    expect(receipts()).toEqual(['R 2026/1', 'R 2027/1']);
  });

  it('marks paid rows on the desk board, and public screens see nothing about payments', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 5);
    const b = book(h.deps, clinic, 'Rui Teste Costa', 10);
    for (const id of [a.id, b.id])
      await h.req('POST', `/api/appointments/${id}/status`, {
        expectedVersion: versionOf(h.deps, id),
        status: 'arrived',
      });
    const seq = h.deps.events.seq;
    await pay(a.id, { method: 'card', amountCents: 3500 });
    expect(h.deps.events.seq).toBe(seq + 1); // the board stream sends a new snapshot

    const board = (await (await h.req('GET', '/api/board')).json()) as Board;
    expect(board.appointments.map((x) => [x.id, x.paid])).toEqual([
      [a.id, true],
      [b.id, false],
    ]);
    const moved = await h.req('POST', `/api/appointments/${a.id}/status`, {
      expectedVersion: versionOf(h.deps, a.id),
      status: 'called',
    });
    expect(((await moved.json()) as Board['appointments'][number]).paid).toBe(true);

    const display = await h.req('GET', '/api/display', undefined, {
      authorization: `Bearer ${TEST_CREDENTIALS.display}`,
    });
    expect(display.status).toBe(200);
    const text = await display.text();
    expect(text).toContain('Marta S.'); // the paid patient is on it…
    expect(text).not.toMatch(/paid|payment|amount|price|receipt|cents/i); // …with nothing about payments

    for (const screen of ['display', 'kiosk'] as const) {
      const auth = { authorization: `Bearer ${TEST_CREDENTIALS[screen]}` };
      expect((await h.req('GET', `/api/appointments/${b.id}/payment`, undefined, auth)).status).toBe(403);
      const post = await h.req(
        'POST',
        `/api/appointments/${b.id}/payments`,
        { method: 'cash', amountCents: 3500 },
        auth,
      );
      expect(post.status).toBe(403);
    }
    expect(count('payments')).toBe(1);
  });
});

describe('printable receipt', () => {
  it('shows the clinic, number, Lisbon time, patient, specialty, practitioner, amount and method', async () => {
    h.setNow(Date.parse('2026-07-01T13:05:00Z')); // summer: Lisbon is UTC+1
    h.deps.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 'x'), (?, ?, 'x'), (?, ?, 'x')")
      .run(
        'clinicName',
        JSON.stringify('Clínica <Teste>'),
        'clinicAddress',
        JSON.stringify('Rua das Flores 1, 1200-001 Lisboa'),
        'clinicNif',
        JSON.stringify('PT 501 964 843'),
      );
    const a = book(h.deps, clinic, 'Rita <b>Teste</b> Sousa', 0, { specialtyId: clinic.specialties.massage });
    const { body: p } = await pay(a.id, { method: 'card', amountCents: 4500 });

    const res = await h.req('GET', `/receipts/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    const text = page
      .replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    for (const expected of [
      'Clínica &lt;Teste&gt;',
      'Rua das Flores 1, 1200-001 Lisboa',
      'NIF 501964843',
      'Recibo R 2026/1',
      'Data 01/07/2026, 14:05',
      'Utente Rita &lt;b&gt;Teste&lt;/b&gt; Sousa',
      'Especialidade Massagem',
      'Profissional Dr.ª Marta Lopes',
      'Valor 45,00 €',
      'Pagamento Multibanco (TPA)',
      'Recibo — não substitui a fatura',
      'Imprimir',
    ])
      expect(text).toContain(expected);
    expect(page).not.toContain('<b>Teste</b>');
    expect(page).toContain('@media print');

    // The Print button's script is the only one, and the CSP allows exactly it.
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(res.headers.get('content-security-policy')).toContain(`script-src 'sha256-${hash}'`);
    expect(page.match(/<script/g)).toHaveLength(1);

    const audit = h.deps.db
      .prepare("SELECT actor, entity_id, detail FROM audit_log WHERE action = 'payment.receipt'")
      .all();
    expect(audit).toEqual([
      { actor: 'staff:test.admin', entity_id: p.id, detail: '{"receiptNumber":"R 2026/1"}' },
    ]);
  });

  it('prints cash as Numerário, and needs a desk login', async () => {
    const a = book(h.deps, clinic, 'Marta Teste Sousa', 15);
    const { body: p } = await pay(a.id, { method: 'cash', amountCents: 3500 });
    const page = await (await h.req('GET', `/receipts/${p.id}`)).text();
    expect(page).toContain('Numerário');
    expect(page).toContain('Clínica de Fisioterapia');
    expect(page).not.toContain('NIF');

    expect((await h.req('GET', `/receipts/${p.id}`, undefined, { authorization: '' })).status).toBe(401);
    const asDisplay = { authorization: `Bearer ${TEST_CREDENTIALS.display}` };
    expect((await h.req('GET', `/receipts/${p.id}`, undefined, asDisplay)).status).toBe(403);
    // The desk's browser window sends the staff's HttpOnly cookie and names its screen; the desk's launch
    // credential alone identifies nobody.
    const access = (await h.as('receptionist')).authorization!.slice('Bearer '.length);
    const byCookie = await h.req('GET', `/receipts/${p.id}?screen=desk`, undefined, {
      authorization: '',
      cookie: `__Host-cfd_staff_access=${access}; cfd_display=${TEST_CREDENTIALS.display}`,
    });
    expect(byCookie.status).toBe(200);
    const launchOnly = await h.req('GET', `/receipts/${p.id}?screen=desk`, undefined, {
      authorization: '',
      cookie: `cfd_desk=${TEST_CREDENTIALS.desk}`,
    });
    expect(launchOnly.status).toBe(401);
    const asPractitioner = await h.req('GET', `/receipts/${p.id}`, undefined, await h.as('practitioner'));
    expect(asPractitioner.status).toBe(403);
    const missing = await h.req('GET', `/receipts/${MISSING}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'payment_not_found' } });
  });
});
