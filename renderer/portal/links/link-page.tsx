/**
 * `/link/<token>`: a clinic's invitation to link the patient's portal account to the clinic's record of
 * them (issue 9, same-patient merge; docs/sync.md "Same-patient merge"). It names the inviting clinic
 * (`GET /api/patient-links/{token}`); an anonymous visitor is asked to log in (and comes back here) or to
 * sign up; a logged-in patient confirms with "Associar a minha conta à ficha da Clínica X"
 * (`POST /api/patient-links/{token}/accept`). A used, expired or unknown link says so and what to do.
 */
import { useEffect, useState } from 'react';
import type { PatientLinkInfoDto } from '../../../server/domain/patient-links.ts';
import { longDate } from '../format.ts';
import { usePortalT } from '../i18n.ts';
import { useSession } from '../session.ts';
import { Alert } from '../ui/alert.tsx';
import { Link } from '../ui/link.tsx';
import { Loading } from '../ui/loading.tsx';
import { PageHeading } from '../ui/page-heading.tsx';
import { acceptLink, linkInfo } from './link-api.ts';
import { linkErrorText, linkText } from './link-strings.ts';

/** Renders the page of invitation `token`. */
export function LinkPage({ token }: { token: string }) {
  const { lang } = usePortalT();
  const status = useSession((s) => s.status);
  const [info, setInfo] = useState<PatientLinkInfoDto | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    linkInfo(token).then(
      (i) => {
        if (!cancelled) setInfo(i);
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [token]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const linked = await acceptLink(token);
      setDone(linked.clinicName);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const here = `/link/${encodeURIComponent(token)}`;
  const title = linkText(lang, 'title');
  if (done)
    return (
      <div className="p-page p-page--narrow" data-testid="link-page">
        <PageHeading>{title}</PageHeading>
        <Alert kind="info" testId="link-done">
          {linkText(lang, 'done', { clinic: done })}
        </Alert>
        <Link href="/appointments" className="p-btn p-btn--primary">
          {linkText(lang, 'toAppointments')}
        </Link>
      </div>
    );
  if (loadError)
    return (
      <div className="p-page p-page--narrow" data-testid="link-page">
        <PageHeading>{title}</PageHeading>
        <Alert kind="error" testId="link-error">
          {linkErrorText(lang, loadError)}
        </Alert>
      </div>
    );
  if (!info || status === 'loading') return <Loading label={linkText(lang, 'loading')} />;
  return (
    <div className="p-page p-page--narrow" data-testid="link-page">
      <PageHeading>{title}</PageHeading>
      <p className="p-lead">{linkText(lang, 'intro', { clinic: info.clinicName })}</p>
      <p>{linkText(lang, 'validUntil', { date: longDate(info.expiresAt, lang) })}</p>
      {error !== null && (
        <Alert kind="error" testId="link-error">
          {linkErrorText(lang, error)}
        </Alert>
      )}
      {status === 'authenticated' ? (
        <>
          <p>{linkText(lang, 'confirmHint')}</p>
          <button
            type="button"
            className="p-btn p-btn--primary"
            data-testid="link-confirm"
            disabled={busy}
            onClick={() => void confirm()}
          >
            {linkText(lang, 'confirm', { clinic: info.clinicName })}
          </button>
        </>
      ) : (
        <>
          <p>{linkText(lang, 'loginFirst')}</p>
          <p>
            <Link href={`/login?next=${encodeURIComponent(here)}`} className="p-btn p-btn--primary">
              {linkText(lang, 'login')}
            </Link>{' '}
            <Link href="/signup" className="p-btn">
              {linkText(lang, 'signup')}
            </Link>
          </p>
          <p className="p-hint">{linkText(lang, 'signupHint')}</p>
        </>
      )}
    </div>
  );
}
