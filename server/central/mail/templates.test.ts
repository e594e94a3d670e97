/** Small tests of the email templates: both languages, escaping, the link in HTML and text, safe links. */
import { describe, expect, it } from 'vitest';
import {
  alreadyRegisteredMail,
  confirmNewEmailMail,
  emailChangeNoticeMail,
  greeting,
  renderMail,
  resetPasswordMail,
  verifyEmailMail,
} from './templates.ts';

const URL_ = 'https://portal.example.pt/verify-email?token=abc_DEF-123';

describe('mail templates', () => {
  it('renders every account message in PT-PT and English with the link in HTML and text', () => {
    const makers = [
      (l: 'pt' | 'en') => verifyEmailMail({ locale: l, name: 'Ana' }, URL_),
      (l: 'pt' | 'en') =>
        alreadyRegisteredMail({ locale: l, name: 'Ana' }, URL_, 'https://p.pt/forgot-password'),
      (l: 'pt' | 'en') => resetPasswordMail({ locale: l, name: 'Ana' }, URL_),
      (l: 'pt' | 'en') => confirmNewEmailMail({ locale: l, name: 'Ana' }, URL_),
      (l: 'pt' | 'en') => emailChangeNoticeMail({ locale: l, name: 'Ana' }, 'novo@example.pt', URL_),
    ];
    for (const make of makers) {
      const pt = make('pt');
      const en = make('en');
      expect(pt.html).toContain('<html lang="pt-PT">');
      expect(en.html).toContain('<html lang="en">');
      expect(pt.text).toContain('Olá Ana,');
      expect(en.text).toContain('Hello Ana,');
      for (const m of [pt, en]) {
        expect(m.html).toContain(`href="${URL_}"`);
        expect(m.text).toContain(URL_);
        expect(m.html).toContain(`<title>${m.subject}</title>`);
      }
      expect(pt.subject).not.toBe(en.subject);
    }
    expect(resetPasswordMail({ locale: 'pt', name: null }, URL_).text).toContain('o(a) senhor(a)');
    expect(greeting('pt', null)).toBe('Caro(a) utente,');
    expect(greeting('en', '  ')).toBe('Dear patient,');
  });

  it('escapes names and paragraphs, and refuses non-http links', () => {
    const m = verifyEmailMail({ locale: 'en', name: '<script>alert("x")</script> & Co' }, URL_);
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(m.text).toContain('<script>alert("x")</script> & Co');
    const withAmp = renderMail({
      locale: 'en',
      title: 'Booked',
      paragraphs: ['See you soon.'],
      action: { label: 'Open', url: 'https://x.pt/a?b=1&c=2' },
    });
    expect(withAmp.html).toContain('href="https://x.pt/a?b=1&amp;c=2"');
    expect(withAmp.text).toBe(
      'Booked\n\nSee you soon.\n\nOpen: https://x.pt/a?b=1&c=2\n\n—\n' +
        "Automatic message from the clinic's portal. Please do not reply to this email.\n",
    );
    expect(() =>
      renderMail({
        locale: 'pt',
        title: 't',
        paragraphs: [],
        action: { label: 'x', url: 'javascript:alert(1)' },
      }),
    ).toThrow(/http/);
  });
});
