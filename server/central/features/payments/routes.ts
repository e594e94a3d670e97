/**
 * Payment routes (mounted under /api):
 * - the payment page's API, reached with a payment-link token and no login (`/pay/{token}…`): the order,
 *   invoice details, a Multibanco reference, an MB WAY request, live status (SSE) and the invoice PDF;
 * - the logged-in patient's "Pay" button and invoice download (`/me/appointments/{id}/…`);
 * - the provider's callback (`/payments/callbacks/{provider}`, GET as ifthenpay calls it, POST too):
 *   the key is checked, the delivery recorded and answered 200 at once, the work done after;
 * - admin (bearer `ADMIN_TOKEN`): the reconciliation report and recording refunds.
 * Contracts: server/domain/payments/dto.ts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { idParam } from '../../../domain/booking.ts';
import { AppError } from '../../../domain/errors.ts';
import { invoiceDetailsInput, mbwayInput, payLinkDto, payOrderDto } from '../../../domain/payments/dto.ts';
import { writeAudit } from '../../db/changes.ts';
import { ChangeFanout } from '../../db/fanout.ts';
import type { CentralDeps } from '../../deps.ts';
import { requireCaller } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import type { CentralEnv } from '../../http/context.ts';
import { errors, json, jsonBody, newRouter } from '../../http/router.ts';
import { sameSecret } from '../../payments/provider.ts';
import * as bookingService from '../booking/service.ts';
import { invoiceOfOrder, invoicePdf } from './invoicing.ts';
import {
  createPayLink,
  loadOrder,
  orderIdOfAppointment,
  payLinkUrl,
  PAY_LINK_AFTER_START_MS,
} from './orders.ts';
import * as service from './service.ts';

const tokenParam = z.object({ token: z.string().min(16).max(64) });
const orderBody = payOrderDto;
const pdfResponse = {
  description: 'the PDF',
  content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
};

/** Bearer `ADMIN_TOKEN`; 403 when none is configured. */
function requireAdmin(deps: CentralDeps): MiddlewareHandler<CentralEnv> {
  return async (c, next) => {
    const expected = deps.config.adminToken;
    if (!expected) throw new AppError('forbidden', 'admin routes are off (set ADMIN_TOKEN)');
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    if (!m || !sameSecret(m[1]!, expected)) throw new AppError('unauthorized', 'admin bearer token required');
    await next();
  };
}

function defineRoutes(deps: CentralDeps) {
  const pay = { tags: ['payments'] };
  const caller = { tags: ['payments'], security: [{ cookieAuth: [] }], middleware: requireCaller(deps) };
  const admin = { tags: ['admin'], security: [{ bearerAuth: [] }], middleware: requireAdmin(deps) };
  return {
    order: createRoute({
      ...pay,
      method: 'get',
      path: '/pay/{token}',
      summary: 'The order a payment link opens (no login; the link shows only that order)',
      request: { params: tokenParam },
      responses: {
        200: json(orderBody, 'the order'),
        ...errors('validation_failed', 'pay_link_not_found', 'pay_link_expired'),
      },
    }),
    details: createRoute({
      ...pay,
      method: 'put',
      path: '/pay/{token}/invoice-details',
      summary: 'Invoice details: name, NIF (check digit validated; null = Consumidor final), address',
      request: { params: tokenParam, body: jsonBody(invoiceDetailsInput) },
      responses: {
        200: json(orderBody, 'saved'),
        ...errors(
          'validation_failed',
          'nif_invalid',
          'pay_link_not_found',
          'pay_link_expired',
          'order_not_payable',
        ),
      },
    }),
    multibanco: createRoute({
      ...pay,
      method: 'post',
      path: '/pay/{token}/multibanco',
      summary: 'A Multibanco reference for the order (the live one again if there is one)',
      request: { params: tokenParam },
      responses: {
        200: json(orderBody, 'the order with the reference as its attempt'),
        ...errors(
          'validation_failed',
          'pay_link_not_found',
          'pay_link_expired',
          'order_not_payable',
          'provider_unavailable',
        ),
      },
    }),
    mbway: createRoute({
      ...pay,
      method: 'post',
      path: '/pay/{token}/mbway',
      summary: "An MB WAY request to the patient's phone (again = resend); 4 minutes to accept",
      request: { params: tokenParam, body: jsonBody(mbwayInput) },
      responses: {
        200: json(orderBody, 'the order with the request as its attempt'),
        ...errors(
          'validation_failed',
          'phone_landline',
          'phone_invalid',
          'pay_link_not_found',
          'pay_link_expired',
          'order_not_payable',
          'provider_unavailable',
        ),
      },
    }),
    events: createRoute({
      ...pay,
      method: 'get',
      path: '/pay/{token}/events',
      summary: 'Server-sent events: `order` with the PayOrderDto on every change of the order',
      request: { params: tokenParam },
      responses: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errors('validation_failed', 'pay_link_not_found', 'pay_link_expired'),
      },
    }),
    invoice: createRoute({
      ...pay,
      method: 'get',
      path: '/pay/{token}/invoice.pdf',
      summary: 'The invoice PDF of a paid order',
      request: { params: tokenParam },
      responses: {
        200: pdfResponse,
        ...errors('validation_failed', 'pay_link_not_found', 'pay_link_expired', 'invoice_not_found'),
      },
    }),
    payLink: createRoute({
      ...caller,
      method: 'post',
      path: '/me/appointments/{id}/pay-link',
      summary: "A payment link for one of the caller's appointments (the portal's Pay button)",
      request: { params: idParam },
      responses: {
        200: json(payLinkDto, 'the link'),
        ...errors('validation_failed', 'unauthorized', 'appointment_not_found', 'order_not_payable'),
      },
    }),
    myInvoice: createRoute({
      ...caller,
      method: 'get',
      path: '/me/appointments/{id}/invoice.pdf',
      summary: "The invoice PDF of one of the caller's paid appointments",
      request: { params: idParam },
      responses: {
        200: pdfResponse,
        ...errors('validation_failed', 'unauthorized', 'appointment_not_found', 'invoice_not_found'),
      },
    }),
    callback: createRoute({
      tags: ['payments'],
      method: 'get',
      path: '/payments/callbacks/{provider}',
      summary: "The provider's payment notification (ifthenpay format: key, orderId, amount, requestId…)",
      description:
        'The anti-phishing key is compared in constant time; the delivery is recorded and answered 200 at ' +
        'once (the provider retries anything else), then applied: idempotent by request id.',
      request: { params: z.object({ provider: z.string().max(32) }) },
      responses: {
        200: { description: 'recorded' },
        ...errors('validation_failed', 'callback_key_invalid', 'not_found'),
      },
    }),
    callbackPost: createRoute({
      tags: ['payments'],
      method: 'post',
      path: '/payments/callbacks/{provider}',
      summary: 'The same callback, for providers that POST it (parameters in the query string)',
      request: { params: z.object({ provider: z.string().max(32) }) },
      responses: {
        200: { description: 'recorded' },
        ...errors('validation_failed', 'callback_key_invalid', 'not_found'),
      },
    }),
    reconciliation: createRoute({
      ...admin,
      method: 'get',
      path: '/admin/payments/reconciliation',
      summary: 'Orders vs provider status; mismatches, refunds due and unmatched callbacks',
      request: { query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }) },
      responses: {
        200: json(z.object({ report: z.record(z.string(), z.unknown()) }), 'the report'),
        ...errors('validation_failed', 'unauthorized', 'forbidden'),
      },
    }),
    refund: createRoute({
      ...admin,
      method: 'post',
      path: '/admin/refunds',
      summary: 'Record a refund: a paid order (credit note, email) or a refund-due payment',
      request: {
        body: jsonBody(
          z.union([
            z.object({ orderId: z.uuid(), reason: z.string().trim().min(3).max(300) }),
            z.object({ paymentId: z.uuid(), reason: z.string().trim().min(3).max(300) }),
          ]),
        ),
      },
      responses: {
        200: json(z.object({ creditNote: z.string().nullable() }), 'recorded'),
        ...errors(
          'validation_failed',
          'unauthorized',
          'forbidden',
          'order_not_found',
          'payment_not_found',
          'refund_not_allowed',
        ),
      },
    }),
  };
}

/**
 * Applies recorded callbacks in the background, at most `APPLY_WORKERS` at a time, so a burst of
 * deliveries is answered at the speed of one INSERT each instead of queueing behind each other's work
 * (bench:callbacks); whatever a stopped process leaves in the inbox, the job loop applies.
 */
export const APPLY_WORKERS = 2;

class ApplyQueue {
  private readonly ids: string[] = [];
  private workers = 0;
  constructor(private readonly deps: CentralDeps) {}
  push(id: string): void {
    this.ids.push(id);
    if (this.workers < APPLY_WORKERS) {
      this.workers++;
      setImmediate(() => void this.drain());
    }
  }
  private async drain(): Promise<void> {
    for (let id = this.ids.shift(); id !== undefined; id = this.ids.shift()) {
      await service
        .processCallback(this.deps, id)
        .catch((err: Error) =>
          console.error(
            JSON.stringify({ level: 'error', event: 'payments.callback_failed', id, message: err.message }),
          ),
        );
    }
    this.workers--;
  }
}

/** Payment routes, mounted under /api. */
export function paymentsRoutes(deps: CentralDeps) {
  const r = defineRoutes(deps);
  const applyQueue = new ApplyQueue(deps);
  // Payment-page streams: every change of one order.
  const fanout = new ChangeFanout(deps.database, (n) => (n.entity === 'order' ? n.entityId : null));
  const view = async (token: string) => {
    const { ctx, linkExpiresAt } = await service.orderOfToken(deps, token);
    return service.orderView(deps, ctx, token, linkExpiresAt);
  };
  /** Every look at an order or its invoice is audited (who: the link holder or the account). */
  const auditAccess = (orderId: string, action: string, ip: string, actor = 'pay_link') =>
    writeAudit(deps.db, deps.now(), { actor, action, entity: 'order', entityId: orderId, ip });
  const pdf = (body: Buffer, name: string) =>
    new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${name}"`,
        'cache-control': 'private, no-store',
      },
    });
  /** Records the delivery, answers 200 now, applies it right after (and the job loop retries). */
  const callback = async (url: string, provider: string, ip: string) => {
    const id = await service.receiveCallback(deps, provider, new URL(url).searchParams, ip);
    applyQueue.push(id);
    return new Response('OK', { status: 200, headers: { 'content-type': 'text/plain' } }) as never;
  };
  const router = newRouter()
    .openapi(r.order, async (c) => {
      const order = await view(c.req.valid('param').token);
      await auditAccess(order.orderId, 'order.view', clientIp(c));
      return c.json(order, 200);
    })
    .openapi(r.details, async (c) => {
      const { token } = c.req.valid('param');
      const { ctx } = await service.orderOfToken(deps, token);
      await service.saveInvoiceDetails(deps, ctx.order.id, c.req.valid('json'), clientIp(c));
      return c.json(await view(token), 200);
    })
    .openapi(r.multibanco, async (c) => {
      const { token } = c.req.valid('param');
      const { ctx } = await service.orderOfToken(deps, token);
      await service.startMultibanco(deps, ctx.order.id, clientIp(c));
      return c.json(await view(token), 200);
    })
    .openapi(r.mbway, async (c) => {
      const { token } = c.req.valid('param');
      const { ctx } = await service.orderOfToken(deps, token);
      await service.startMbway(deps, ctx.order.id, c.req.valid('json').phone, clientIp(c));
      return c.json(await view(token), 200);
    })
    .openapi(r.events, async (c) => {
      const { token } = c.req.valid('param');
      const { ctx } = await service.orderOfToken(deps, token);
      return streamSSE(c, async (stream) => {
        let dirty = true;
        let wake: (() => void) | null = null;
        const unsubscribe = await fanout.subscribe(ctx.order.id, () => {
          dirty = true;
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        while (!stream.aborted) {
          if (!dirty) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, 25_000); // heartbeat
            });
            wake = null;
            if (!dirty && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
            continue;
          }
          dirty = false;
          const order = await view(token).catch(() => null);
          if (!order) break;
          await stream.writeSSE({ event: 'order', data: JSON.stringify(order) });
        }
        unsubscribe();
      });
    })
    .openapi(r.invoice, async (c) => {
      const { ctx } = await service.orderOfToken(deps, c.req.valid('param').token);
      const inv = await invoiceOfOrder(deps.db, ctx.order.id);
      if (!inv) throw new AppError('invoice_not_found', 'the invoice is issued once the order is paid');
      await auditAccess(ctx.order.id, 'invoice.download', clientIp(c));
      return pdf(
        await invoicePdf(deps, inv),
        `fatura-${inv.number.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`,
      ) as never;
    })
    .openapi(r.payLink, async (c) => {
      const a = await bookingService.myAppointment(deps, c.var.caller, c.req.valid('param').id);
      const orderId = await orderIdOfAppointment(deps.db, a.id);
      const ctx = orderId ? await loadOrder(deps.db, orderId) : undefined;
      if (!ctx) throw new AppError('order_not_payable', 'this appointment has nothing to pay');
      if (ctx.order.status !== 'pending') {
        throw new AppError('order_not_payable', `the order is ${ctx.order.status}`, {
          status: ctx.order.status,
        });
      }
      const expiresAt = new Date(ctx.appointment.startsAt.getTime() + PAY_LINK_AFTER_START_MS);
      const token = await createPayLink(deps.db, deps.now(), ctx.order.id, expiresAt);
      return c.json(
        { token, url: payLinkUrl(deps.config.publicUrl, token), expiresAt: expiresAt.toISOString() },
        200,
      );
    })
    .openapi(r.myInvoice, async (c) => {
      const a = await bookingService.myAppointment(deps, c.var.caller, c.req.valid('param').id);
      const orderId = await orderIdOfAppointment(deps.db, a.id);
      const inv = orderId ? await invoiceOfOrder(deps.db, orderId) : undefined;
      if (!inv) throw new AppError('invoice_not_found', 'no invoice for this appointment yet');
      await auditAccess(inv.orderId, 'invoice.download', clientIp(c), `account:${c.var.caller.accountId}`);
      return pdf(
        await invoicePdf(deps, inv),
        `fatura-${inv.number.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`,
      ) as never;
    })
    .openapi(r.callback, async (c) => callback(c.req.url, c.req.valid('param').provider, clientIp(c)))
    .openapi(r.callbackPost, async (c) => callback(c.req.url, c.req.valid('param').provider, clientIp(c)))
    .openapi(r.reconciliation, async (c) =>
      c.json({ report: { ...(await service.reconciliation(deps, c.req.valid('query').days)) } }, 200),
    )
    .openapi(r.refund, async (c) => {
      const body = c.req.valid('json');
      const out = await service.recordRefund(
        deps,
        'orderId' in body ? { orderId: body.orderId } : { paymentId: body.paymentId },
        body.reason,
        'admin',
      );
      return c.json(out, 200);
    });
  return router;
}
