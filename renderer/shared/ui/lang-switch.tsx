/** PT/EN language buttons (`lang-pt`, `lang-en`); the pressed one is the current language. */
import { useTranslation } from 'react-i18next';
import type { Lang } from '../types.ts';

const LANGS = [
  { code: 'pt', htmlLang: 'pt-PT', key: 'langPt' },
  { code: 'en', htmlLang: 'en', key: 'langEn' },
] as const satisfies readonly { code: Lang; htmlLang: string; key: string }[];

interface Props {
  /** Called after the switch (e.g. to remember the choice). */
  onChange?: (lang: Lang) => void;
  className?: string;
}

/** Renders the two buttons; a click switches i18next's language, then calls `onChange`. */
export function LangSwitch({ onChange, className }: Props) {
  const { t, i18n } = useTranslation();
  const current: Lang = i18n.language === 'en' ? 'en' : 'pt';
  const choose = (lang: Lang) => {
    void i18n.changeLanguage(lang);
    onChange?.(lang);
  };
  return (
    <div className={`lang-switch ${className ?? ''}`} role="group" aria-label={t('common.language')}>
      {LANGS.map(({ code, htmlLang, key }) => (
        <button
          key={code}
          type="button"
          data-testid={`lang-${code}`}
          lang={htmlLang}
          aria-pressed={current === code}
          aria-label={t(`common.${key}Name`)}
          onClick={() => choose(code)}
        >
          {t(`common.${key}`)}
        </button>
      ))}
    </div>
  );
}
