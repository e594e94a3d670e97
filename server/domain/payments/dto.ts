/**
 * Contracts of paying for an appointment, shared by the central API (validation + OpenAPI) and the
 * patient portal's payment page. Money is integer cents; instants are ISO-8601 UTC strings.
 *
 * Routes (central, all under /api):
 * - `GET  /pay/{token}`                   → PayOrderDto (no login: the token is the capability; it shows
 *                                            only that order). 404 `pay_link_not_found`, 410 `pay_link_expired`.
 * - `PUT  /pay/{token}/invoice-details`   body InvoiceDetailsInput → PayOrderDto. 400 `nif_invalid`.
 * - `POST /pay/{token}/multibanco`        → PayOrderDto (attempt = the reference; the same live reference
 *                                            is answered again, never a second one). 409 `order_not_payable`.
 * - `POST /pay/{token}/mbway`             body { phone } → PayOrderDto (attempt = the request, 4-minute
 *                                            countdown; calling again = "resend": a new request).
 *                                            400 `phone_landline` / `phone_invalid`; 409 `order_not_payable`.
 * - `GET  /pay/{token}/events`            SSE: event `order` with a PayOrderDto on every change, until paid.
 * - `GET  /pay/{token}/invoice.pdf`       the invoice PDF once paid (404 `invoice_not_found` before).
 * - `POST /me/appointments/{id}/pay-link` (logged in, own appointment) → PayLinkDto: a fresh link for the
 *                                            portal's "Pagar" button.
 * - `GET  /me/appointments/{id}/invoice.pdf` (logged in) the invoice PDF.
 */
import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });

/** An order's state (payments issue): pending → paid / expired / cancelled / refunded. */
export const orderStatus = z.enum(['pending', 'paid', 'expired', 'cancelled', 'refunded']);
export type OrderStatus = z.infer<typeof orderStatus>;

/** The NIF of "Consumidor final" (payments-pt.md), used when the patient gives none. */
export const FINAL_CONSUMER_NIF = '999999990';

/** How long the patient has to accept an MB WAY request (payments-pt.md: about 4 minutes). */
export const MBWAY_WINDOW_MS = 4 * 60_000;

/** Invoice details the patient gives on the payment page. `nif: null` = "Consumidor final". */
export const invoiceDetailsInput = z.object({
  name: z.string().trim().min(1).max(120),
  nif: z.string().trim().max(20).nullable(),
  address: z.string().trim().max(300).nullable(),
});
export type InvoiceDetailsInput = z.infer<typeof invoiceDetailsInput>;

/** `POST /pay/{token}/mbway` body: the phone as typed ('912 345 678', '+351 912345678'…). */
export const mbwayInput = z.object({ phone: z.string().trim().min(1).max(30) });

/** The live payment attempt shown on the page. */
export const paymentAttemptDto = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('multibanco'),
    status: z.enum(['pending', 'paid', 'expired']),
    /** 5 digits. */
    entity: z.string(),
    /** 9 digits, no spaces (print it as '123 456 789'). */
    reference: z.string(),
    amountCents: z.number().int(),
    expiresAt: isoInstant,
  }),
  z.object({
    method: z.literal('mbway'),
    status: z.enum(['pending', 'paid', 'rejected', 'expired']),
    /** '+351 9•• ••• 678': the last 3 digits only. */
    phoneMasked: z.string(),
    amountCents: z.number().int(),
    /** End of the 4-minute window (show a countdown). */
    expiresAt: isoInstant,
  }),
]);
export type PaymentAttemptDto = z.infer<typeof paymentAttemptDto>;

/** Everything the payment page shows about one order (and nothing about other orders). */
export const payOrderDto = z.object({
  orderId: z.uuid(),
  status: orderStatus,
  amountCents: z.number().int(),
  /** VAT in basis points (0 = exempt) and the exemption reason printed on the invoice. */
  vatRateBp: z.number().int(),
  vatExemption: z.string().nullable(),
  clinicName: z.string(),
  specialty: z.string(),
  practitionerName: z.string(),
  startsAt: isoInstant,
  /** Patient's first name only (the link may be forwarded). */
  patientFirstName: z.string(),
  /** When this link stops working. */
  linkExpiresAt: isoInstant,
  invoiceDetails: invoiceDetailsInput.nullable(),
  attempt: paymentAttemptDto.nullable(),
  /** Set once paid: the invoice's printed number and where to download it. */
  invoice: z.object({ number: z.string(), url: z.string() }).nullable(),
  /** Test/sandbox provider active: the page says so and links the sandbox page. */
  sandbox: z.boolean(),
});
export type PayOrderDto = z.infer<typeof payOrderDto>;

/** A payment link for the portal. */
export const payLinkDto = z.object({ token: z.string(), url: z.string(), expiresAt: isoInstant });
export type PayLinkDto = z.infer<typeof payLinkDto>;
