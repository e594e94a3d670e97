/** PT/EN language buttons (`lang-pt`, `lang-en`); the pressed one is the current language. */
import { useTranslation } from 'react-i18next';
import type { Lang } from '../types.ts';

interface Props {
  /** Called after the switch (e.g. to remember the choice). */
  onChange?: (lang: Lang) => void;
  className?: string;
}

export function LangSwitch({ onChange, className }: Props) {
  const { t, i18n } = useTranslation();
  const current: Lang = i18n.language === 'en' ? 'en' : 'pt';
  const choose = (lang: Lang) => {
    void i18n.changeLanguage(lang);
    onChange?.(lang);
  };
  return (
    <div className={`lang-switch ${className ?? ''}`} role="group" aria-label={t('common.language')}>
      <button
        type="button"
        data-testid="lang-pt"
        lang="pt-PT"
        aria-pressed={current === 'pt'}
        aria-label={t('common.langPtName')}
        onClick={() => choose('pt')}
      >
        {t('common.langPt')}
      </button>
      <button
        type="button"
        data-testid="lang-en"
        lang="en"
        aria-pressed={current === 'en'}
        aria-label={t('common.langEnName')}
        onClick={() => choose('en')}
      >
        {t('common.langEn')}
      </button>
    </div>
  );
}
