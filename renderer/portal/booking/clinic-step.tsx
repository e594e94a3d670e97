/** Booking step 0, only when the catalogue has several clinics: which clinic. */
import { usePortalT } from '../i18n.ts';
import { navigate } from '../router.ts';
import type { Clinic } from '../types.ts';
import { PageHeading } from '../ui/page-heading.tsx';
import { bookHref, type BookParams } from './params.ts';

/** Renders one button per clinic. */
export function ClinicStep({ clinics, params }: { clinics: Clinic[]; params: BookParams }) {
  const { t } = usePortalT();
  return (
    <div className="p-page">
      <PageHeading>{t('book.clinicTitle')}</PageHeading>
      <ul className="p-options">
        {clinics.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="p-option"
              data-testid="clinic-option"
              onClick={() => navigate(bookHref({ ...params, clinic: c.id }))}
            >
              <span className="p-option__title">{c.name}</span>
              <span className="p-option__meta">{c.address}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
