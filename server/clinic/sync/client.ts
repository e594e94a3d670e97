/**
 * The clinic's HTTP client of the central API's sync routes, protocol v1 (docs/sync.md "Protocol v1",
 * contracts in server/domain/sync.ts): real `fetch`, the protocol header on every request and the
 * clinic's credential (`Authorization: Bearer`) on every call but `pair`. Answers are parsed with the
 * shared zod schemas. Failures are a `SyncRequestError` whose `fatal` flag says whether retrying can
 * help: a protocol mismatch or a refused credential cannot (stop syncing and say so); a network error,
 * a timeout, a 5xx or a 429 can (back off and retry).
 */
import type { z } from 'zod';
import {
  patientLinkInviteDto,
  type PatientLinkInviteDto,
  type PatientLinkInviteInput,
} from '../../domain/patient-links.ts';
import {
  credentialDto,
  pullDto,
  pushDto,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
  SYNC_PUSH_FORMAT,
  type CredentialDto,
  type PullDto,
  type PushDto,
  type SyncOutboxEntry,
} from '../../domain/sync.ts';

/** Codes that stop syncing until someone acts (update the app, or pair again). */
export const FATAL_SYNC_CODES = ['sync_protocol_mismatch', 'sync_credential_invalid'] as const;
/** A code of `FATAL_SYNC_CODES`. */
export type FatalSyncCode = (typeof FATAL_SYNC_CODES)[number];

/**
 * A failed sync request. `code` is central's error code (`{ error: { code } }`), or 'network' when no
 * answer came (connection refused, DNS, timeout), or 'bad_answer' when the answer was not the contract.
 * `status` is the HTTP status (0 without an answer). `fatal` = retrying cannot help.
 */
export class SyncRequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }

  /** True for a protocol mismatch or a refused credential: stop, do not retry. */
  get fatal(): boolean {
    return (FATAL_SYNC_CODES as readonly string[]).includes(this.code);
  }

  /** True when retrying later may help: no answer, a 5xx, or 429. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** Where central is and who the clinic is. */
export interface SyncClientOptions {
  /** Base URL of the central API, e.g. `https://central.example.pt` (no trailing `/api`). */
  centralUrl: string;
  /** The clinic's credential (absent only for `pair`). Never logged. */
  credential?: string;
  /** Per-request timeout, ms (default 30 000). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** A client of central's `/api/sync/*` routes. */
export class SyncClient {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly credential: string | undefined;

  constructor(options: SyncClientOptions) {
    this.base = options.centralUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.credential = options.credential;
  }

  /**
   * `POST /api/sync/pair { code }`: uses up a one-time pairing code made by a central admin.
   * @returns `{ clinicId, credential }`
   * @throws SyncRequestError (`pairing_code_invalid` 400 for an unknown, used or expired code)
   */
  pair(code: string): Promise<CredentialDto> {
    return this.request('POST', '/api/sync/pair', credentialDto, { code }, false);
  }

  /**
   * `POST /api/sync/credential/rotate`: a new credential; the one used is revoked at once (write the
   * new one to disk before anything else).
   * @throws SyncRequestError
   */
  rotate(): Promise<CredentialDto> {
    return this.request('POST', '/api/sync/credential/rotate', credentialDto, undefined, true);
  }

  /**
   * `POST /api/sync/push { format: 1, entries }` (≤ 500 entries as `readOutbox` returns them).
   * @returns one result per entry, in order
   * @throws SyncRequestError
   */
  push(entries: readonly SyncOutboxEntry[]): Promise<PushDto> {
    return this.request('POST', '/api/sync/push', pushDto, { format: SYNC_PUSH_FORMAT, entries }, true);
  }

  /**
   * `GET /api/sync/pull?cursor=&limit=`: central's changes for this clinic after `cursor`.
   * @param limit 1…1000 (default 500)
   * @throws SyncRequestError
   */
  pull(cursor: number, limit = 500): Promise<PullDto> {
    return this.request('GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, pullDto, undefined, true);
  }

  /**
   * `POST /api/sync/patient-links { clinicPatientId, email?, phone?, locale }`: central makes a one-time
   * link (14 days) to this clinic's patient and sends it to the patient (docs/sync.md "Same-patient merge").
   * @returns when it expires and whether the e-mail / SMS went out
   * @throws SyncRequestError (`patient_has_portal_account` 409 when central already links that patient,
   *   `contact_required` 422 without a usable e-mail or mobile)
   */
  invitePatientLink(input: PatientLinkInviteInput): Promise<PatientLinkInviteDto> {
    return this.request('POST', '/api/sync/patient-links', patientLinkInviteDto, input, true);
  }

  private async request<T extends z.ZodTypeAny>(
    method: string,
    path: string,
    schema: T,
    body: unknown,
    authenticated: boolean,
  ): Promise<z.infer<T>> {
    const headers: Record<string, string> = { [SYNC_PROTOCOL_HEADER]: String(SYNC_PROTOCOL_VERSION) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated) {
      if (!this.credential) throw new SyncRequestError('sync_credential_invalid', 401, 'not paired');
      headers.authorization = `Bearer ${this.credential}`;
    }
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new SyncRequestError('network', 0, `central unreachable: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (
        json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      )?.error;
      throw new SyncRequestError(
        error?.code ?? `http_${res.status}`,
        res.status,
        error?.message ?? `central answered ${res.status}`,
        error?.details,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new SyncRequestError('bad_answer', res.status, `central's answer to ${method} ${path} is not v1`);
    return parsed.data as z.infer<T>;
  }
}
