/**
 * Configuration of the central API, parsed once with zod at start (CONVENTIONS §8). Each embedded default
 * is replaced by the real thing through one setting:
 * - `DATABASE_URL` unset → embedded PGlite in `CENTRAL_DATA_DIR` (default `data/central`);
 *   `postgres://…` → a real PostgreSQL server.
 * - `SMTP_URL` unset → the in-process SMTP sink with a mailbox page at `/dev/mailbox`;
 *   `smtp://user:pass@host:587` or `smtps://…` → a real SMTP server.
 * - `JWT_SECRET` unset → a random key kept in the data folder (fine for one instance; set it, the same on
 *   every instance, when scaling out).
 * - `SMS_URL` unset → the in-process SMS outbox page at `/dev/sms`; `twilio://SID:TOKEN@+351…` → Twilio.
 * - `IFTHENPAY_MB_KEY`, `IFTHENPAY_MBWAY_KEY`, `IFTHENPAY_ANTI_PHISHING_KEY` (+ optional
 *   `IFTHENPAY_GATEWAY_KEY`, `IFTHENPAY_BASE_URL`) unset → the payment sandbox at `/dev/payments`;
 *   all three set → ifthenpay (payments/ifthenpay.ts).
 * - `INVOICEXPRESS_ACCOUNT` + `INVOICEXPRESS_API_KEY` unset → the built-in PDF (NOT a certified invoice);
 *   set → InvoiceXpress issues the legal documents.
 * - `ADMIN_TOKEN` unset → admin routes (reconciliation, refunds) answer 403 (the demo prints a random one).
 */
import path from 'node:path';
import { z } from 'zod';
import { ROOT_DIR } from './paths.ts';

const envSchema = z.object({
  /** 0 = any free port (printed, and sent to a parent process in the ready message). */
  CENTRAL_PORT: z.coerce.number().int().min(0).max(65535).default(4320),
  CENTRAL_HOST: z.string().default('127.0.0.1'),
  CENTRAL_DATA_DIR: z.string().default(path.join(ROOT_DIR, 'data', 'central')),
  /** Public origin of the portal (email links, CSRF); default http://127.0.0.1:<port>. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender address of outgoing mail. */
  MAIL_FROM: z.string().default('Clínica <no-reply@clinic.local>'),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  SMS_URL: z.string().optional(),
  /** Bearer token of the admin routes, ≥ 24 characters. */
  ADMIN_TOKEN: z.string().min(24, 'ADMIN_TOKEN must be at least 24 characters').optional(),
  /** Seed the demo clinic and demo patient into an empty database (1) or not (0). */
  CENTRAL_DEMO: z.enum(['0', '1']).default('1'),
});

/** The parsed configuration of the central API. */
export interface CentralEnvConfig {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | null;
  /** null: the embedded PGlite database. */
  databaseUrl: string | null;
  /** null: the embedded SMTP sink. */
  smtpUrl: string | null;
  mailFrom: string;
  jwtSecret: string | null;
  /** null: the embedded SMS outbox page. */
  smsUrl: string | null;
  adminToken: string | null;
  demo: boolean;
}

/** @throws ZodError naming the bad variable */
export function parseCentralEnv(source: NodeJS.ProcessEnv = process.env): CentralEnvConfig {
  // An empty variable means unset (`DATABASE_URL= npm start` → the embedded default).
  const e = envSchema.parse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  return {
    port: e.CENTRAL_PORT,
    host: e.CENTRAL_HOST,
    dataDir: e.CENTRAL_DATA_DIR,
    publicUrl: e.PUBLIC_URL ?? null,
    databaseUrl: e.DATABASE_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    jwtSecret: e.JWT_SECRET ?? null,
    smsUrl: e.SMS_URL ?? null,
    adminToken: e.ADMIN_TOKEN ?? null,
    demo: e.CENTRAL_DEMO === '1',
  };
}
