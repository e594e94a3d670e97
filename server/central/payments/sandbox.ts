/**
 * The local sandbox payment provider: the embedded default `PaymentProvider` (provider.ts) that lets a
 * newcomer, the end-to-end tests and the unit tests pay without a real provider (payments-pt.md).
 *
 * - Multibanco: entity (default '12345') + 9-digit references whose check digits are right for the
 *   entity and amount (domain/payments/multibanco.ts); a reference this sandbox ever issued is never
 *   issued again.
 * - MB WAY: a request waits MBWAY_WINDOW_MS (4 min) for the patient, then expires (checked lazily
 *   against `now()`). Magic national numbers answer by themselves, for hands-off tests:
 *   - 910000001 → accepted (paid, callback delivered) after AUTO_ANSWER_MS (1 s, a real timer);
 *   - 910000002 → rejected after AUTO_ANSWER_MS (no callback: a real rejection is learned by polling);
 *   - 910000003 → never answers (expires when the window passes; the page can still answer it).
 * - Payment links: a hosted page on the sandbox routes, `${origin of callbackUrl}/dev/payments/link/:id`.
 * - Callbacks are delivered over real HTTP in ifthenpay's callback format (a GET on `callbackUrl` with
 *   query parameters, see `callbackParams`), retried per `retryDelaysMs` until an HTTP 200, with faults
 *   on request (duplicates, delay, wrong key, wrong amount, dropped, stale re-delivery).
 *
 * State lives in memory: it is a development tool, and a restart forgets every request (the central
 * API's poller then sees 'unknown' for them).
 */
import { centsToDecimal } from '../../domain/money.ts';
import { randomBytes, randomInt } from 'node:crypto';
import { MBWAY_WINDOW_MS } from '../../domain/payments/dto.ts';
import {
  MULTIBANCO_MAX_CENTS,
  MULTIBANCO_MIN_CENTS,
  multibancoReference,
} from '../../domain/payments/multibanco.ts';
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

/** Magic MB WAY national numbers (see the module comment). */
export const SANDBOX_MBWAY_ACCEPTS = '910000001';
/** Magic MB WAY number: rejected after AUTO_ANSWER_MS. */
export const SANDBOX_MBWAY_REJECTS = '910000002';
/** Magic MB WAY number: never answered (expires). */
export const SANDBOX_MBWAY_SILENT = '910000003';
/** How long the magic numbers take to answer, in milliseconds (a real timer, not `now()`). */
export const AUTO_ANSWER_MS = 1000;
/** Default delays between delivery attempts, in milliseconds (1 + 3 attempts in all). */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 30000];
/** One delivery attempt is abandoned (and counted as a network error) after this many milliseconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** The delivery log keeps the newest this-many attempts. */
export const DELIVERY_LOG_CAPACITY = 500;

/** A request's status at the sandbox. */
export type SandboxStatus = 'pending' | 'paid' | 'rejected' | 'expired';

/**
 * Faults to inject into one payment's callback delivery (all optional, combinable).
 * - `duplicate`: deliver N extra identical copies (N + 1 deliveries, each retried on its own).
 * - `delayMs`: wait this long before the first delivery (with `stale`: the delay of the stale copy).
 * - `tamperKey`: send a wrong anti-phishing key.
 * - `tamperAmountCents`: the callback claims this amount (integer cents) instead of the real one;
 *   `queryStatus` still reports the real amount.
 * - `drop`: the request is paid at the sandbox but no callback is sent (the poller must find it).
 * - `stale`: deliver normally now, then the same callback once more after `delayMs` (default 1000 ms).
 */
export interface SandboxFaults {
  duplicate?: number;
  delayMs?: number;
  tamperKey?: boolean;
  tamperAmountCents?: number;
  drop?: boolean;
  stale?: boolean;
}

/** One request as the sandbox page and `requests.json` show it. Instants are ISO-8601 UTC strings. */
export interface SandboxRequestView {
  requestId: string;
  method: ProviderMethod;
  orderRef: string;
  amountCents: number;
  /** Multibanco only (5 digits), else null. */
  entity: string | null;
  /** Multibanco only (9 digits, no spaces), else null. */
  reference: string | null;
  /** MB WAY only: '+351 9•• ••• 001' (the last 3 digits), else null. */
  phoneMasked: string | null;
  status: SandboxStatus;
  createdAt: string;
  expiresAt: string;
  paidAt: string | null;
  /** MB WAY and link: the description asked for; Multibanco: null. */
  description: string | null;
  /** Link only: where the hosted page sends the buyer back after paying, else null. */
  returnUrl: string | null;
}

/** One callback delivery attempt. `url` has the key replaced by 'redacted'; `at` is ISO-8601 UTC. */
export interface SandboxDelivery {
  requestId: string;
  /** 1 for the first attempt of a copy, 2 for its first retry… */
  attempt: number;
  url: string;
  /** The HTTP status answered, or 'network_error' (refused, reset, timed out after 10 s). */
  status: number | 'network_error';
  at: string;
}

/** Options of `createSandboxProvider`. */
export interface SandboxOptions {
  /** Absolute http(s) URL the callbacks are sent to (a GET with query parameters). */
  callbackUrl: string;
  /** The anti-phishing key sent as `key` and checked by `parseCallback`. */
  antiPhishingKey: string;
  /** Multibanco entity, 5 digits (default '12345'). */
  entity?: string;
  /** Clock in epoch milliseconds (default Date.now): timestamps and lazy expiry. */
  now?: () => number;
  /** HTTP client for deliveries (default the global fetch). */
  fetch?: typeof fetch;
  /** Delays between attempts in ms; attempts = 1 + its length (default [1000, 5000, 30000]). */
  retryDelaysMs?: number[];
  /** Receives structured events (`{ event: 'payments.sandbox.…', … }`); never the key. */
  log?: (event: object) => void;
}

/** Why a control call was refused: no such request, not in a state that allows it, wrong method. */
export type SandboxErrorCode = 'sandbox_request_not_found' | 'sandbox_not_payable' | 'sandbox_wrong_method';

/** A refused control call (`pay`, `acceptMbway`, `rejectMbway`, `deliverStale`). */
export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** The sandbox provider: a `PaymentProvider` plus the controls its page and the tests use. */
export interface SandboxProvider extends PaymentProvider {
  readonly name: 'sandbox';
  /** The Multibanco entity (5 digits). */
  readonly entity: string;
  /** The sandbox's clock (opts.now), epoch milliseconds. */
  now(): number;
  /**
   * The buyer pays a pending Multibanco reference or link: marks it paid (paidAt = now()) and delivers
   * the callback (unless `faults.drop`). Returns once the delivery is scheduled; `idle()` awaits it.
   * @throws SandboxError sandbox_request_not_found, sandbox_wrong_method (MB WAY: use acceptMbway),
   *   sandbox_not_payable (not pending: paid, or expired by now()).
   */
  pay(requestId: string, faults?: SandboxFaults): void;
  /**
   * The patient accepts a pending MB WAY request in the app: paid, then the callback as for `pay`.
   * @throws SandboxError as `pay` (sandbox_wrong_method when not MB WAY).
   */
  acceptMbway(requestId: string, faults?: SandboxFaults): void;
  /**
   * The patient rejects a pending MB WAY request: status 'rejected', no callback (polling finds it).
   * @throws SandboxError as `acceptMbway`.
   */
  rejectMbway(requestId: string): void;
  /**
   * Ends a pending request now, as if its time had run out (the MB WAY window, a reference's expiry):
   * status 'expired', no callback (the poller learns it). Lets a person or an end-to-end test see the
   * expiry without waiting 4 minutes.
   * @throws SandboxError sandbox_request_not_found, sandbox_not_payable (not pending).
   */
  expireNow(requestId: string): void;
  /**
   * Re-sends an old callback: for a paid request the very callback it got (same payment_datetime);
   * for an expired one never paid, a late callback claiming payment just before expiry (expiresAt −
   * 1 s). Retried like any delivery.
   * @throws SandboxError sandbox_request_not_found, sandbox_not_payable (pending or rejected).
   */
  deliverStale(requestId: string): void;
  /** Every request, newest first, with its status as of now(). */
  requests(): SandboxRequestView[];
  /** The delivery log, oldest first (the newest DELIVERY_LOG_CAPACITY attempts). */
  deliveries(): SandboxDelivery[];
  /** Resolves when no delivery or magic-number answer is in flight or scheduled. */
  idle(): Promise<void>;
  /** Clears every timer and aborts deliveries in flight; the provider stops delivering. */
  close(): void;
}

interface StoredRequest {
  requestId: string;
  method: ProviderMethod;
  orderRef: string;
  amountCents: number;
  entity: string | null;
  reference: string | null;
  phoneMasked: string | null;
  description: string | null;
  returnUrl: string | null;
  status: SandboxStatus;
  createdAt: number;
  expiresAt: number;
  paidAt: number | null;
  /** The true callback of a paid request (untampered), kept for `deliverStale`. */
  callback: URLSearchParams | null;
}

const ORDER_REF_MAX = 15;
const AMOUNT_RE = /^(0|[1-9]\d{0,12})\.(\d{2})$/;
const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;
const REQUEST_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const METHODS: readonly ProviderMethod[] = ['multibanco', 'mbway', 'link'];

/**
 * Formats integer cents the way ifthenpay's callbacks carry amounts: euros with two decimals and a
 * dot, no grouping ('12.50', '0.10', '1000.00'). Reads digits only (no float division).
 * @throws RangeError when `cents` is not a non-negative safe integer.
 */
export function centsToCallbackAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`cents must be ≥ 0, got ${cents}`);
  return centsToDecimal(cents);
}

/**
 * Parses a callback amount into integer cents, exactly (string digits, never float arithmetic).
 * Accepted: digits, a dot, exactly two decimals, no leading zeros: '12.50' → 1250, '0.10' → 10,
 * '1000.00' → 100000. Rejected (null): '12.5' (ifthenpay and the sandbox always send two decimals, so
 * one decimal means something else produced it), '12', '012.50', '1,000.00', '12,50', '-1.00', ' 1.00'.
 */
export function parseCallbackAmount(text: string): number | null {
  const m = AMOUNT_RE.exec(text);
  if (!m) return null;
  const cents = Number(m[1]!) * 100 + Number(m[2]!);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** '351#910000001' → '+351 9•• ••• 001'; other country codes → '+44 •••789'. */
function maskPhone(cc: string, national: string): string {
  const last3 = national.slice(-3);
  return cc === '351' ? `+351 ${national[0]}•• ••• ${last3}` : `+${cc} •••${last3}`;
}

/**
 * Creates the sandbox provider (see the module comment).
 * @throws RangeError when `callbackUrl` is not an absolute http(s) URL, `entity` is not 5 digits,
 *   `antiPhishingKey` is empty or a retry delay is not a non-negative finite number.
 */
export function createSandboxProvider(opts: SandboxOptions): SandboxProvider {
  let callbackUrl: URL;
  try {
    callbackUrl = new URL(opts.callbackUrl);
  } catch {
    throw new RangeError(`callbackUrl must be an absolute URL, got ${JSON.stringify(opts.callbackUrl)}`);
  }
  if (callbackUrl.protocol !== 'http:' && callbackUrl.protocol !== 'https:') {
    throw new RangeError(`callbackUrl must be http(s), got ${callbackUrl.protocol}`);
  }
  const entity = opts.entity ?? '12345';
  if (!/^\d{5}$/.test(entity)) throw new RangeError(`entity must be 5 digits, got ${JSON.stringify(entity)}`);
  if (!opts.antiPhishingKey) throw new RangeError('antiPhishingKey must not be empty');
  const retryDelaysMs = [...(opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)];
  if (retryDelaysMs.some((d) => !Number.isFinite(d) || d < 0)) {
    throw new RangeError(`retryDelaysMs must be non-negative numbers, got ${JSON.stringify(retryDelaysMs)}`);
  }
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const log = opts.log ?? (() => {});
  const linkBase = `${callbackUrl.origin}/dev/payments/link/`;

  const store = new Map<string, StoredRequest>();
  /** Every reference ever issued (entity is fixed): never reissued, live or not. */
  const issuedReferences = new Set<string>();
  const deliveryLog: SandboxDelivery[] = [];
  /** Deliveries and magic answers in flight or scheduled (what `idle()` waits for). */
  const tasks = new Set<Promise<void>>();
  /** Pending sleeps: their timers and how to wake them early on close(). */
  const sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const closing = new AbortController();
  let closed = false;

  /** Waits `ms`; resolves false when close() interrupted it. */
  function sleep(ms: number): Promise<boolean> {
    if (closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleeps.delete(entry);
          resolve(!closed);
        }, ms),
        wake: () => resolve(false),
      };
      sleeps.add(entry);
    });
  }

  function track(work: Promise<void>): void {
    const task = work.catch((err: unknown) => {
      log({ event: 'payments.sandbox.task_failed', error: String(err) });
    });
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
  }

  function newRequestId(): string {
    let id: string;
    do id = `sbx_${randomBytes(8).toString('hex')}`;
    while (store.has(id));
    return id;
  }

  /** The request with its status as of now(): a pending request past its expiry becomes expired. */
  function current(requestId: string): StoredRequest | undefined {
    const r = store.get(requestId);
    if (r && r.status === 'pending' && now() >= r.expiresAt) {
      r.status = 'expired';
      log({ event: 'payments.sandbox.expired', requestId, method: r.method });
    }
    return r;
  }

  function invalid(message: string): ProviderError {
    return new ProviderError(message, false, 'invalid_request');
  }

  function checkOrder(orderRef: string, amountCents: number, min: number, max: number): void {
    if (typeof orderRef !== 'string' || orderRef.length < 1 || orderRef.length > ORDER_REF_MAX) {
      throw invalid(`orderRef must be 1–${ORDER_REF_MAX} characters`);
    }
    if (!Number.isSafeInteger(amountCents) || amountCents < min || amountCents > max) {
      throw invalid(`amountCents must be integer cents in ${min}…${max}, got ${amountCents}`);
    }
  }

  function checkExpiry(expiresAt: Date): number {
    const t = expiresAt instanceof Date ? expiresAt.getTime() : NaN;
    if (!Number.isFinite(t) || t <= now()) throw invalid('expiresAt must be a valid time in the future');
    return t;
  }

  function add(r: StoredRequest): void {
    store.set(r.requestId, r);
    log({
      event: 'payments.sandbox.created',
      requestId: r.requestId,
      method: r.method,
      orderRef: r.orderRef,
      amountCents: r.amountCents,
    });
  }

  /** ifthenpay-format callback parameters of a paid request (see `parseCallback`). */
  function callbackParams(r: StoredRequest, paidAt: number): URLSearchParams {
    const p = new URLSearchParams();
    p.set('key', opts.antiPhishingKey);
    p.set('orderId', r.orderRef);
    p.set('amount', centsToCallbackAmount(r.amountCents));
    p.set('requestId', r.requestId);
    if (r.method === 'multibanco') {
      p.set('entity', r.entity!);
      p.set('reference', r.reference!);
    }
    p.set('payment_datetime', new Date(paidAt).toISOString());
    p.set('method', r.method);
    return p;
  }

  function urlWith(params: URLSearchParams): URL {
    const url = new URL(callbackUrl);
    for (const [k, v] of params) url.searchParams.set(k, v);
    return url;
  }

  function record(d: SandboxDelivery): void {
    deliveryLog.push(d);
    if (deliveryLog.length > DELIVERY_LOG_CAPACITY)
      deliveryLog.splice(0, deliveryLog.length - DELIVERY_LOG_CAPACITY);
    log({ event: 'payments.sandbox.delivery', requestId: d.requestId, attempt: d.attempt, status: d.status });
  }

  /** One copy of a callback: attempts until HTTP 200, waiting retryDelaysMs between attempts. */
  async function deliverCopy(requestId: string, params: URLSearchParams, delayMs: number): Promise<void> {
    if (delayMs > 0 && !(await sleep(delayMs))) return;
    const url = urlWith(params);
    const redacted = new URL(url);
    redacted.searchParams.set('key', 'redacted');
    for (let attempt = 1; ; attempt++) {
      if (closed) return;
      let status: number | 'network_error';
      try {
        const res = await doFetch(url, {
          method: 'GET',
          redirect: 'manual',
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        status = res.status;
        await res.body?.cancel().catch(() => {});
      } catch {
        status = 'network_error';
      }
      if (closed) return;
      record({ requestId, attempt, url: redacted.toString(), status, at: new Date(now()).toISOString() });
      if (status === 200) return;
      const wait = retryDelaysMs[attempt - 1];
      if (wait === undefined) {
        log({ event: 'payments.sandbox.delivery_gave_up', requestId, attempts: attempt });
        return;
      }
      if (!(await sleep(wait))) return;
    }
  }

  /** Sends `params` (the true callback) with `faults` applied. */
  function deliver(requestId: string, params: URLSearchParams, faults: SandboxFaults = {}): void {
    if (faults.drop) {
      log({ event: 'payments.sandbox.callback_dropped', requestId });
      return;
    }
    const sent = new URLSearchParams(params);
    if (faults.tamperKey) sent.set('key', `${opts.antiPhishingKey}-wrong`);
    if (faults.tamperAmountCents !== undefined) {
      sent.set('amount', centsToCallbackAmount(faults.tamperAmountCents));
    }
    const copies = 1 + (faults.duplicate ?? 0);
    const delay = faults.stale ? 0 : (faults.delayMs ?? 0);
    for (let i = 0; i < copies; i++) track(deliverCopy(requestId, sent, delay));
    if (faults.stale) track(deliverCopy(requestId, sent, faults.delayMs ?? 1000));
  }

  function checkFaults(faults: SandboxFaults | undefined): void {
    if (!faults) return;
    const { duplicate, delayMs, tamperAmountCents } = faults;
    if (duplicate !== undefined && (!Number.isInteger(duplicate) || duplicate < 0 || duplicate > 10)) {
      throw new RangeError(`faults.duplicate must be an integer 0…10, got ${duplicate}`);
    }
    if (delayMs !== undefined && (!Number.isFinite(delayMs) || delayMs < 0)) {
      throw new RangeError(`faults.delayMs must be ≥ 0, got ${delayMs}`);
    }
    if (
      tamperAmountCents !== undefined &&
      (!Number.isSafeInteger(tamperAmountCents) || tamperAmountCents < 0)
    ) {
      throw new RangeError(`faults.tamperAmountCents must be integer cents ≥ 0, got ${tamperAmountCents}`);
    }
  }

  /** Looks up a pending request of one of `methods`, or throws SandboxError. */
  function pendingOf(requestId: string, methods: ProviderMethod[]): StoredRequest {
    const r = current(requestId);
    if (!r) throw new SandboxError('sandbox_request_not_found', `no sandbox request ${requestId}`);
    if (!methods.includes(r.method)) {
      throw new SandboxError('sandbox_wrong_method', `${requestId} is a ${r.method} request`);
    }
    if (r.status !== 'pending') throw new SandboxError('sandbox_not_payable', `${requestId} is ${r.status}`);
    return r;
  }

  function markPaid(r: StoredRequest, faults: SandboxFaults | undefined): void {
    checkFaults(faults);
    r.status = 'paid';
    r.paidAt = now();
    r.callback = callbackParams(r, r.paidAt);
    log({ event: 'payments.sandbox.paid', requestId: r.requestId, method: r.method, faults: faults ?? {} });
    deliver(r.requestId, r.callback, faults);
  }

  function view(r: StoredRequest): SandboxRequestView {
    return {
      requestId: r.requestId,
      method: r.method,
      orderRef: r.orderRef,
      amountCents: r.amountCents,
      entity: r.entity,
      reference: r.reference,
      phoneMasked: r.phoneMasked,
      status: r.status,
      createdAt: new Date(r.createdAt).toISOString(),
      expiresAt: new Date(r.expiresAt).toISOString(),
      paidAt: r.paidAt === null ? null : new Date(r.paidAt).toISOString(),
      description: r.description,
      returnUrl: r.returnUrl,
    };
  }

  const provider: SandboxProvider = {
    name: 'sandbox',
    entity,
    now,

    async createMultibanco(req: MultibancoRequest): Promise<MultibancoIssued> {
      checkOrder(req.orderRef, req.amountCents, MULTIBANCO_MIN_CENTS, MULTIBANCO_MAX_CENTS);
      const expiresAt = checkExpiry(req.expiresAt);
      let reference: string;
      do {
        const first7 = String(randomInt(0, 10_000_000)).padStart(7, '0');
        reference = multibancoReference(entity, first7, req.amountCents);
      } while (issuedReferences.has(reference));
      issuedReferences.add(reference);
      const requestId = newRequestId();
      add({
        requestId,
        method: 'multibanco',
        orderRef: req.orderRef,
        amountCents: req.amountCents,
        entity,
        reference,
        phoneMasked: null,
        description: null,
        returnUrl: null,
        status: 'pending',
        createdAt: now(),
        expiresAt,
        paidAt: null,
        callback: null,
      });
      return { requestId, entity, reference, amountCents: req.amountCents, expiresAt: new Date(expiresAt) };
    },

    async requestMbway(req: MbwayRequest): Promise<MbwayIssued> {
      checkOrder(req.orderRef, req.amountCents, 1, MULTIBANCO_MAX_CENTS);
      const phone = /^(\d{1,3})#(\d{6,15})$/.exec(req.phone ?? '');
      if (!phone) throw invalid('phone must be in the wire format CC#number, e.g. 351#912345678');
      const cc = phone[1]!;
      const national = phone[2]!;
      if (cc === '351' && !/^9[1236]\d{7}$/.test(national)) {
        throw invalid('a Portuguese MB WAY number is a mobile: 9 digits starting 91, 92, 93 or 96');
      }
      const createdAt = now();
      const requestId = newRequestId();
      const r: StoredRequest = {
        requestId,
        method: 'mbway',
        orderRef: req.orderRef,
        amountCents: req.amountCents,
        entity: null,
        reference: null,
        phoneMasked: maskPhone(cc, national),
        description: req.description ?? null,
        returnUrl: null,
        status: 'pending',
        createdAt,
        expiresAt: createdAt + MBWAY_WINDOW_MS,
        paidAt: null,
        callback: null,
      };
      add(r);
      if (cc === '351' && (national === SANDBOX_MBWAY_ACCEPTS || national === SANDBOX_MBWAY_REJECTS)) {
        track(
          sleep(AUTO_ANSWER_MS).then((awake) => {
            if (!awake || current(requestId)?.status !== 'pending') return;
            if (national === SANDBOX_MBWAY_ACCEPTS) provider.acceptMbway(requestId);
            else provider.rejectMbway(requestId);
          }),
        );
      }
      return { requestId, expiresAt: new Date(r.expiresAt) };
    },

    async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLinkIssued> {
      checkOrder(req.orderRef, req.amountCents, 1, MULTIBANCO_MAX_CENTS);
      const expiresAt = checkExpiry(req.expiresAt);
      let returnUrl: string | null = null;
      try {
        const u = new URL(req.returnUrl);
        if (u.protocol === 'http:' || u.protocol === 'https:') returnUrl = u.toString();
      } catch {
        // Left null: the hosted page then stays on itself after paying.
      }
      const requestId = newRequestId();
      add({
        requestId,
        method: 'link',
        orderRef: req.orderRef,
        amountCents: req.amountCents,
        entity: null,
        reference: null,
        phoneMasked: null,
        description: req.description ?? null,
        returnUrl,
        status: 'pending',
        createdAt: now(),
        expiresAt,
        paidAt: null,
        callback: null,
      });
      return { requestId, url: linkBase + requestId };
    },

    async queryStatus(q): Promise<ProviderStatus> {
      const r = current(q.requestId);
      if (!r || r.method !== q.method || r.orderRef !== q.orderRef) return { status: 'unknown' };
      if (r.status === 'paid')
        return { status: 'paid', amountCents: r.amountCents, paidAt: new Date(r.paidAt!) };
      return { status: r.status };
    },

    parseCallback(params: URLSearchParams): ParsedCallback {
      const key = params.get('key');
      if (key === null || !sameSecret(key, opts.antiPhishingKey)) {
        return { ok: false, code: 'callback_key_invalid', message: 'anti-phishing key missing or wrong' };
      }
      const bad = (message: string): ParsedCallback => ({ ok: false, code: 'validation_failed', message });
      const requestId = params.get('requestId') ?? '';
      if (!REQUEST_ID_RE.test(requestId)) return bad('requestId missing or malformed');
      const method = params.get('method') as ProviderMethod | null;
      if (method === null || !METHODS.includes(method))
        return bad('method must be multibanco, mbway or link');
      const amountText = params.get('amount') ?? '';
      const amountCents = parseCallbackAmount(amountText);
      if (amountCents === null)
        return bad(`amount must be euros with two decimals ('12.50'), got ${JSON.stringify(amountText)}`);
      const orderId = params.get('orderId');
      if (orderId !== null && orderId.length > ORDER_REF_MAX) return bad('orderId longer than 15 characters');
      const when = params.get('payment_datetime') ?? '';
      const paidMs = ISO_UTC_RE.test(when) ? Date.parse(when) : NaN;
      if (!Number.isFinite(paidMs)) return bad('payment_datetime must be ISO-8601 UTC (…Z)');
      if (method === 'multibanco') {
        const ent = params.get('entity') ?? '';
        const ref = params.get('reference') ?? '';
        if (!/^\d{5}$/.test(ent)) return bad('entity must be 5 digits');
        if (!/^\d{9}$/.test(ref)) return bad('reference must be 9 digits');
        return {
          ok: true,
          callback: {
            requestId,
            orderRef: orderId || null,
            amountCents,
            method,
            paidAt: new Date(paidMs),
            entity: ent,
            reference: ref,
          },
        };
      }
      return {
        ok: true,
        callback: { requestId, orderRef: orderId || null, amountCents, method, paidAt: new Date(paidMs) },
      };
    },

    pay(requestId, faults) {
      markPaid(pendingOf(requestId, ['multibanco', 'link']), faults);
    },

    acceptMbway(requestId, faults) {
      markPaid(pendingOf(requestId, ['mbway']), faults);
    },

    rejectMbway(requestId) {
      const r = pendingOf(requestId, ['mbway']);
      r.status = 'rejected';
      log({ event: 'payments.sandbox.rejected', requestId });
    },

    expireNow(requestId) {
      const r = pendingOf(requestId, ['multibanco', 'mbway', 'link']);
      r.status = 'expired';
      r.expiresAt = Math.min(r.expiresAt, now());
      log({ event: 'payments.sandbox.expired', requestId });
    },

    deliverStale(requestId) {
      const r = current(requestId);
      if (!r) throw new SandboxError('sandbox_request_not_found', `no sandbox request ${requestId}`);
      if (r.status === 'paid') deliver(requestId, r.callback!);
      else if (r.status === 'expired') deliver(requestId, callbackParams(r, r.expiresAt - 1000));
      else
        throw new SandboxError('sandbox_not_payable', `${requestId} is ${r.status}: nothing stale to send`);
      log({ event: 'payments.sandbox.stale', requestId });
    },

    requests() {
      return [...store.keys()].map((id) => view(current(id)!)).reverse();
    },

    deliveries() {
      return deliveryLog.map((d) => ({ ...d }));
    },

    async idle() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },

    close() {
      closed = true;
      closing.abort();
      for (const s of sleeps) {
        clearTimeout(s.timer);
        s.wake();
      }
      sleeps.clear();
    },
  };
  return provider;
}
