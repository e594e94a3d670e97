/**
 * The central API's emails, in European Portuguese (formal register: "Olá <nome>" / "Caro(a) utente",
 * "o(a) senhor(a)") or English by the account's locale. Each message is HTML (one column, inline styles,
 * every interpolated value escaped) plus an equivalent plain-text body, and both contain the link in
 * full, so the message works in clients that block buttons or show text only.
 *
 * `renderMail` is the generic layout (title, paragraphs, an optional button and extra links); the
 * account messages below are built on it, and other features (booking confirmation, cancellation) reuse
 * it. Link lifetimes quoted in the texts must match the service's (accounts: verify 24 h, reset 30 min,
 * change email 24 h).
 */
import type { AccountLocale } from '../../domain/accounts.ts';

/** A rendered email: subject line, HTML body and plain-text body. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** A labelled link (button or plain link). `url` must be http(s). */
export interface MailLink {
  label: string;
  url: string;
}

/** What `renderMail` lays out. */
export interface MailContent {
  locale: AccountLocale;
  /** Subject line and heading. */
  title: string;
  /** Body paragraphs, plain text (escaped into HTML; no markup). */
  paragraphs: string[];
  /** The main call to action, shown as a button and as a copyable address. */
  action?: MailLink;
  /** Further links after the button (e.g. "forgot your password?"). */
  links?: MailLink[];
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Refuses anything but http(s) in a link, so a bad caller cannot put `javascript:` in a button. */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new Error(`mail link must be http(s): ${url}`);
  return url;
}

const FOOTER: Record<AccountLocale, string> = {
  pt: 'Mensagem automática do portal da clínica. Por favor, não responda a este e-mail.',
  en: "Automatic message from the clinic's portal. Please do not reply to this email.",
};

const COPY_HINT: Record<AccountLocale, string> = {
  pt: 'Se o botão não funcionar, copie este endereço para o seu navegador:',
  en: 'If the button does not work, copy this address into your browser:',
};

/**
 * Lays out a message: `<html lang>` with the title as heading, the paragraphs, the action as a button
 * followed by its address in full, the extra links and a footer; the text body has the same content
 * with each link on a line of its own.
 * @throws Error when a link is not http(s)
 */
export function renderMail(content: MailContent): RenderedMail {
  const { locale, title, paragraphs, action, links = [] } = content;
  const p = 'margin:0 0 16px;font-size:16px;line-height:1.5;color:#1f2933';
  const small = 'margin:0 0 16px;font-size:13px;line-height:1.5;color:#52606d';
  const parts: string[] = [
    `<h1 style="margin:0 0 20px;font-size:22px;line-height:1.3;color:#102a43">${escapeHtml(title)}</h1>`,
    ...paragraphs.map((t) => `<p style="${p}">${escapeHtml(t)}</p>`),
  ];
  const textParts: string[] = [title, '', ...paragraphs.flatMap((t) => [t, ''])];
  if (action) {
    const url = escapeHtml(safeUrl(action.url));
    parts.push(
      `<p style="margin:24px 0"><a href="${url}" style="display:inline-block;background:#0b5cad;color:#ffffff;` +
        `padding:12px 22px;border-radius:6px;font-size:16px;font-weight:bold;text-decoration:none">` +
        `${escapeHtml(action.label)}</a></p>`,
      `<p style="${small}">${escapeHtml(COPY_HINT[locale])}<br><a href="${url}" style="color:#0b5cad;` +
        `word-break:break-all">${url}</a></p>`,
    );
    textParts.push(`${action.label}: ${action.url}`, '');
  }
  for (const l of links) {
    const url = escapeHtml(safeUrl(l.url));
    parts.push(`<p style="${p}"><a href="${url}" style="color:#0b5cad">${escapeHtml(l.label)}</a></p>`);
    textParts.push(`${l.label}: ${l.url}`, '');
  }
  textParts.push('—', FOOTER[locale]);
  const html =
    `<!doctype html>\n<html lang="${locale === 'pt' ? 'pt-PT' : 'en'}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f0f4f8;font-family:Arial,Helvetica,sans-serif">` +
    `<div style="max-width:560px;margin:0 auto;padding:24px">` +
    `<div style="background:#ffffff;border-radius:8px;padding:28px">${parts.join('')}</div>` +
    `<p style="margin:16px 0 0;font-size:12px;line-height:1.5;color:#52606d">${escapeHtml(FOOTER[locale])}</p>` +
    `</div></body></html>\n`;
  return { subject: title, html, text: textParts.join('\n') + '\n' };
}

/** "Olá Ana," / "Hello Ana,"; without a name "Caro(a) utente," / "Dear patient,". */
export function greeting(locale: AccountLocale, name: string | null | undefined): string {
  const n = name?.trim();
  if (locale === 'pt') return n ? `Olá ${n},` : 'Caro(a) utente,';
  return n ? `Hello ${n},` : 'Dear patient,';
}

/** Who a message is for and their language. */
export interface Recipient {
  locale: AccountLocale;
  name: string | null;
}

/** After sign-up: confirm the address (link valid 24 h, single use). */
export function verifyEmailMail(to: Recipient, url: string): RenderedMail {
  if (to.locale === 'pt') {
    return renderMail({
      locale: 'pt',
      title: 'Confirme o seu endereço de e-mail',
      paragraphs: [
        greeting('pt', to.name),
        'Obrigado por criar a sua conta no portal da clínica. Para a ativar, confirme o seu endereço de e-mail no botão abaixo.',
        'A ligação é válida durante 24 horas e só pode ser usada uma vez.',
        'Se não foi o(a) senhor(a) a criar esta conta, pode ignorar esta mensagem.',
      ],
      action: { label: 'Confirmar e-mail', url },
    });
  }
  return renderMail({
    locale: 'en',
    title: 'Confirm your email address',
    paragraphs: [
      greeting('en', to.name),
      "Thank you for creating your account on the clinic's portal. To activate it, please confirm your email address with the button below.",
      'The link is valid for 24 hours and can be used only once.',
      'If you did not create this account, you can ignore this message.',
    ],
    action: { label: 'Confirm email', url },
  });
}

/** Sign-up with an address that already has an account: say so, with links to log in and to reset. */
export function alreadyRegisteredMail(to: Recipient, loginUrl: string, resetUrl: string): RenderedMail {
  if (to.locale === 'pt') {
    return renderMail({
      locale: 'pt',
      title: 'Já tem uma conta com este endereço',
      paragraphs: [
        greeting('pt', to.name),
        'Recebemos um pedido para criar uma conta no portal da clínica com este endereço de e-mail, mas o(a) senhor(a) já tem uma conta registada.',
        'Pode entrar com a sua palavra-passe. Se não se lembrar dela, pode definir uma nova.',
        'Se não foi o(a) senhor(a) a fazer este pedido, pode ignorar esta mensagem: a sua conta não foi alterada.',
      ],
      action: { label: 'Entrar', url: loginUrl },
      links: [{ label: 'Esqueceu-se da palavra-passe?', url: resetUrl }],
    });
  }
  return renderMail({
    locale: 'en',
    title: 'You already have an account',
    paragraphs: [
      greeting('en', to.name),
      "We received a request to create an account on the clinic's portal with this email address, but you already have one.",
      'You can log in with your password. If you do not remember it, you can set a new one.',
      'If you did not make this request, you can ignore this message: your account has not changed.',
    ],
    action: { label: 'Log in', url: loginUrl },
    links: [{ label: 'Forgot your password?', url: resetUrl }],
  });
}

/** Forgotten password: set a new one (link valid 30 min, single use; ends every session). */
export function resetPasswordMail(to: Recipient, url: string): RenderedMail {
  if (to.locale === 'pt') {
    return renderMail({
      locale: 'pt',
      title: 'Definir uma nova palavra-passe',
      paragraphs: [
        greeting('pt', to.name),
        'Recebemos um pedido para redefinir a palavra-passe da sua conta. Para escolher uma nova, use o botão abaixo.',
        'A ligação é válida durante 30 minutos e só pode ser usada uma vez. Ao definir a nova palavra-passe, todas as sessões abertas serão terminadas.',
        'Se não foi o(a) senhor(a) a fazer este pedido, pode ignorar esta mensagem: a sua palavra-passe atual continua válida.',
      ],
      action: { label: 'Definir nova palavra-passe', url },
    });
  }
  return renderMail({
    locale: 'en',
    title: 'Set a new password',
    paragraphs: [
      greeting('en', to.name),
      'We received a request to reset the password of your account. To choose a new one, use the button below.',
      'The link is valid for 30 minutes and can be used only once. Setting a new password ends every open session.',
      'If you did not make this request, you can ignore this message: your current password still works.',
    ],
    action: { label: 'Set new password', url },
  });
}

/** Email change, sent to the NEW address: confirm it (link valid 24 h, single use). */
export function confirmNewEmailMail(to: Recipient, url: string): RenderedMail {
  if (to.locale === 'pt') {
    return renderMail({
      locale: 'pt',
      title: 'Confirme o seu novo endereço de e-mail',
      paragraphs: [
        greeting('pt', to.name),
        'Recebemos um pedido para passar a usar este endereço de e-mail na sua conta do portal da clínica. Para concluir a alteração, use o botão abaixo.',
        'A ligação é válida durante 24 horas e só pode ser usada uma vez.',
        'Se não foi o(a) senhor(a) a fazer este pedido, pode ignorar esta mensagem.',
      ],
      action: { label: 'Confirmar novo e-mail', url },
    });
  }
  return renderMail({
    locale: 'en',
    title: 'Confirm your new email address',
    paragraphs: [
      greeting('en', to.name),
      "We received a request to use this email address for your account on the clinic's portal. To complete the change, use the button below.",
      'The link is valid for 24 hours and can be used only once.',
      'If you did not make this request, you can ignore this message.',
    ],
    action: { label: 'Confirm new email', url },
  });
}

/** Email change, sent to the OLD address: a notice naming the new one, with a way out if it was not them. */
export function emailChangeNoticeMail(to: Recipient, newEmail: string, resetUrl: string): RenderedMail {
  if (to.locale === 'pt') {
    return renderMail({
      locale: 'pt',
      title: 'Pedido de alteração do seu e-mail',
      paragraphs: [
        greeting('pt', to.name),
        `Foi pedida a alteração do endereço de e-mail da sua conta para ${newEmail}. A alteração só terá efeito quando o novo endereço for confirmado.`,
        'Se não foi o(a) senhor(a) a fazer este pedido, recomendamos que defina já uma nova palavra-passe e contacte a clínica.',
      ],
      action: { label: 'Definir nova palavra-passe', url: resetUrl },
    });
  }
  return renderMail({
    locale: 'en',
    title: 'Request to change your email',
    paragraphs: [
      greeting('en', to.name),
      `A change of your account's email address to ${newEmail} was requested. It takes effect only once the new address is confirmed.`,
      'If you did not make this request, we recommend that you set a new password now and contact the clinic.',
    ],
    action: { label: 'Set new password', url: resetUrl },
  });
}
