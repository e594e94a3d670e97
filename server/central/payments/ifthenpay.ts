/**
 * The ifthenpay payment provider: a `PaymentProvider` (provider.ts) over ifthenpay's documented HTTP API,
 * chosen when the IFTHENPAY_* keys are set (`ifthenpayConfigFromEnv`). Money is integer cents here and
 * a decimal string with '.' on the wire ("12.50"), converted by reading digits (no float arithmetic).
 *
 * Sources. The primary one is ifthenpay's API reference, https://www.ifthenpay.com/docs/en/ (pages
 * api/multibanco, api/mbway, api/pbl, guides/callback, api/list-of-payments-rest), read through a
 * public snippet export of it; the older helpdesk articles agree on every field used here:
 * "API - Request Multibanco references" (helpdesk.ifthenpay.com/en/support/solutions/articles/79000128866),
 * "API MBWAY v2 - REST" (…/79000141345), "API - PayByLink & PINPAY" (…/79000143271).
 *
 * Endpoints, relative to `baseUrl` (default https://api.ifthenpay.com; the helpdesk spells the same API
 * https://ifthenpay.com/api/…):
 * - Multibanco dynamic reference: `POST /multibanco/reference/init`, JSON
 *   `{ mbKey, orderId (≤ 25), amount: "432.11" (exactly 2 decimals), expiryDays }` →
 *   `{ Amount, Entity, ExpiryDate: "30-10-2021", Message, OrderId, Reference: "000000291", RequestId,
 *   Status: "0" }` (Amount, Entity and OrderId come as JSON numbers in the reference's example; we accept
 *   numbers or strings). Status other than "0" = refused. `expiryDays`: 0 = valid until midnight of
 *   the same day; 1…31, and per the helpdesk 45, 60, 90, 120, 180, 365, 730 (the reference: "outside
 *   this range the closest available duration will be assigned"); omitted = never expires. We read N
 *   days as "until midnight (Lisbon) at the end of today + N" and report the `ExpiryDate` ifthenpay
 *   answers ("dd-MM-yyyy") as the end of that day in Lisbon. Sandbox: `POST /multibanco/reference/sandbox`.
 * - MB WAY: `POST /spg/payment/mbway`, JSON `{ mbWayKey, orderId (≤ 15), amount: "100.50",
 *   mobileNumber: "351#912345678", email (≤ 100), description (≤ 100) }` → `{ Amount, Message: "Pending",
 *   OrderId, RequestId, Status: "000" }`. Init codes (helpdesk): 000 = sent, pending acceptance;
 *   100 = could not be completed, try again; 122 = declined to the user; 999 = error, try again.
 *   Status: `GET /spg/payment/mbway/status?mbWayKey=…&requestId=…` → `{ CreatedAt, Message, RequestId,
 *   Status, UpdateAt }`, times "dd-MM-yyyy HH:mm:ss" (reference example "03-01-2024 15:15:16").
 *   Status codes 000 = paid, 020 = rejected by the user, 101 = expired (4 minutes to accept),
 *   122 = declined: these four are as public integrations record them (e.g. a TypeScript client typing
 *   `Status: '000' | '020' | '101' | '122'`); the reference only shows 000. AMBIGUOUS: the status while
 *   the patient has not answered yet is documented nowhere we found; we read 123 and any Message
 *   containing "pending" as pending, and any other code as 'unknown'.
 * - Pay By Link: `POST /gateway/pinpay/{gatewayKey}`, JSON `{ id (≤ 15; numeric per the helpdesk),
 *   amount: "21.50", description (≤ 200), lang, expiredate: "YYYYMMDD", otp: "true", success_url,
 *   error_url, cancel_url }` → `{ PinCode, RedirectUrl: "https://gateway.ifthenpay.com/url/r54aiUE1dX",
 *   PinpayUrl }`. The reference says the RedirectUrl "uniquely identifies the Pay by Link transaction":
 *   we send the patient there and use its last path segment as the request id. `otp` = one-time
 *   payment, so a link cannot be paid twice. (The older `POST /gateway/paybylink/{key}` is marked
 *   obsolete by ifthenpay.) AMBIGUOUS: the helpdesk says `id` is "maximum 15 numeric characters", so an
 *   `orderRef` with letters may be refused.
 * - Callbacks: a GET on the URL configured in ifthenpay's backoffice per key; the query is a template
 *   whose [PLACEHOLDERS] ifthenpay fills, and only HTTP 200 counts as delivered (anything else is
 *   retried). Documented templates (guides/callback):
 *   Multibanco `?key=[ANTI_PHISHING_KEY]&orderId=[ORDER_ID]&amount=[AMOUNT]&requestId=[REQUEST_ID]
 *   &entity=[ENTITY]&reference=[REFERENCE]&payment_datetime=[PAYMENT_DATETIME]`; MB WAY the same without
 *   entity and reference (example `…&payment_datetime=03-01-2024 15:15:16`); Pay By Link / PINPAY
 *   `?key=…&id=[ID]&amount=…&payment_datetime=…&payment_method=[PAYMENT_METHOD]` (no requestId).
 *   How we tell them apart: a `method` parameter (multibanco | mbway | link), which the central API may
 *   add to each template and the sandbox sends, wins; else `payment_method` present = link; else
 *   entity + reference present = multibanco; else mbway. A link callback carries no requestId, so its
 *   `requestId` is the order id (`id`) and the caller must match it by `orderRef`. payment_datetime is
 *   "DD-MM-YYYY HH:MM:SS" in the reference's examples (Lisbon wall time); its generic example shows
 *   ISO-8601 with Z ("format may vary"), so we also accept ISO with Z or an offset and
 *   "yyyy-MM-dd HH:mm:ss"; a callback without it is dated when it is parsed.
 *
 * Multibanco and Pay By Link have no per-request status query with these keys (ifthenpay's payment
 * listing, `POST /v2/payments/read`, needs a separate backoffice key), so `queryStatus` answers
 * 'unknown' for them and the callback is their only signal.
 *
 * Failures are `ProviderError`s: network errors, timeouts, HTTP 5xx/408/429 and ifthenpay's "try again"
 * codes (100, 999) are retryable; other HTTP errors, refusals and malformed answers are not. Error
 * messages never include a key.
 */
import { centsToDecimal } from '../../domain/money.ts';
import { TZDate } from '@date-fns/tz';
import { z } from 'zod';
import { MBWAY_WINDOW_MS } from '../../domain/payments/dto.ts';
import { MULTIBANCO_MAX_CENTS } from '../../domain/payments/multibanco.ts';
import {
  ProviderError,
  sameSecret,
  type MbwayIssued,
  type MbwayRequest,
  type MultibancoIssued,
  type MultibancoRequest,
  type ParsedCallback,
  type PaymentLinkIssued,
  type PaymentLinkRequest,
  type PaymentProvider,
  type ProviderMethod,
  type ProviderStatus,
} from './provider.ts';

/** ifthenpay's production API. */
export const IFTHENPAY_BASE_URL = 'https://api.ifthenpay.com';
/** Default time one HTTP call to ifthenpay may take, in milliseconds. */
export const IFTHENPAY_DEFAULT_TIMEOUT_MS = 10_000;
/** The time zone ifthenpay's naive dates and times are in. */
const LISBON = 'Europe/Lisbon';
/** The `expiryDays` values ifthenpay accepts for Multibanco references (see the module comment). */
export const IFTHENPAY_EXPIRY_DAYS = [
  ...Array.from({ length: 32 }, (_, i) => i),
  45,
  60,
  90,
  120,
  180,
  365,
  730,
] as const;

/** Keys and options of the ifthenpay provider. */
export interface IfthenpayConfig {
  /** API origin, no trailing slash needed; default 'https://api.ifthenpay.com'. */
  baseUrl?: string;
  /** Multibanco key ('MBK-…') for dynamic references. */
  mbKey: string;
  /** MB WAY key ('ABC-123456'). */
  mbwayKey: string;
  /** Pay By Link gateway key; without it `createPaymentLink` fails (non-retryable). */
  gatewayKey?: string;
  /** The anti-phishing key ifthenpay puts in every callback's `key` parameter. */
  antiPhishingKey: string;
  /** HTTP client; default the global fetch (tests may pass their own). */
  fetch?: typeof fetch;
  /** Time one call may take, in milliseconds; default 10 000. */
  timeoutMs?: number;
  /** Clock for expiry computations and undated callbacks; default `() => new Date()`. */
  now?: () => Date;
}

/**
 * Reads the ifthenpay configuration from environment variables: IFTHENPAY_MB_KEY, IFTHENPAY_MBWAY_KEY,
 * IFTHENPAY_ANTI_PHISHING_KEY (all three required), IFTHENPAY_GATEWAY_KEY (optional, Pay By Link) and
 * IFTHENPAY_BASE_URL (optional, default https://api.ifthenpay.com). Values are trimmed; an empty value
 * counts as unset.
 * @param env the environment, e.g. `process.env`.
 * @returns the configuration, or null when any of the three required keys is unset (the central API
 *   then keeps the sandbox provider).
 * @throws RangeError when IFTHENPAY_BASE_URL is set but is not an http(s) URL.
 */
export function ifthenpayConfigFromEnv(env: Record<string, string | undefined>): IfthenpayConfig | null {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const mbKey = read('IFTHENPAY_MB_KEY');
  const mbwayKey = read('IFTHENPAY_MBWAY_KEY');
  const antiPhishingKey = read('IFTHENPAY_ANTI_PHISHING_KEY');
  if (mbKey === undefined || mbwayKey === undefined || antiPhishingKey === undefined) return null;
  const baseUrl = read('IFTHENPAY_BASE_URL') ?? IFTHENPAY_BASE_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl) || !URL.canParse(baseUrl)) {
    throw new RangeError(`IFTHENPAY_BASE_URL must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  const gatewayKey = read('IFTHENPAY_GATEWAY_KEY');
  return { baseUrl, mbKey, mbwayKey, antiPhishingKey, ...(gatewayKey === undefined ? {} : { gatewayKey }) };
}

/**
 * Formats integer cents as ifthenpay's amount string: 1250 → "12.50", 5 → "0.05".
 * @param cents a non-negative safe integer.
 * @throws RangeError otherwise.
 */
export function centsToIfthenpayAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new RangeError(`amount must be non-negative integer cents, got ${cents}`);
  }
  return centsToDecimal(cents);
}

/**
 * Parses ifthenpay's amount string into cents by reading its digits: "12.50" → 1250, "12.5" → 1250,
 * "12" → 1200, "0.05" → 5. Strict: no sign, no spaces, no comma, at most 2 decimals, at most 9 integer
 * digits.
 * @param text the amount as ifthenpay sends it.
 * @returns the amount in cents, or null when `text` is not such an amount.
 */
export function parseIfthenpayAmount(text: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Calendar date (year, month 1–12, day) of an instant in Lisbon. */
function lisbonDate(instant: Date): { y: number; m: number; d: number } {
  const t = new TZDate(instant.getTime(), LISBON);
  return { y: t.getFullYear(), m: t.getMonth() + 1, d: t.getDate() };
}

/** The instant a naive Lisbon wall time happens, or null when the date or time does not exist. */
function lisbonInstant(y: number, m: number, d: number, hh = 0, mi = 0, ss = 0): Date | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 || ss > 59) return null;
  const t = new TZDate(y, m - 1, d, hh, mi, ss, LISBON);
  if (t.getFullYear() !== y || t.getMonth() !== m - 1 || t.getDate() !== d) return null;
  return new Date(t.getTime());
}

/** Midnight in Lisbon at the end of the given day (the first instant of the next day). */
function endOfLisbonDay(y: number, m: number, d: number): Date {
  return new Date(new TZDate(y, m - 1, d + 1, 0, 0, 0, LISBON).getTime());
}

/** Days between two Lisbon calendar dates (b − a). */
function daysBetween(a: { y: number; m: number; d: number }, b: { y: number; m: number; d: number }): number {
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

/**
 * The `expiryDays` to ask ifthenpay for so a reference stays payable until `expiresAt`: the Lisbon
 * calendar days from `now` to the day of `expiresAt` (a deadline of exactly midnight belongs to the day
 * before), rounded up to the next value ifthenpay accepts (0…31, 45, 60, 90, 120, 180, 365, 730) and
 * capped at 730. A deadline today or in the past gives 0 (valid until midnight today).
 * Example: now 2026-12-01T13:00Z, expiresAt 2026-12-04T10:00Z → 3; 40 days ahead → 45.
 * @param now the current instant.
 * @param expiresAt when the reference must stop being payable, at the earliest.
 */
export function ifthenpayExpiryDays(now: Date, expiresAt: Date): number {
  const days = daysBetween(lisbonDate(now), lisbonDate(new Date(expiresAt.getTime() - 1)));
  return IFTHENPAY_EXPIRY_DAYS.find((allowed) => allowed >= days) ?? 730;
}

/**
 * Parses a date-time as ifthenpay writes it: "dd-MM-yyyy HH:mm:ss" or "yyyy-MM-dd HH:mm:ss" (seconds
 * optional, 'T' allowed instead of the space) as Europe/Lisbon wall time, or ISO-8601 with 'Z' or an
 * offset as written. "01-12-2026 13:05:00" → 2026-12-01T13:05:00Z (winter, UTC+0);
 * "15-07-2026 10:00:00" → 2026-07-15T09:00:00Z (summer, UTC+1).
 * @param text the date-time text.
 * @returns the instant, or null when `text` has none of these forms or names a date that does not exist.
 */
export function parseIfthenpayDateTime(text: string): Date | null {
  const dmy = /^(\d{2})-(\d{2})-(\d{4})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (dmy) return lisbonInstant(+dmy[3]!, +dmy[2]!, +dmy[1]!, +dmy[4]!, +dmy[5]!, +(dmy[6] ?? 0));
  const ymd = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (ymd) return lisbonInstant(+ymd[1]!, +ymd[2]!, +ymd[3]!, +ymd[4]!, +ymd[5]!, +(ymd[6] ?? 0));
  const iso = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(
    text,
  );
  if (iso) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  return null;
}

/** "dd-MM-yyyy" or "yyyy-MM-dd" → the end of that day in Lisbon, or null. */
function parseExpiryDate(text: string): Date | null {
  const dmy = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [y, m, d] = dmy ? [+dmy[3]!, +dmy[2]!, +dmy[1]!] : ymd ? [+ymd[1]!, +ymd[2]!, +ymd[3]!] : [0, 0, 0];
  if (y === 0 || lisbonInstant(y, m, d) === null) return null;
  return endOfLisbonDay(y, m, d);
}

/** A string or number field, as text (ifthenpay sends codes as strings, but be lenient). */
const text = z.union([z.string(), z.number()]).transform(String);

const multibancoAnswer = z.object({
  Status: text,
  Message: text.optional(),
  Entity: text.optional(),
  Reference: text.optional(),
  RequestId: text.optional(),
  Amount: text.optional(),
  ExpiryDate: text.nullable().optional(),
});

const linkAnswer = z.object({
  RedirectUrl: z.string(),
  PinCode: text.optional(),
  PinpayUrl: text.optional(),
});

const mbwayAnswer = z.object({ Status: text, Message: text.optional(), RequestId: text.optional() });

const mbwayStatusAnswer = z.object({
  Status: text,
  Message: text.optional(),
  UpdateAt: text.nullable().optional(),
});

/** Init codes after which ifthenpay says "you can try again" (API MBWAY v2). */
const MBWAY_RETRYABLE_CODES = new Set(['100', '999']);

/**
 * Creates the ifthenpay provider (see the module comment for endpoints, formats and sources).
 * Request limits checked before any call (non-retryable ProviderError, providerCode 'invalid_request'):
 * orderRef 1–15 characters; Multibanco amounts 1…99,999,999 cents; MB WAY and link amounts ≥ 1 cent.
 * MB WAY descriptions are cut to 100 characters, link descriptions to 200.
 * @param config keys and options; `baseUrl` default https://api.ifthenpay.com, `timeoutMs` default 10 000.
 */
export function createIfthenpayProvider(config: IfthenpayConfig): PaymentProvider {
  const baseUrl = (config.baseUrl ?? IFTHENPAY_BASE_URL).replace(/\/+$/, '');
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? IFTHENPAY_DEFAULT_TIMEOUT_MS;
  const now = config.now ?? (() => new Date());

  function invalid(message: string): ProviderError {
    return new ProviderError(message, false, 'invalid_request');
  }

  function checkOrderRef(orderRef: string): void {
    if (orderRef.length < 1 || orderRef.length > 15) {
      throw invalid(`orderRef must be 1–15 characters, got ${orderRef.length}`);
    }
  }

  /** One HTTP call; returns the body text of a 2xx answer. `what` names the call in error messages. */
  async function call(
    what: string,
    path: string,
    init: { method: 'GET' | 'POST'; body?: unknown },
  ): Promise<string> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: init.method,
        headers:
          init.body === undefined
            ? { accept: 'application/json' }
            : { accept: 'application/json', 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ProviderError(`ifthenpay ${what}: no answer within ${timeoutMs} ms`, true, 'timeout');
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new ProviderError(`ifthenpay ${what}: unreachable (${detail})`, true, 'network');
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ProviderError(`ifthenpay ${what}: answer cut short (${detail})`, true, 'network');
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      throw new ProviderError(
        `ifthenpay ${what}: HTTP ${response.status} ${body.slice(0, 200)}`.trim(),
        retryable,
        `http_${response.status}`,
      );
    }
    return body;
  }

  /** Parses a 2xx JSON answer with `schema`; malformed → non-retryable 'bad_response'. */
  function parseAnswer<T>(what: string, body: string, schema: z.ZodType<T>): T {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ProviderError(
        `ifthenpay ${what}: answer is not JSON: ${body.slice(0, 200)}`,
        false,
        'bad_response',
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ProviderError(
        `ifthenpay ${what}: unexpected answer: ${body.slice(0, 200)}`,
        false,
        'bad_response',
      );
    }
    return parsed.data;
  }

  function badResponse(what: string, detail: string): ProviderError {
    return new ProviderError(`ifthenpay ${what}: ${detail}`, false, 'bad_response');
  }

  return {
    name: 'ifthenpay',

    async createMultibanco(req: MultibancoRequest): Promise<MultibancoIssued> {
      const what = 'Multibanco reference';
      if (req.orderRef.length < 1 || req.orderRef.length > 25) {
        throw invalid(`orderRef must be 1–25 characters, got ${req.orderRef.length}`);
      }
      if (
        !Number.isSafeInteger(req.amountCents) ||
        req.amountCents < 1 ||
        req.amountCents > MULTIBANCO_MAX_CENTS
      ) {
        throw invalid(`Multibanco amount must be 1…${MULTIBANCO_MAX_CENTS} cents, got ${req.amountCents}`);
      }
      const issuedAt = now();
      const expiryDays = ifthenpayExpiryDays(issuedAt, req.expiresAt);
      const body = await call(what, '/multibanco/reference/init', {
        method: 'POST',
        body: {
          mbKey: config.mbKey,
          orderId: req.orderRef,
          amount: centsToIfthenpayAmount(req.amountCents),
          expiryDays,
        },
      });
      const answer = parseAnswer(what, body, multibancoAnswer);
      if (answer.Status !== '0') {
        throw new ProviderError(
          `ifthenpay ${what}: refused: ${answer.Message ?? '(no message)'}`,
          false,
          answer.Status,
        );
      }
      const entity = answer.Entity?.trim() ?? '';
      const reference = (answer.Reference ?? '').replace(/\s+/g, '');
      const requestId = answer.RequestId?.trim() ?? '';
      if (!/^\d{5}$/.test(entity))
        throw badResponse(what, `entity is not 5 digits: ${JSON.stringify(entity)}`);
      if (!/^\d{9}$/.test(reference))
        throw badResponse(what, `reference is not 9 digits: ${JSON.stringify(reference)}`);
      if (requestId === '') throw badResponse(what, 'no RequestId');
      if (answer.Amount !== undefined && parseIfthenpayAmount(answer.Amount) !== req.amountCents) {
        throw badResponse(
          what,
          `amount ${JSON.stringify(answer.Amount)} differs from ${req.amountCents} cents`,
        );
      }
      const today = lisbonDate(issuedAt);
      const fallback = endOfLisbonDay(today.y, today.m, today.d + expiryDays);
      const expiresAt = answer.ExpiryDate
        ? (parseExpiryDate(answer.ExpiryDate.trim()) ?? fallback)
        : fallback;
      return { requestId, entity, reference, amountCents: req.amountCents, expiresAt };
    },

    async requestMbway(req: MbwayRequest): Promise<MbwayIssued> {
      const what = 'MB WAY request';
      checkOrderRef(req.orderRef);
      if (!Number.isSafeInteger(req.amountCents) || req.amountCents < 1) {
        throw invalid(`MB WAY amount must be positive integer cents, got ${req.amountCents}`);
      }
      if (!/^\d{1,4}#\d{4,15}$/.test(req.phone)) {
        throw invalid('phone must be in the wire format CC#number (see domain/payments/phone.ts)');
      }
      const sentAt = now();
      const body = await call(what, '/spg/payment/mbway', {
        method: 'POST',
        body: {
          mbWayKey: config.mbwayKey,
          orderId: req.orderRef,
          amount: centsToIfthenpayAmount(req.amountCents),
          mobileNumber: req.phone,
          email: (req.email ?? '').slice(0, 100),
          description: req.description.slice(0, 100),
        },
      });
      const answer = parseAnswer(what, body, mbwayAnswer);
      if (answer.Status !== '000') {
        throw new ProviderError(
          `ifthenpay ${what}: refused (${answer.Status}): ${answer.Message ?? '(no message)'}`,
          MBWAY_RETRYABLE_CODES.has(answer.Status),
          answer.Status,
        );
      }
      const requestId = answer.RequestId?.trim() ?? '';
      if (requestId === '') throw badResponse(what, 'no RequestId');
      return { requestId, expiresAt: new Date(sentAt.getTime() + MBWAY_WINDOW_MS) };
    },

    async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLinkIssued> {
      const what = 'payment link';
      if (config.gatewayKey === undefined) {
        throw new ProviderError('ifthenpay payment link: no gateway key configured', false, 'not_configured');
      }
      checkOrderRef(req.orderRef);
      if (!Number.isSafeInteger(req.amountCents) || req.amountCents < 1) {
        throw invalid(`link amount must be positive integer cents, got ${req.amountCents}`);
      }
      const last = lisbonDate(new Date(req.expiresAt.getTime() - 1));
      const expiredate = `${last.y}${String(last.m).padStart(2, '0')}${String(last.d).padStart(2, '0')}`;
      const body = await call(what, `/gateway/pinpay/${encodeURIComponent(config.gatewayKey)}`, {
        method: 'POST',
        body: {
          id: req.orderRef,
          amount: centsToIfthenpayAmount(req.amountCents),
          description: req.description.slice(0, 200),
          lang: 'pt',
          expiredate,
          otp: 'true',
          success_url: req.returnUrl,
          error_url: req.returnUrl,
          cancel_url: req.returnUrl,
        },
      });
      const answer = parseAnswer(what, body, linkAnswer);
      const url = answer.RedirectUrl.trim();
      if (!/^https?:\/\/\S+$/.test(url) || !URL.canParse(url)) {
        throw badResponse(what, `RedirectUrl is not a URL: ${JSON.stringify(url)}`);
      }
      const requestId = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
      if (requestId === '') throw badResponse(what, `no id in the RedirectUrl: ${url}`);
      return { requestId, url };
    },

    async queryStatus(q: {
      method: ProviderMethod;
      requestId: string;
      orderRef: string;
    }): Promise<ProviderStatus> {
      if (q.method !== 'mbway') return { status: 'unknown' };
      const what = 'MB WAY status';
      const query = new URLSearchParams({ mbWayKey: config.mbwayKey, requestId: q.requestId });
      const body = await call(what, `/spg/payment/mbway/status?${query}`, { method: 'GET' });
      const answer = parseAnswer(what, body, mbwayStatusAnswer);
      switch (answer.Status) {
        case '000': {
          const paidAt = answer.UpdateAt ? parseIfthenpayDateTime(answer.UpdateAt.trim()) : null;
          return paidAt ? { status: 'paid', paidAt } : { status: 'paid' };
        }
        case '020':
        case '122':
          return { status: 'rejected' };
        case '101':
          return { status: 'expired' };
        case '123':
          return { status: 'pending' };
        default:
          return /pending/i.test(answer.Message ?? '') ? { status: 'pending' } : { status: 'unknown' };
      }
    },

    parseCallback(params: URLSearchParams): ParsedCallback {
      const key = params.get('key');
      if (key === null || !sameSecret(key, config.antiPhishingKey)) {
        return { ok: false, code: 'callback_key_invalid', message: 'anti-phishing key missing or wrong' };
      }
      const fail = (message: string): ParsedCallback => ({ ok: false, code: 'validation_failed', message });
      const entity = params.get('entity')?.trim() || undefined;
      const reference = params.get('reference')?.replace(/\s+/g, '') || undefined;
      const hint = params.get('method');
      let method: ProviderMethod;
      if (hint === 'multibanco' || hint === 'mbway' || hint === 'link') method = hint;
      else if (hint !== null && hint !== '') return fail(`unknown method ${JSON.stringify(hint)}`);
      else if (params.has('payment_method')) method = 'link';
      else method = entity !== undefined && reference !== undefined ? 'multibanco' : 'mbway';

      // Pay By Link / PINPAY callbacks carry the order id as `id` and no requestId (module comment).
      const orderRef = (params.get('orderId') ?? params.get('id'))?.trim() || null;
      const requestId = params.get('requestId')?.trim() || (method === 'link' ? (orderRef ?? '') : '');
      if (requestId === '') return fail('requestId missing');
      const amountText = params.get('amount') ?? '';
      const amountCents = parseIfthenpayAmount(amountText);
      if (amountCents === null)
        return fail(`amount is not a decimal with '.': ${JSON.stringify(amountText)}`);
      if (entity !== undefined && !/^\d{5}$/.test(entity)) return fail('entity is not 5 digits');
      if (reference !== undefined && !/^\d{9}$/.test(reference)) return fail('reference is not 9 digits');
      if (method === 'multibanco' && (entity === undefined || reference === undefined)) {
        return fail('Multibanco callback without entity and reference');
      }

      const when = params.get('payment_datetime')?.trim() ?? '';
      const paidAt = when === '' ? now() : parseIfthenpayDateTime(when);
      if (paidAt === null) return fail(`payment_datetime not understood: ${JSON.stringify(when)}`);

      return {
        ok: true,
        callback: {
          requestId,
          orderRef,
          amountCents,
          method,
          paidAt,
          ...(entity === undefined ? {} : { entity }),
          ...(reference === undefined ? {} : { reference }),
        },
      };
    },
  };
}
