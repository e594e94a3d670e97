/**
 * PT/EN switch: two toggle buttons in a labelled group. The choice is kept on this device and, when the
 * patient is logged in, saved as their account's language (the e-mails follow it).
 */
import { updateMe } from '../api.ts';
import { setLang, usePortalT } from '../i18n.ts';
import { setAccount, useSession } from '../session.ts';
import type { Lang } from '../types.ts';

const LANGS = [
  { code: 'pt', htmlLang: 'pt-PT', short: 'PT', name: 'Português' },
  { code: 'en', htmlLang: 'en', short: 'EN', name: 'English' },
] as const satisfies readonly { code: Lang; htmlLang: string; short: string; name: string }[];

/** Renders the two buttons; the pressed one is the current language. */
export function LangToggle() {
  const { t, lang } = usePortalT();
  const account = useSession((s) => s.account);
  const choose = (code: Lang) => {
    if (code === lang) return;
    setLang(code);
    if (account && account.locale !== code) {
      updateMe({ locale: code }).then(setAccount, () => undefined);
    }
  };
  return (
    <div className="p-lang" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l.code}
          type="button"
          lang={l.htmlLang}
          aria-pressed={lang === l.code}
          aria-label={l.name}
          data-testid={`lang-${l.code}`}
          onClick={() => choose(l.code)}
        >
          {l.short}
        </button>
      ))}
    </div>
  );
}
