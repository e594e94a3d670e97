/**
 * The payment page's calls to the central API (contract: server/domain/payments/dto.ts). Plain `fetch`
 * for now: the payment routes are being added to the central app, and `hc<CentralAppType>` will type them
 * once they are chained there (CONVENTIONS §3). Every call resolves to the DTO or throws `ApiError` with
 * the server's code (`pay_link_not_found`, `nif_invalid`, …), which renderer/portal/i18n.ts turns into
 * text. The pay routes need no login (the token is the capability); the "Pagar" button's pay-link call
 * does, and refreshes the session once on 401 as the rest of the portal does.
 */
import type { InvoiceDetailsInput, PayLinkDto, PayOrderDto } from '../../../server/domain/payments/dto.ts';
import { ApiError, refreshSession } from '../api.ts';
import { unwrap } from '../../shared/api.ts';

/** A path parameter, encoded. */
const seg = (value: string): string => encodeURIComponent(value);

/** The base path of one payment link's routes. */
export const payPath = (token: string): string => `/api/pay/${seg(token)}`;

/** GET /api/pay/{token}/events: SSE, event `order` carrying a PayOrderDto. */
export const payEventsUrl = (token: string): string => `${payPath(token)}/events`;

/** The invoice PDF of a logged-in patient's paid appointment. */
export const appointmentInvoiceUrl = (appointmentId: string): string =>
  `/api/me/appointments/${seg(appointmentId)}/invoice.pdf`;

/** Sends a JSON request (or none) on the same origin, with the session cookies. */
function send(path: string, method: 'GET' | 'POST' | 'PUT', body?: unknown, signal?: AbortSignal) {
  return fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
}

/**
 * GET /api/pay/{token}
 * @throws ApiError pay_link_not_found (404), pay_link_expired (410)
 */
export function getPayOrder(token: string, signal?: AbortSignal): Promise<PayOrderDto> {
  return unwrap<PayOrderDto>(send(payPath(token), 'GET', undefined, signal));
}

/**
 * PUT /api/pay/{token}/invoice-details: who the invoice is made out to.
 * @throws ApiError nif_invalid (400), validation_failed (400)
 */
export function saveInvoiceDetails(token: string, input: InvoiceDetailsInput): Promise<PayOrderDto> {
  return unwrap<PayOrderDto>(send(`${payPath(token)}/invoice-details`, 'PUT', input));
}

/**
 * POST /api/pay/{token}/multibanco: the order's Multibanco reference (the same live one when asked
 * again).
 * @throws ApiError order_not_payable (409), provider_unavailable
 */
export function startMultibanco(token: string): Promise<PayOrderDto> {
  return unwrap<PayOrderDto>(send(`${payPath(token)}/multibanco`, 'POST'));
}

/**
 * POST /api/pay/{token}/mbway: sends a payment request to the phone's MB WAY app (again = "resend").
 * @param phone as typed ('912 345 678', '+351 912345678'); the server normalises it
 * @throws ApiError phone_landline / phone_invalid (400), order_not_payable (409), provider_unavailable
 */
export function startMbway(token: string, phone: string): Promise<PayOrderDto> {
  return unwrap<PayOrderDto>(send(`${payPath(token)}/mbway`, 'POST', { phone: phone.trim() }));
}

const isSessionError = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 401 && err.code === 'unauthorized';

/**
 * POST /api/me/appointments/{id}/pay-link (logged in, own appointment): a fresh payment link for the
 * "Pagar" button. On 401 the session is refreshed once and the call retried.
 * @throws ApiError unauthorized (401) when the session has ended, appointment_not_found (404),
 *   order_not_payable (409)
 */
export async function createPayLink(appointmentId: string): Promise<PayLinkDto> {
  const call = () => unwrap<PayLinkDto>(send(`/api/me/appointments/${seg(appointmentId)}/pay-link`, 'POST'));
  try {
    return await call();
  } catch (err) {
    if (!isSessionError(err)) throw err;
  }
  if (!(await refreshSession())) throw new ApiError('unauthorized', 'session ended', 401);
  return call();
}
