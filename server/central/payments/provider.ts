/**
 * One interface for payment providers (payments-pt.md): Multibanco references, MB WAY requests, hosted
 * payment links, status queries and callbacks. Two implementations: `ifthenpay.ts` (the real provider,
 * keys from the environment) and `sandbox.ts` (the embedded default: issues references with correct check
 * digits, simulates MB WAY, and delivers callbacks to the central API over HTTP, faults on request).
 *
 * Money is integer cents; times are `Date` (UTC). `orderRef` is the short order id the provider sees
 * (≤ 15 characters, ifthenpay's `orderId` limit), never our uuid.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A method a provider collects by. */
export type ProviderMethod = 'multibanco' | 'mbway' | 'link';

/** Ask for a Multibanco reference for one order. */
export interface MultibancoRequest {
  orderRef: string;
  amountCents: number;
  /** The reference stops being payable at this time. */
  expiresAt: Date;
}

/** A Multibanco reference as the patient pays it at an ATM or home banking. */
export interface MultibancoIssued {
  /** The provider's id of this request (the callback and the status query carry it). */
  requestId: string;
  /** 5 digits. */
  entity: string;
  /** 9 digits, no spaces (the last two are check digits binding entity, reference and amount). */
  reference: string;
  amountCents: number;
  expiresAt: Date;
}

/** Ask the patient's MB WAY app to pay. */
export interface MbwayRequest {
  orderRef: string;
  amountCents: number;
  /** Wire format `351#912345678` (country code # national number), see domain/payments/phone.ts. */
  phone: string;
  /** Shown in the MB WAY app (≤ 100 characters). */
  description: string;
  email?: string;
}

/** An MB WAY request awaiting the patient's acceptance in the app (about 4 minutes, payments-pt.md). */
export interface MbwayIssued {
  requestId: string;
  /** When the provider stops waiting for the patient. */
  expiresAt: Date;
}

/** Ask for a hosted payment page (ifthenpay PayByLink) that offers the provider's methods. */
export interface PaymentLinkRequest {
  orderRef: string;
  amountCents: number;
  description: string;
  expiresAt: Date;
  /** Where the provider sends the patient back after paying. */
  returnUrl: string;
}

/** A hosted payment page. */
export interface PaymentLinkIssued {
  requestId: string;
  url: string;
}

/** What the provider says about one request when asked (the poller's view). */
export interface ProviderStatus {
  /** 'unknown' = the provider has no such request (or cannot say). */
  status: 'pending' | 'paid' | 'rejected' | 'expired' | 'unknown';
  /** The amount paid, when paid. */
  amountCents?: number;
  paidAt?: Date;
}

/** A payment notification from the provider, after its key was checked. */
export interface ProviderCallback {
  requestId: string;
  /** The `orderRef` the request was made with, when the provider echoes it. */
  orderRef: string | null;
  /** The amount the provider says was paid (compare with the order: never trust it blindly). */
  amountCents: number;
  method: ProviderMethod;
  paidAt: Date;
  entity?: string;
  reference?: string;
}

/** The outcome of verifying and parsing one callback request. */
export type ParsedCallback =
  | { ok: true; callback: ProviderCallback }
  | { ok: false; code: 'callback_key_invalid' | 'validation_failed'; message: string };

/**
 * A payment provider.
 * Every method may throw `ProviderError` (provider unreachable, refused, unexpected answer).
 */
export interface PaymentProvider {
  /** Stored with each payment: 'sandbox' | 'ifthenpay'. */
  readonly name: string;
  createMultibanco(req: MultibancoRequest): Promise<MultibancoIssued>;
  requestMbway(req: MbwayRequest): Promise<MbwayIssued>;
  createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLinkIssued>;
  /** The provider's current status of one request. */
  queryStatus(q: { method: ProviderMethod; requestId: string; orderRef: string }): Promise<ProviderStatus>;
  /**
   * Verifies (anti-phishing key compared in constant time) and parses a callback's query parameters.
   * Pure: no I/O, never throws.
   */
  parseCallback(params: URLSearchParams): ParsedCallback;
}

/**
 * Compares a secret someone sent (a callback's anti-phishing key, a bearer token) with the expected one in
 * constant time: SHA-256 digests of both are compared with `timingSafeEqual`, so neither the content nor
 * the length of the expected secret leaks through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** A provider call that failed; `retryable` when trying again later may succeed (network, 5xx). */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
