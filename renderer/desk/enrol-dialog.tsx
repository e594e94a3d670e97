/**
 * Face enrolment for one patient, in a modal <dialog> (focus trap, Esc closes). Shows the full consent
 * text of FACE_CONSENT_VERSION (server/domain/consent.ts: what is stored, purpose, retention, how to
 * withdraw, legal basis) with its version, requires an explicit consent tick, takes 3–5 pictures (the
 * templates the kiosk compares with) from the desk camera and/or image files, each checked by the server
 * as it is added (`POST /api/face/check`: one face, size, sharpness, light, pose —
 * domain/face-quality.ts) so a poor one is retaken at once, and can delete an existing enrolment.
 */
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { FACE_CONSENT_VERSION } from '../../server/domain/consent.ts';
import { ApiError, api, isUnauthorized, unwrap } from '../shared/api.ts';
import { formatShortDate } from '../shared/format.ts';
import { errorKey } from '../shared/i18n.ts';
import type { EnrolmentStatus } from '../shared/types.ts';
import { useCamera } from '../shared/use-camera.ts';
import { captureVideo, fileToDataUrl } from './images.ts';
import { useDesk, type EnrolTarget } from './store.ts';

/** The server's limit of photos per enrolment. */
const MAX_IMAGES = 5;
/** Photos the desk asks for: several templates make the kiosk's match robust to pose and light. */
const MIN_IMAGES = 3;

interface Outcome {
  tone: 'info' | 'error';
  text: (t: TFunction) => string;
}

/** An error as text, naming the photo when the server says which one failed. */
function failure(err: unknown): Outcome {
  const index = err instanceof ApiError ? err.details?.imageIndex : undefined;
  return {
    tone: 'error',
    text: (t) =>
      typeof index === 'number'
        ? t('desk.enrol.photoError', { n: index + 1, error: t(errorKey(err)) })
        : t(errorKey(err)),
  };
}

/**
 * The enrolment dialog for the store's `enrol` target, or nothing when none is open. Keyed by patient id,
 * so opening it for another patient starts from a clean state (no photos, no consent).
 */
export function EnrolDialog() {
  const target = useDesk((s) => s.enrol);
  return target ? <EnrolDialogBody key={target.id} target={target} /> : null;
}

function EnrolDialogBody({ target }: { target: EnrolTarget }) {
  const { t } = useTranslation();
  const id = useId();
  const closeEnrol = useDesk((s) => s.closeEnrol);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<EnrolmentStatus | null>(null);
  const [consent, setConsent] = useState(false);
  const [images, setImages] = useState<string[]>([]);
  // The latest list, for checks that finish one after another between renders; changed only with it.
  const imagesRef = useRef<string[]>([]);
  const replaceImages = (list: string[]) => {
    imagesRef.current = list;
    setImages(list);
  };
  const [cameraOn, setCameraOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const camera = useCamera(cameraOn);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    unwrap(api.api.patients[':id'].face.$get({ param: { id: target.id } })).then(
      (s) => !cancelled && setStatus(s),
      (err: unknown) => {
        if (cancelled) return;
        if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
        else setOutcome(failure(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [target.id]);

  useEffect(() => {
    const video = videoRef.current;
    if (video && video.srcObject !== camera.stream) video.srcObject = camera.stream;
  }, [camera.stream]);

  const room = MAX_IMAGES - images.length;

  /** Keeps `picture` when the server accepts it as a template, else says why (nothing is stored). */
  const check = async (picture: string): Promise<boolean> => {
    setOutcome({ tone: 'info', text: (tr) => tr('desk.enrol.checking') });
    try {
      const result = await unwrap(api.api.face.check.$post({ json: { image: picture } }));
      if (result.ok) {
        const n = imagesRef.current.length + 1;
        if (n > MAX_IMAGES) return false;
        replaceImages([...imagesRef.current, picture]);
        setOutcome({ tone: 'info', text: (tr) => tr('desk.enrol.accepted', { n }) });
        return true;
      }
      const problem = result.problem ?? 'no_face';
      setOutcome({
        tone: 'error',
        text: (tr) => tr('desk.enrol.rejected', { error: tr(errorKey(problem)) }),
      });
    } catch (err) {
      if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
      setOutcome(failure(err));
    }
    return false;
  };

  const capture = async () => {
    const video = videoRef.current;
    const picture = video ? captureVideo(video) : null;
    if (!picture || room <= 0) return;
    setBusy(true);
    await check(picture);
    setBusy(false);
  };

  const addFiles = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []).slice(0, room);
    e.target.value = ''; // choosing the same file again fires change again
    setBusy(true);
    for (const file of files) {
      try {
        if (!(await check(await fileToDataUrl(file)))) break; // show the first refusal
      } catch (err) {
        setOutcome(failure(err));
        break;
      }
    }
    setBusy(false);
  };

  const save = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const saved = await unwrap(
        api.api.patients[':id'].face.$post({ param: { id: target.id }, json: { consent: true, images } }),
      );
      setStatus(saved);
      replaceImages([]);
      setCameraOn(false);
      setConsent(false); // a new enrolment asks for consent again
      setOutcome({ tone: 'info', text: (tr) => tr('desk.enrol.saved', { count: saved.sampleCount }) });
    } catch (err) {
      if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
      setOutcome(failure(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(t('desk.enrol.confirmDelete', { name: target.fullName }))) return;
    setBusy(true);
    setOutcome(null);
    try {
      await unwrap(api.api.patients[':id'].face.$delete({ param: { id: target.id } }));
      // The consent history gained a 'withdrawn' event: read it back rather than guess it.
      setStatus(await unwrap(api.api.patients[':id'].face.$get({ param: { id: target.id } })));
      setOutcome({ tone: 'info', text: (tr) => tr('desk.enrol.deleted') });
    } catch (err) {
      setOutcome(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog enrol"
      data-testid="enrol-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      onClose={closeEnrol}
    >
      <header className="dialog__head">
        <div>
          <h2 id={`${id}-title`}>{t('desk.enrol.title')}</h2>
          <p className="muted">{t('desk.enrol.patient', { name: target.fullName })}</p>
        </div>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          data-testid="enrol-close"
          aria-label={t('desk.enrol.close')}
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </header>

      <div className="dialog__body">
        <p className="enrol__current" data-testid="enrol-current">
          {status === null
            ? t('desk.enrol.statusLoading')
            : status.enrolled
              ? t('desk.enrol.statusEnrolled', {
                  count: status.sampleCount,
                  date: status.consentAt ? formatShortDate(status.consentAt) : '—',
                })
              : t('desk.enrol.statusNone')}
        </p>

        <section
          className="enrol__explain"
          data-testid="enrol-consent-text"
          data-version={FACE_CONSENT_VERSION}
          aria-labelledby={`${id}-consent-title`}
        >
          <h3 id={`${id}-consent-title`} className="enrol__consent-title">
            {t('desk.enrol.consentTitle')}
          </h3>
          <div id={`${id}-what`} className="enrol__consent-text">
            <p>{t('desk.enrol.explainWhat')}</p>
            <p>{t('desk.enrol.explainWhy')}</p>
            <p>{t('desk.enrol.retention')}</p>
            <p>{t('desk.enrol.withdraw')}</p>
            <p>{t('desk.enrol.legalBasis')}</p>
          </div>
          <p className="muted enrol__consent-version">
            {t('desk.enrol.consentVersion', { version: FACE_CONSENT_VERSION })}
          </p>
        </section>

        <label className="check check--strong">
          <input
            type="checkbox"
            data-testid="enrol-consent"
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
          />
          <span>{t('desk.enrol.consent')}</span>
        </label>

        <p className="enrol__guide">{t('desk.enrol.guide', { min: MIN_IMAGES, max: MAX_IMAGES })}</p>

        <div className="enrol__sources">
          <button
            type="button"
            className="btn"
            data-testid="enrol-camera"
            aria-pressed={cameraOn}
            onClick={() => setCameraOn((on) => !on)}
          >
            {cameraOn ? t('desk.enrol.cameraOff') : t('desk.enrol.camera')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            data-testid="enrol-capture"
            disabled={!camera.stream || room <= 0 || busy}
            onClick={() => void capture()}
          >
            {t('desk.enrol.capture')}
          </button>
          <label className="btn file-btn">
            {t('desk.enrol.files')}
            <input
              ref={fileRef}
              type="file"
              accept="image/*"
              multiple
              data-testid="enrol-file"
              className="visually-hidden"
              disabled={room <= 0 || busy}
              onChange={(e) => void addFiles(e)}
            />
          </label>
        </div>

        {cameraOn && (
          <div className="enrol__camera">
            {camera.error ? (
              <p className="alert alert--error">{t('desk.enrol.cameraError')}</p>
            ) : (
              <video
                ref={videoRef}
                className="enrol__video"
                data-testid="enrol-video"
                autoPlay
                muted
                playsInline
                aria-label={t('desk.enrol.videoLabel')}
              />
            )}
          </div>
        )}

        <div className="enrol__photos">
          <h3>{t('desk.enrol.photos', { count: images.length, max: MAX_IMAGES })}</h3>
          {images.length < MIN_IMAGES && (
            <p className="muted" data-testid="enrol-need-more">
              {images.length === 0 && `${t('desk.enrol.noPhotos')} `}
              {t('desk.enrol.needMore', { count: MIN_IMAGES - images.length })}
            </p>
          )}
          {images.length > 0 && (
            <ul className="thumbs">
              {images.map((src, i) => (
                <li key={src.slice(-32) + i} className="thumb">
                  <img src={src} alt={t('desk.enrol.photoAlt', { n: i + 1 })} />
                  <button
                    type="button"
                    className="thumb__remove"
                    data-testid="enrol-remove"
                    aria-label={t('desk.enrol.remove', { n: i + 1 })}
                    onClick={() => replaceImages(images.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div
          className={`enrol__status ${outcome ? `alert alert--${outcome.tone}` : ''}`}
          data-testid="enrol-status"
          data-tone={outcome?.tone}
          role="status"
          aria-live="polite"
        >
          {busy ? (
            <>
              <span className="spinner" aria-hidden="true" /> {t('desk.enrol.saving')}
            </>
          ) : (
            outcome?.text(t)
          )}
        </div>
      </div>

      <footer className="dialog__foot">
        {status?.enrolled && (
          <button
            type="button"
            className="btn btn--danger"
            data-testid="enrol-delete"
            disabled={busy}
            onClick={() => void remove()}
          >
            {t('desk.enrol.delete')}
          </button>
        )}
        <span className="dialog__spacer" />
        <button type="button" className="btn" onClick={() => dialogRef.current?.close()}>
          {t('desk.enrol.close')}
        </button>
        <button
          type="button"
          className="btn btn--primary"
          data-testid="enrol-save"
          disabled={!consent || images.length < MIN_IMAGES || busy}
          onClick={() => void save()}
        >
          {t('desk.enrol.save')}
        </button>
      </footer>
    </dialog>
  );
}
