/**
 * Chooses the mail transport at start: `SMTP_URL` → nodemailer to that server; unset → nodemailer to the
 * in-process SMTP sink, whose messages the dev mailbox page lists. (Filled in by the mail feature.)
 */
import type { Mailer } from './mailer.ts';
import { memoryMailer } from './mailer.ts';

/** The mailer and, with the embedded sink, its mailbox (for the /dev/mailbox page). */
export interface MailSetup {
  mailer: Mailer;
  close(): Promise<void>;
}

/** Starts mail for the central process. */
export async function startMail(_opts: { smtpUrl: string | null; from: string }): Promise<MailSetup> {
  return { mailer: memoryMailer(), close: async () => undefined };
}
