/** "Your data": download everything we hold about the patient as a JSON file (RGPD art. 15 and 20). */
import { EXPORT_URL } from '../api.ts';
import { usePortalT } from '../i18n.ts';

/** Renders the explanation and the download link. */
export function DataSection() {
  const { t } = usePortalT();
  return (
    <section className="p-card" aria-labelledby="account-data">
      <h2 id="account-data">{t('account.dataTitle')}</h2>
      <p>{t('account.dataIntro')}</p>
      <a className="p-btn" href={EXPORT_URL} download="os-meus-dados.json" data-testid="export-data">
        {t('account.download')}
      </a>
    </section>
  );
}
