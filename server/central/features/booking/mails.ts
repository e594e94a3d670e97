/**
 * Booking emails: confirmation (with the .ics attached), change and cancellation, in the account's
 * language (PT-PT formal or English), HTML + text through mail/templates.ts. Sending happens after the
 * transaction commits; a mail failure is logged and never undoes the booking.
 */
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import type { CentralDeps } from '../../deps.ts';
import { renderMail } from '../../mail/templates.ts';
import { appointmentIcs } from './ics.ts';
import { findAccountContact, type AppointmentView } from './repo.ts';

/** Which booking email. */
export type BookingMailKind = 'confirmed' | 'rescheduled' | 'cancelled';

const fmt = (locale: 'pt' | 'en', d: Date) =>
  new Intl.DateTimeFormat(locale === 'pt' ? 'pt-PT' : 'en-GB', {
    timeZone: 'Europe/Lisbon',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

/** Sends one booking email to the appointment's patient; logs and swallows failures. */
export async function sendBookingMail(
  deps: CentralDeps,
  kind: BookingMailKind,
  a: AppointmentView,
): Promise<void> {
  if (!a.accountId) return;
  try {
    const to = await findAccountContact(deps.db, a.accountId);
    if (!to) return;
    const locale = to.locale;
    const names = SPECIALTY_DEFAULTS[a.specialty as SpecialtyCode];
    const service = locale === 'pt' ? names.namePt : names.nameEn;
    const when = fmt(locale, a.startsAt);
    const pt = locale === 'pt';
    const title = {
      confirmed: pt ? 'Consulta marcada' : 'Appointment booked',
      rescheduled: pt ? 'Consulta alterada' : 'Appointment changed',
      cancelled: pt ? 'Consulta cancelada' : 'Appointment cancelled',
    }[kind];
    const paragraphs = [
      pt ? `Caro(a) ${to.name},` : `Dear ${to.name},`,
      kind === 'cancelled'
        ? pt
          ? `A sua consulta de ${service} com ${a.practitionerName}, ${when}, foi cancelada.`
          : `Your ${service} appointment with ${a.practitionerName}, ${when}, has been cancelled.`
        : pt
          ? `${service} com ${a.practitionerName}, ${when}, em ${a.clinicName} (${a.clinicAddress}).`
          : `${service} with ${a.practitionerName}, ${when}, at ${a.clinicName} (${a.clinicAddress}).`,
      ...(kind === 'cancelled'
        ? []
        : [
            pt
              ? `Código da marcação: ${a.bookingCode}. À chegada, faça o check-in no quiosque com este código ou com o código QR da página “As minhas consultas”.`
              : `Booking code: ${a.bookingCode}. On arrival, check in at the kiosk with this code or with the QR code on the "My appointments" page.`,
            pt
              ? `Pode cancelar ou alterar sem custos até ${a.cancelNoticeHours} horas antes.`
              : `You can cancel or change it free of charge until ${a.cancelNoticeHours} hours before.`,
          ]),
    ];
    const rendered = renderMail({
      locale,
      title,
      paragraphs,
      action: {
        label: pt ? 'As minhas consultas' : 'My appointments',
        url: `${deps.config.publicUrl}/appointments`,
      },
    });
    const ics = appointmentIcs({
      uid: `${a.id}@clinic-front-desk`,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      stampedAt: new Date(deps.now()),
      summary: `${service} — ${a.clinicName}`,
      location: a.clinicAddress,
      description: `${a.practitionerName}. ${pt ? 'Código' : 'Code'}: ${a.bookingCode}`,
      cancelled: kind === 'cancelled',
    });
    await deps.mailer.send({
      to: to.email!,
      subject: `${title} — ${a.clinicName}`,
      text: rendered.text,
      html: rendered.html,
      attachments: [{ filename: 'consulta.ics', content: ics, contentType: 'text/calendar; charset=utf-8' }],
    });
  } catch (err) {
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'mail.booking_failed',
        kind,
        appointmentId: a.id,
        message: (err as Error).message,
      }),
    );
  }
}
