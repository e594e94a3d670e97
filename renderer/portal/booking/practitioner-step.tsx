/**
 * Booking step 2: with whom. "Any practitioner" first (the earliest free time of all), then each
 * practitioner of the specialty; a filter by the language they speak.
 */
import { useEffect, useState } from 'react';
import { listPractitioners } from '../api.ts';
import { useSpecialties } from '../catalog.ts';
import { shortDateTime, specialtyName } from '../format.ts';
import { errorText, usePortalT } from '../i18n.ts';
import { navigate } from '../router.ts';
import type { Clinic, Practitioner } from '../types.ts';
import { Alert } from '../ui/alert.tsx';
import { Loading } from '../ui/loading.tsx';
import { ANY, bookHref, type BookParams } from './params.ts';
import { PractitionerCard } from './practitioner-card.tsx';
import { StepHeader } from './step-header.tsx';

interface Props {
  clinic: Clinic;
  params: BookParams & { specialty: string };
  total: number;
  /** 1 when an earlier step is skipped (rescheduling keeps the specialty). */
  stepOffset?: number;
}

const FILTERS = [
  { value: null, key: 'book.allLanguages' },
  { value: 'pt', key: 'book.langPt' },
  { value: 'en', key: 'book.langEn' },
] as const;

/** Renders the language filter, the "any" choice and the practitioners. */
export function PractitionerStep({ clinic, params, total, stepOffset = 0 }: Props) {
  const { t, lang } = usePortalT();
  const specialties = useSpecialties(clinic.id);
  const [state, setState] = useState<{ key: string; list?: Practitioner[]; error?: unknown }>({ key: '' });
  const key = `${clinic.id}|${params.specialty}|${params.language ?? ''}`;
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stale = false;
    listPractitioners(clinic.id, params.specialty, params.language ?? undefined).then(
      (list) => !stale && setState({ key, list }),
      (error: unknown) => !stale && setState({ key, error }),
    );
    return () => {
      stale = true;
    };
  }, [clinic.id, params.specialty, params.language, key, attempt]);

  const choose = (practitioner: string) =>
    navigate(bookHref({ ...params, practitioner, from: null, day: null, hold: null }));
  const setLanguage = (language: string | null) =>
    navigate(bookHref({ ...params, language }), { replace: true });

  const list = state.key === key ? state.list : undefined;
  const error = state.key === key ? state.error : undefined;
  const earliest = list
    ?.map((p) => p.nextFreeAt)
    .filter((x): x is string => x !== null)
    .sort()[0];

  return (
    <div className="p-page">
      <StepHeader
        step={2 - stepOffset}
        total={total}
        title={t('book.practitionerTitle')}
        choices={[
          {
            label: t('book.specialty'),
            value: specialtyName(specialties ?? null, params.specialty, lang),
            ...(params.reschedule
              ? {}
              : { changeHref: bookHref({ clinic: params.clinic }), changeLabel: t('book.changeSpecialty') }),
          },
        ]}
      />
      <fieldset className="p-filter">
        <legend>{t('book.languageFilter')}</legend>
        <div className="p-segmented">
          {FILTERS.map((f) => (
            <label key={f.key} className="p-segmented__option">
              <input
                type="radio"
                name="language"
                checked={params.language === f.value}
                onChange={() => setLanguage(f.value)}
              />
              <span>{t(f.key)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {error !== undefined && (
        <Alert kind="error">
          {errorText(t, error)}{' '}
          <button type="button" className="p-btn p-btn--small" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </Alert>
      )}
      {!list && error === undefined && <Loading />}
      {list && (
        <ul className="p-practs" data-testid="practitioners">
          {list.length > 0 && (
            <li className="p-card p-pract p-pract--any" data-testid="practitioner-any">
              <h2 className="p-pract__name">{t('book.any')}</h2>
              <p className="p-pract__bio">{t('book.anyHint')}</p>
              {earliest && (
                <p className="p-pract__next">{t('book.nextFree', { when: shortDateTime(earliest, lang) })}</p>
              )}
              <button
                type="button"
                className="p-btn p-btn--primary p-btn--block"
                onClick={() => choose(ANY)}
                data-testid="choose-any"
              >
                {t('book.chooseAny')}
              </button>
            </li>
          )}
          {list.map((p) => (
            <PractitionerCard key={p.id} practitioner={p} onChoose={choose} />
          ))}
          {list.length === 0 && <li className="p-empty">{t('book.noPractitioners')}</li>}
        </ul>
      )}
    </div>
  );
}
