/**
 * The page a reminder's links open, `/r/{token}` (no login: the token is the capability, valid until the
 * appointment starts). It shows the appointment (date, time, clinic, code) and two buttons; nothing
 * changes on GET (link previews and prefetchers follow links), only on the form POST:
 * - `POST /r/{token}` with `action=confirm` records the attendance confirmation (409 once the appointment
 *   is no longer live);
 * - `action=cancel` cancels within the clinic's policy (the same rule and effects as in the portal).
 * Server-rendered HTML, PT-PT and English, no script (CSP allows none), same-origin form posts only.
 */
import { Hono } from 'hono';
import type { CentralDeps } from '../../deps.ts';
import { escapeHtml } from '../../mail/templates.ts';
import { AppError } from '../../../domain/errors.ts';
import { SPECIALTY_DEFAULTS, type SpecialtyCode } from '../../../domain/specialties.ts';
import { crossSiteFormPost } from '../../http/auth.ts';
import { clientIp } from '../../http/client-ip.ts';
import * as booking from '../booking/service.ts';
import { appointmentOfLink, confirmAttendance } from './service.ts';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function page(title: string, body: string): string {
  return `<!doctype html><html lang="pt-PT"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:32rem;padding:1.25rem;color:#1f2933;line-height:1.5}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
form{display:inline-block;margin:.5rem .5rem 0 0}button{font-size:1.05rem;min-height:44px;padding:.5rem 1.1rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff}
button.secondary{background:#fff;color:#9b1c1c;border-color:#9b1c1c}p.note{color:#52606d;font-size:.95rem}
[role=status]{background:#e3f8e9;border:1px solid #2f8132;padding:.75rem;border-radius:6px}
[role=alert]{background:#fde8e8;border:1px solid #9b1c1c;padding:.75rem;border-radius:6px}
:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
</style></head><body><main>${body}</main></body></html>`;
}

const when = (d: Date) =>
  new Intl.DateTimeFormat('pt-PT', {
    timeZone: 'Europe/Lisbon',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

/** `/r/{token}` (GET page, POST action); mount at '/'. */
export function reminderLinkRoutes(deps: CentralDeps) {
  const render = async (
    token: string,
    message: { ok: boolean; text: string } | null,
    status: 200 | 400 | 404 | 409 = 200,
  ) => {
    const a = await appointmentOfLink(deps, token);
    const names = SPECIALTY_DEFAULTS[a.specialty as SpecialtyCode];
    const live = a.status === 'confirmed' || a.status === 'awaiting_payment';
    const t = encodeURIComponent(token);
    const body =
      `<h1>A sua consulta <span lang="en">/ Your appointment</span></h1>` +
      (message ? `<p role="${message.ok ? 'status' : 'alert'}">${escapeHtml(message.text)}</p>` : '') +
      `<dl><dt>Quando</dt><dd>${escapeHtml(when(a.startsAt))}</dd>` +
      `<dt>Consulta</dt><dd>${escapeHtml(names?.namePt ?? a.specialty)}</dd>` +
      `<dt>Profissional</dt><dd>${escapeHtml(a.practitionerName)}</dd>` +
      `<dt>Onde</dt><dd>${escapeHtml(a.clinicName)}${a.clinicAddress ? `, ${escapeHtml(a.clinicAddress)}` : ''}</dd>` +
      `<dt>Código</dt><dd>${escapeHtml(a.bookingCode)}</dd>` +
      `<dt>Estado</dt><dd>${live ? (a.patientConfirmedAt ? 'Presença confirmada' : 'Marcada') : 'Cancelada'}</dd></dl>` +
      (live
        ? `<form method="post" action="/r/${t}"><input type="hidden" name="action" value="confirm"><button type="submit">Confirmo a presença / I'll be there</button></form>` +
          `<form method="post" action="/r/${t}"><input type="hidden" name="action" value="cancel"><button class="secondary" type="submit">Cancelar a consulta / Cancel</button></form>` +
          `<p class="note">Pode também gerir as suas consultas no portal, em “As minhas marcações”.</p>`
        : '');
    return { html: page('A sua consulta', body), status };
  };
  const notFound = () =>
    page(
      'Ligação inválida',
      '<h1>Ligação inválida ou expirada <span lang="en">/ Invalid or expired link</span></h1><p>Consulte as suas marcações no portal.</p>',
    );
  return new Hono()
    .get('/r/:token', async (c) => {
      c.header('content-security-policy', CSP);
      c.header('cache-control', 'no-store');
      c.header('referrer-policy', 'no-referrer');
      try {
        const out = await render(c.req.param('token'), null);
        return c.html(out.html, out.status);
      } catch (err) {
        if (err instanceof AppError) return c.html(notFound(), 404);
        throw err;
      }
    })
    .post('/r/:token', async (c) => {
      c.header('content-security-policy', CSP);
      c.header('cache-control', 'no-store');
      if (crossSiteFormPost(c, new URL(deps.config.publicUrl).origin)) {
        return c.html(page('Pedido recusado', '<h1>Pedido recusado</h1>'), 403);
      }
      const token = c.req.param('token');
      const form = await c.req.parseBody();
      try {
        const a = await appointmentOfLink(deps, token);
        if (form.action === 'confirm') {
          try {
            await confirmAttendance(deps, a.id, clientIp(c));
          } catch (err) {
            if (err instanceof AppError && err.code === 'illegal_transition') {
              const out = await render(
                token,
                {
                  ok: false,
                  text: 'Esta consulta já não está marcada. / This appointment is no longer booked.',
                },
                409,
              );
              return c.html(out.html, out.status);
            }
            throw err;
          }
          const out = await render(token, {
            ok: true,
            text: 'Obrigado: presença confirmada. / Thank you: attendance confirmed.',
          });
          return c.html(out.html, 200);
        }
        if (form.action === 'cancel') {
          if (!a.accountId) throw new AppError('appointment_not_found', 'no such appointment');
          try {
            await booking.cancel(
              deps,
              { accountId: a.accountId, sessionId: 'reminder_link' },
              a.id,
              clientIp(c),
            );
          } catch (err) {
            if (
              err instanceof AppError &&
              (err.code === 'outside_policy' || err.code === 'illegal_transition')
            ) {
              const out = await render(
                token,
                {
                  ok: false,
                  text: 'Já não é possível cancelar por aqui; por favor contacte a clínica. / It is too late to cancel here; please call the clinic.',
                },
                409,
              );
              return c.html(out.html, out.status);
            }
            throw err;
          }
          const out = await render(token, {
            ok: true,
            text: 'A consulta foi cancelada. / The appointment was cancelled.',
          });
          return c.html(out.html, 200);
        }
        const out = await render(token, { ok: false, text: 'Escolha uma opção. / Choose an option.' }, 400);
        return c.html(out.html, out.status);
      } catch (err) {
        if (err instanceof AppError && err.code === 'appointment_not_found') return c.html(notFound(), 404);
        throw err;
      }
    });
}
