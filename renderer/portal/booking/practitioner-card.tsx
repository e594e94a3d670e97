/**
 * A practitioner to choose: photo, name, short bio in the UI language, languages spoken and the next
 * free time, with one large "Choose" button naming them.
 */
import { shortDateTime } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import type { Practitioner } from '../types.ts';

const LANGUAGE_NAMES: Record<string, { pt: string; en: string }> = {
  pt: { pt: 'Português', en: 'Portuguese' },
  en: { pt: 'Inglês', en: 'English' },
  es: { pt: 'Espanhol', en: 'Spanish' },
  fr: { pt: 'Francês', en: 'French' },
  de: { pt: 'Alemão', en: 'German' },
  it: { pt: 'Italiano', en: 'Italian' },
};

interface Props {
  practitioner: Practitioner;
  onChoose: (id: string) => void;
}

/** Renders the card as a list item. */
export function PractitionerCard({ practitioner: p, onChoose }: Props) {
  const { t, lang } = usePortalT();
  const languages = p.languages.map((l) => LANGUAGE_NAMES[l]?.[lang] ?? l.toUpperCase()).join(', ');
  return (
    <li className="p-card p-pract" data-testid="practitioner-option" data-id={p.id}>
      <div className="p-pract__head">
        {p.photoUrl ? (
          <img className="p-pract__photo" src={p.photoUrl} alt={p.displayName} width={72} height={72} />
        ) : (
          <span className="p-pract__photo p-pract__photo--initials" aria-hidden="true">
            {p.displayName
              .split(/\s+/)
              .slice(0, 2)
              .map((w) => w[0])
              .join('')}
          </span>
        )}
        <div>
          <h2 className="p-pract__name">{p.displayName}</h2>
          <p className="p-pract__langs">{t('book.speaks', { languages })}</p>
        </div>
      </div>
      <p className="p-pract__bio">{lang === 'en' ? p.bioEn : p.bioPt}</p>
      <p className="p-pract__next">
        {p.nextFreeAt
          ? t('book.nextFree', { when: shortDateTime(p.nextFreeAt, lang) })
          : t('book.noNextFree')}
      </p>
      <button
        type="button"
        className="p-btn p-btn--primary p-btn--block"
        onClick={() => onChoose(p.id)}
        aria-label={t('book.chooseAria', { name: p.displayName })}
        data-testid="choose-practitioner"
      >
        {t('book.choose')}
      </button>
    </li>
  );
}
