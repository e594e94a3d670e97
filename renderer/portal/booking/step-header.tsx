/**
 * The top of each booking step: "Step 2 of 4", the step's heading (focused on arrival) and the choices
 * made so far, each with a "Change" link back to its step.
 */
import type { ReactNode } from 'react';
import { usePortalT } from '../i18n.ts';
import { Link } from '../ui/link.tsx';
import { PageHeading } from '../ui/page-heading.tsx';

/** One earlier choice: its label, value and the link that changes it (none when fixed). */
export interface Choice {
  label: string;
  value: ReactNode;
  changeHref?: string;
  changeLabel?: string;
}

interface Props {
  step: number;
  total: number;
  title: string;
  choices?: Choice[];
  children?: ReactNode;
}

/** Renders the step counter, heading and choices. */
export function StepHeader({ step, total, title, choices = [], children }: Props) {
  const { t } = usePortalT();
  return (
    <div className="p-step-header">
      <p className="p-step-header__count">{t('book.stepOf', { step, total })}</p>
      <PageHeading>{title}</PageHeading>
      {children}
      {choices.length > 0 && (
        <dl className="p-choices" data-testid="choices">
          {choices.map((c) => (
            <div key={c.label} className="p-choices__item">
              <dt>{c.label}</dt>
              <dd>
                <span>{c.value}</span>
                {c.changeHref && (
                  <Link href={c.changeHref} className="p-link-button" aria-label={c.changeLabel}>
                    {t('book.change')}
                  </Link>
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
