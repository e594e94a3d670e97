/**
 * Outgoing email behind one interface. The real one is nodemailer over SMTP (`SMTP_URL`); the embedded
 * default is the same nodemailer transport pointed at the in-process SMTP sink (mail/sink.ts); tests
 * use `memoryMailer`, which keeps what was sent.
 */

/** One message: both an HTML and a plain-text body (multipart/alternative). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra attachments (e.g. an .ics calendar file). */
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
}

/** Sends mail. @throws Error when the SMTP server refuses the message */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** A mailer that keeps messages in `sent` (tests). */
export function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
  };
}
