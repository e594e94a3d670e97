/**
 * Chooses the mail transport at start: `SMTP_URL` set → nodemailer to that server (`smtp://user:pass@host:587`
 * upgrades with STARTTLS when offered, `smtps://…:465` is TLS from the start); unset → the in-process SMTP
 * sink (sink.ts) and nodemailer pointed at it, so development and end-to-end runs exercise the same SMTP
 * path as production and the dev mailbox page (`/dev/mailbox`) shows what was sent. Every message is sent
 * `From: opts.from` as multipart/alternative (text + HTML).
 */
import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';
import { startMailSink, type MailSink } from './sink.ts';

/** The mailer and, with the embedded sink, its mailbox (for the /dev/mailbox page). */
export interface MailSetup {
  mailer: Mailer;
  /** The embedded sink when `SMTP_URL` is unset; null with a real SMTP server. */
  sink: MailSink | null;
  /** Closes the transport and stops the sink. */
  close(): Promise<void>;
}

/**
 * Starts mail for the central process.
 * @param opts.smtpUrl SMTP server URL, or null for the embedded sink
 * @param opts.from the `From` header, e.g. 'Clínica <no-reply@clinic.local>'
 */
export async function startMail(opts: { smtpUrl: string | null; from: string }): Promise<MailSetup> {
  const sink = opts.smtpUrl ? null : await startMailSink();
  const transport = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl)
    : nodemailer.createTransport({ host: sink!.host, port: sink!.port, secure: false, ignoreTLS: true });
  const mailer: Mailer = {
    async send(message) {
      await transport.sendMail({
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.attachments ? { attachments: message.attachments } : {}),
      });
    },
  };
  return {
    mailer,
    sink,
    async close() {
      transport.close();
      await sink?.close();
    },
  };
}
