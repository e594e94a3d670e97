/** "Loading…" with a spinner, announced politely to screen readers. */
import { usePortalT } from '../i18n.ts';

/** Renders the loading line (`label` overrides the generic text). */
export function Loading({ label }: { label?: string }) {
  const { t } = usePortalT();
  return (
    <p className="p-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('app.loading')}
    </p>
  );
}
