/** The one-shot message of the current page (session.ts `flash`), dropped once the patient moves on. */
import { useEffect } from 'react';
import { usePortalT } from './i18n.ts';
import { useLocation } from './router.ts';
import { clearFlash, useSession } from './session.ts';
import { Alert } from './ui/alert.tsx';

/** Renders the message when it belongs to this page. */
export function FlashMessage() {
  const { t } = usePortalT();
  const { pathname } = useLocation();
  const flash = useSession((s) => s.flash);

  useEffect(() => {
    if (flash && flash.path !== pathname) clearFlash();
    // Only a change of page clears it, not the message arriving.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathname]);

  if (!flash || flash.path !== pathname) return null;
  return (
    <Alert kind={flash.kind} testId="flash">
      {t(flash.key, flash.values)}
    </Alert>
  );
}
