/** Booking step 1: what for (specialty, with its duration and price). */
import { useSpecialties, loadSpecialties } from '../catalog.ts';
import { money } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import { navigate } from '../router.ts';
import type { Clinic } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { bookHref, type BookParams } from './params.ts';
import { StepHeader } from './step-header.tsx';

/** Renders one large button per specialty; a tap goes to the practitioner step. */
export function SpecialtyStep({
  clinic,
  params,
  total,
}: {
  clinic: Clinic;
  params: BookParams;
  total: number;
}) {
  const { t, lang } = usePortalT();
  const specialties = useSpecialties(clinic.id);
  return (
    <div className="p-page">
      <StepHeader step={1} total={total} title={t('book.specialtyTitle')} />
      {specialties === undefined && <Loading />}
      {specialties === null && (
        <Alert kind="error">
          {t('errors.network')}{' '}
          <button
            type="button"
            className="p-btn p-btn--small"
            onClick={() => void loadSpecialties(clinic.id)}
          >
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {specialties && (
        <ul className="p-options" data-testid="specialties">
          {specialties.map((s) => (
            <li key={s.code}>
              <button
                type="button"
                className="p-option"
                data-testid="specialty-option"
                data-code={s.code}
                onClick={() => navigate(bookHref({ ...params, specialty: s.code, practitioner: null }))}
              >
                <span className="p-option__title">{lang === 'en' ? s.nameEn : s.namePt}</span>
                <span className="p-option__meta">
                  {t('book.duration', { min: s.durationMin })} · {money(s.priceCents, lang)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
