/**
 * Routes of taking payment at the desk: the appointment's payment status, recording and voiding a payment
 * (mounted under /api), and the printable receipt page (mounted at the root, `/receipts/:id`). All of them
 * are the desk's alone: the kiosk's and the display's credentials get 403, as public screens show
 * nothing about payments.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { AppError } from '../../../domain/errors.ts';
import { idParam } from '../../../domain/schemas.ts';
import { validate } from '../../../http/validate.ts';
import type { ClinicDeps } from '../../deps.ts';
import type { AppEnv } from '../../http/context.ts';
import { RECEIPT_CSP, receiptPage } from './receipt-page.ts';
import { paymentInput, paymentStatus, receiptFor, recordPayment, voidInput, voidPayment } from './service.ts';

/** Refuses every caller but the desk. @throws AppError forbidden (403) */
const deskOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.actor !== 'desk') throw new AppError('forbidden', 'payments are handled at the desk only');
  await next();
};

/**
 * `GET /appointments/:id/payment`, `POST /appointments/:id/payments` (201), `POST /payments/:id/void`.
 * Mount under /api (behind `requireCredential`).
 */
export function paymentRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .use('/appointments/:id/payment', deskOnly)
    .use('/appointments/:id/payments', deskOnly)
    .use('/payments/*', deskOnly)
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
 * root behind `requireCredential` for `/receipts/*` (the desk opens it with `?screen=desk`, so its cookie
 * is used).
 */
export function receiptRoutes(deps: ClinicDeps) {
  return new Hono<AppEnv>()
    .use('/receipts/*', deskOnly)
    .get('/receipts/:id', validate('param', idParam<'payment'>()), (c) => {
      const page = receiptPage(receiptFor(deps, c.req.valid('param').id, c.var.actor));
      c.header('Content-Security-Policy', RECEIPT_CSP);
      c.header('Cache-Control', 'no-store');
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'no-referrer');
      return c.html(page);
    });
}
