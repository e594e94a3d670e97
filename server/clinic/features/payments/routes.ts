/**
 * Routes of taking payment at the desk: the appointment's payment status, recording and voiding a payment
 * (mounted under /api), and the printable receipt page (mounted at the root, `/receipts/:id`). All of them
 * are the desk's alone: the kiosk's and the display's credentials get 403, as public screens show
 * nothing about payments.
 */
import { Hono } from 'hono';
import { idParam } from '../../../domain/schemas.ts';
import { validate } from '../../../http/validate.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { RECEIPT_CSP, receiptPage } from './receipt-page.ts';
import { paymentInput, paymentStatus, receiptFor, recordPayment, voidInput, voidPayment } from './service.ts';

/**
 * `GET /appointments/:id/payment`, `POST /appointments/:id/payments` (201), `POST /payments/:id/void`.
 * Mount under /api; admins and receptionists only (server/clinic/http/access.ts).
 */
export function paymentRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .get('/appointments/:id/payment', validate('param', idParam<'appointment'>()), (c) =>
      c.json(paymentStatus(deps, c.req.valid('param').id)),
    )
    .post(
      '/appointments/:id/payments',
      validate('param', idParam<'appointment'>()),
      validate('json', paymentInput),
      (c) => c.json(recordPayment(deps, c.req.valid('param').id, c.req.valid('json'), c.var.actor), 201),
    )
    .post('/payments/:id/void', validate('param', idParam<'payment'>()), validate('json', voidInput), (c) =>
      c.json(voidPayment(deps, c.req.valid('param').id, c.req.valid('json').reason, c.var.actor)),
    );
}

/**
 * `GET /receipts/:id`: the payment's printable receipt (HTML, no-store, its own strict CSP). Mount at the
 * root behind the security middleware for `/receipts/*` (the desk opens it with `?screen=desk`, so the
 * staff cookie is used); admins and receptionists only.
 */
export function receiptRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>().get('/receipts/:id', validate('param', idParam<'payment'>()), (c) => {
    const page = receiptPage(receiptFor(deps, c.req.valid('param').id, c.var.actor));
    c.header('Content-Security-Policy', RECEIPT_CSP);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(page);
  });
}
