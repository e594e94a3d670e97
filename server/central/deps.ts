/**
 * What the central API's features are given (composition in app.ts, built by main.ts or the tests):
 * the database, the clock, the configuration, mail and SMS, the payment provider and the invoicing provider. Nothing here is per-instance state that
 * another instance would need: central instances are stateless behind a load balancer.
 */
import type { CentralDatabase, CentralDb } from './db/database.ts';
import type { InvoicingProvider } from './invoices/document.ts';
import type { Mailer } from './mail/mailer.ts';
import type { PaymentProvider } from './payments/provider.ts';
import type { SmsSender } from './sms/sms.ts';

/** Settings that shape URLs, tokens and cookies; parsed once from the environment (env.ts). */
export interface CentralConfig {
  /** Public origin of the portal and API, e.g. `https://portal.example.pt` (links in emails, CSRF). */
  publicUrl: string;
  /** HMAC key for access JWTs (HS256), ≥ 32 bytes. */
  jwtSecret: Uint8Array;
  /** JWT `iss` and `aud`. */
  jwtIssuer: string;
  jwtAudience: string;
  /** Access-token lifetime in seconds (≤ 900, security.md). */
  accessTtlSec: number;
  /** Refresh (session) idle and absolute lifetimes in seconds. */
  refreshIdleSec: number;
  refreshAbsoluteSec: number;
  /** Argon2id cost (security.md: memory ≥ 19 MiB, iterations ≥ 2, parallelism 1). Tests may lower it. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /**
   * Bearer token of the admin routes (reconciliation, refunds); null = those routes answer 403.
   * `ADMIN_TOKEN`; the demo prints a random one.
   */
  adminToken: string | null;
}

/** The central API's dependencies. */
export interface CentralDeps {
  database: CentralDatabase;
  db: CentralDb;
  /** The clock, ms since epoch (UTC). */
  now: () => number;
  config: CentralConfig;
  mailer: Mailer;
  /** Outgoing SMS (the dev outbox page, or a gateway from SMS_URL). */
  sms: SmsSender;
  /** The payment provider (the sandbox, or ifthenpay when its keys are set). */
  payments: PaymentProvider;
  /** Who issues invoice documents (builtin PDF, or InvoiceXpress when its keys are set). */
  invoicing: InvoicingProvider;
}
