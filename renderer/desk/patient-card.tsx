/**
 * The patient card (issue 10 part 5), a modal <dialog> over any desk view: details (name, phone, NIF,
 * date of birth, e-mail), face consent (enrolled or not, which consent text version and when), the
 * history of appointments and desk payments, from `GET /api/patients/:id` (each opening is audited by the
 * server as `patient.view`). Buttons: book (opens the calendar with the patient chosen), face enrolment
 * (the enrolment dialog) and withdraw consent (`DELETE /api/patients/:id/face`: the descriptors are
 * erased at once). Opened through `openPatientCard(id)` from anywhere on the desk.
 *
 * Same-patient merge (issue 9): "possible same person" suggestions (`GET /api/patients/:id/same-person`:
 * exact NIF, e-mail or phone, never a name), each with "merge records" behind a confirmation dialog
 * (`POST /api/patients/:id/merge`; the older record stays, and the card reopens as it), and "send an
 * invitation to the patient area" for a patient without a portal account (`POST …/portal-invite`).
 * Their text is in merge-strings.ts.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { InferResponseType } from 'hono/client';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { formatEuros } from '../../server/domain/money.ts';
import { api, isUnauthorized, unwrap } from '../shared/api.ts';
import { formatShortDate, formatTime } from '../shared/format.ts';
import { currentLang, errorKey, type ErrorKey } from '../shared/i18n.ts';
import { specialtyName } from './actions.ts';
import { DESK_ROUTE_HASH } from './use-desk-route.ts';
import { useDesk } from './store.ts';
import { useMergeText } from './merge-strings.ts';

/** The card as the API answers it (server/clinic/features/patients/card.ts PatientCard). */
export type PatientCardData = InferResponseType<(typeof api.api.patients)[':id']['$get'], 200>;

/** A "possible same person" suggestion (server/clinic/features/patients/same-person.ts). */
export type SamePersonData = InferResponseType<
  (typeof api.api.patients)[':id']['same-person']['$get'],
  200
>[number];

/** A patient the calendar should book for (chosen on a card or in the calendar's search). */
export interface BookingPatient {
  id: string;
  fullName: string;
}

interface PatientCardState {
  /** The patient whose card is open, or null. */
  patientId: string | null;
  /** Set by the card's "book" button; the calendar takes it as its chosen patient. */
  bookingPatient: BookingPatient | null;
  /** A message the card shows when it opens (e.g. after a merge reopened it as the survivor). */
  flash: string | null;
  open(id: string, flash?: string | null): void;
  close(): void;
  bookFor(p: BookingPatient | null): void;
}

/** Which card is open and whom the calendar books for (kept apart from the board's store). */
export const usePatientCard = create<PatientCardState>((set) => ({
  patientId: null,
  bookingPatient: null,
  flash: null,
  open: (patientId, flash = null) => set({ patientId, flash }),
  close: () => set({ patientId: null }),
  bookFor: (bookingPatient) => set({ bookingPatient }),
}));

/** Opens the card of `patientId` (a board row's name, a search result, a calendar appointment). */
export const openPatientCard = (patientId: string): void => usePatientCard.getState().open(patientId);

/** 'YYYY-MM-DD' (a date, no zone) as 'DD/MM/YYYY'. */
function ptDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** The card of the open patient, or nothing. Keyed by patient, so each opening starts clean. */
export function PatientCardDialog() {
  const patientId = usePatientCard((s) => s.patientId);
  return patientId ? <PatientCardBody key={patientId} patientId={patientId} /> : null;
}

function PatientCardBody({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const close = usePatientCard((s) => s.close);
  const [card, setCard] = useState<PatientCardData | null>(null);
  const [error, setError] = useState<ErrorKey | null>(null);
  const [notice, setNotice] = useState<string | null>(() => usePatientCard.getState().flash);
  const [busy, setBusy] = useState(false);
  const { mx, errorText, lang: mergeLang } = useMergeText();
  const [suggestions, setSuggestions] = useState<SamePersonData[]>([]);
  const [confirming, setConfirming] = useState<SamePersonData | null>(null);
  const [mergeError, setMergeError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDialogElement>(null);

  // Bumped to read the card again after a change made here.
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    let cancelled = false;
    unwrap(api.api.patients[':id'].$get({ param: { id: patientId } })).then(
      (c) => {
        if (cancelled) return;
        setCard(c);
        setError(null);
      },
      (err: unknown) => {
        if (cancelled) return;
        if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
        else setError(errorKey(err));
      },
    );
    unwrap(api.api.patients[':id']['same-person'].$get({ param: { id: patientId } })).then(
      (list) => {
        if (!cancelled) setSuggestions(list);
      },
      () => {
        if (!cancelled) setSuggestions([]);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [patientId, reloads]);

  useEffect(() => {
    const dialog = confirmRef.current;
    if (confirming && dialog && !dialog.open) dialog.showModal();
  }, [confirming]);

  const merge = async (other: SamePersonData) => {
    if (!card) return;
    setBusy(true);
    setMergeError(null);
    try {
      const survivor = await unwrap(
        api.api.patients[':id'].merge.$post({
          param: { id: patientId },
          json: { otherId: other.id, expectedVersion: card.patient.version },
        }),
      );
      confirmRef.current?.close();
      setConfirming(null);
      if (survivor.patient.id !== patientId)
        usePatientCard.getState().open(survivor.patient.id, mx('merged'));
      else {
        setNotice(mx('merged'));
        setReloads((n) => n + 1);
      }
    } catch (err) {
      if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
      confirmRef.current?.close();
      setConfirming(null);
      setMergeError(errorText(err));
      setReloads((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const invite = async () => {
    setBusy(true);
    setMergeError(null);
    try {
      const answer = await unwrap(
        api.api.patients[':id']['portal-invite'].$post({
          param: { id: patientId },
          json: { locale: mergeLang },
        }),
      );
      const channels = [
        answer.sent.email ? mx('channelEmail') : null,
        answer.sent.sms ? mx('channelSms') : null,
      ].filter((c): c is string => c !== null);
      setNotice(
        channels.length > 0
          ? mx('invited', { channels: channels.join(', '), date: formatShortDate(answer.expiresAt) })
          : mx('invitedNone'),
      );
    } catch (err) {
      if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
      setMergeError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const book = () => {
    if (!card) return;
    usePatientCard.getState().bookFor({ id: card.patient.id, fullName: card.patient.fullName });
    dialogRef.current?.close();
    location.hash = DESK_ROUTE_HASH.calendar;
  };

  const enrol = () => {
    if (!card) return;
    dialogRef.current?.close();
    useDesk.getState().openEnrol({ id: card.patient.id, fullName: card.patient.fullName });
  };

  const withdraw = async () => {
    if (!card || !window.confirm(t('desk.card.confirmWithdraw', { name: card.patient.fullName }))) return;
    setBusy(true);
    try {
      await unwrap(api.api.patients[':id'].face.$delete({ param: { id: patientId } }));
      setNotice(t('desk.card.withdrawn'));
      setReloads((n) => n + 1);
    } catch (err) {
      setError(errorKey(err));
    } finally {
      setBusy(false);
    }
  };

  const lang = currentLang();
  const p = card?.patient;
  const face = card?.face;

  return (
    <dialog
      ref={dialogRef}
      className="dialog patient-card"
      data-testid="patient-card"
      aria-labelledby={`${id}-title`}
      onClose={close}
    >
      <header className="dialog__head">
        <div>
          <h2 id={`${id}-title`}>{p ? p.fullName : t('desk.card.title')}</h2>
          <p className="muted">{t('desk.card.title')}</p>
        </div>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          data-testid="card-close"
          aria-label={t('common.close')}
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </header>

      <div className="dialog__body">
        {error && (
          <p className="alert alert--error" role="alert">
            {t(error)}
          </p>
        )}
        {notice && (
          <p className="alert alert--info" role="status" data-testid="card-notice">
            {notice}
          </p>
        )}
        {mergeError && (
          <p className="alert alert--error" role="alert" data-testid="card-merge-error">
            {mergeError}
          </p>
        )}
        {!card && !error && (
          <p className="empty" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> {t('common.loading')}
          </p>
        )}
        {p && face && card && (
          <>
            <section aria-labelledby={`${id}-details`}>
              <h3 id={`${id}-details`} className="patient-card__h">
                {t('desk.card.details')}
              </h3>
              <dl className="patient-card__details" data-testid="card-details">
                <dt>{t('desk.card.phone')}</dt>
                <dd>{p.phone ?? t('common.none')}</dd>
                <dt>{t('desk.card.nif')}</dt>
                <dd>{p.nif ?? t('common.none')}</dd>
                <dt>{t('desk.card.birthDate')}</dt>
                <dd>{p.birthDate ? ptDate(p.birthDate) : t('common.none')}</dd>
                <dt>{t('desk.card.email')}</dt>
                <dd>{p.email ?? t('common.none')}</dd>
              </dl>
              {card.portalAccount ? (
                <p className="muted" data-testid="card-portal">
                  {mx('portalLinked')}
                </p>
              ) : (
                (p.email || p.phone) && (
                  <p>
                    <button
                      type="button"
                      className="btn"
                      data-testid="card-invite"
                      disabled={busy}
                      title={mx('inviteHint')}
                      onClick={() => void invite()}
                    >
                      {mx('invite')}
                    </button>
                  </p>
                )
              )}
            </section>

            {suggestions.length > 0 && (
              <section aria-labelledby={`${id}-same`} data-testid="card-same-person">
                <h3 id={`${id}-same`} className="patient-card__h">
                  {mx('sameTitle')}
                </h3>
                <p className="muted">{mx('sameIntro')}</p>
                <ul className="patient-card__same">
                  {suggestions.map((s) => (
                    <li key={s.id} data-testid="same-person-item">
                      <strong>{s.fullName || t('common.none')}</strong>{' '}
                      <span className="muted">
                        {mx('matchedOn', { fields: s.matchedOn.map((f) => mx(f)).join(', ') })}
                        {s.portalAccount ? ` · ${mx('portal')}` : ''}
                        {' · '}
                        {mx('created', { date: formatShortDate(s.createdAt) })}
                      </span>{' '}
                      <button
                        type="button"
                        className="btn btn--small"
                        data-testid="same-person-merge"
                        disabled={busy}
                        onClick={() => setConfirming(s)}
                      >
                        {mx('merge')}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            )}

            <section aria-labelledby={`${id}-face`}>
              <h3 id={`${id}-face`} className="patient-card__h">
                {t('desk.card.face')}
              </h3>
              <p data-testid="card-face" data-enrolled={face.enrolled}>
                {face.enrolled
                  ? t('desk.card.faceEnrolled', {
                      date: face.consentAt ? formatShortDate(face.consentAt) : t('common.none'),
                      version: face.consentVersion ?? t('common.none'),
                    })
                  : face.history.length > 0
                    ? t('desk.card.faceWithdrawn', {
                        date: formatShortDate(face.history[face.history.length - 1]!.at),
                      })
                    : t('desk.card.faceNone')}
              </p>
              {face.enrolled && face.consentVersion !== face.currentVersion && (
                <p className="muted">{t('desk.card.faceOldVersion', { version: face.currentVersion })}</p>
              )}
            </section>

            <section aria-labelledby={`${id}-appts`}>
              <h3 id={`${id}-appts`} className="patient-card__h">
                {t('desk.card.appointments')}
              </h3>
              {card.appointments.length === 0 ? (
                <p className="muted">{t('desk.card.noAppointments')}</p>
              ) : (
                <div className="patient-card__scroll">
                  <table className="patient-card__table" data-testid="card-appointments">
                    <thead>
                      <tr>
                        <th scope="col">{t('desk.card.when')}</th>
                        <th scope="col">{t('desk.table.practitioner')}</th>
                        <th scope="col">{t('desk.table.specialty')}</th>
                        <th scope="col">{t('desk.table.status')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {card.appointments.map((a) => (
                        <tr key={a.id} data-status={a.status}>
                          <td>
                            {formatShortDate(a.startsAt)} {formatTime(a.startsAt)}
                          </td>
                          <td>{a.practitioner.displayName}</td>
                          <td>{specialtyName(a.specialty)}</td>
                          <td>
                            <span className={`badge badge--${a.status}`}>{t(`status.${a.status}`)}</span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>

            <section aria-labelledby={`${id}-pay`}>
              <h3 id={`${id}-pay`} className="patient-card__h">
                {t('desk.card.payments')}
              </h3>
              {card.payments.length === 0 ? (
                <p className="muted">{t('desk.card.noPayments')}</p>
              ) : (
                <table className="patient-card__table" data-testid="card-payments">
                  <thead>
                    <tr>
                      <th scope="col">{t('desk.card.when')}</th>
                      <th scope="col">{t('desk.payment.receipt')}</th>
                      <th scope="col">{t('desk.payment.amountPaid')}</th>
                      <th scope="col">{t('desk.payment.methodPaid')}</th>
                      <th scope="col">{t('desk.table.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {card.payments.map((x) => (
                      <tr key={x.id}>
                        <td>{formatShortDate(x.at)}</td>
                        <td>{x.receipt}</td>
                        <td>{formatEuros(x.amountCents, lang)}</td>
                        <td>{x.method === 'cash' ? t('desk.payment.cash') : t('desk.payment.card')}</td>
                        <td>{x.status === 'paid' ? t('desk.payment.paid') : t('desk.card.voided')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </>
        )}
      </div>

      {confirming && p && (
        <dialog
          ref={confirmRef}
          className="dialog"
          data-testid="merge-confirm"
          aria-labelledby={`${id}-merge-title`}
          onClose={() => setConfirming(null)}
        >
          <header className="dialog__head">
            <h2 id={`${id}-merge-title`}>{mx('confirmTitle')}</h2>
          </header>
          <div className="dialog__body">
            <p>
              {confirming.createdAt < (card?.createdAt ?? '')
                ? mx('confirmBody', { survivor: confirming.fullName, other: p.fullName })
                : mx('confirmBody', { survivor: p.fullName, other: confirming.fullName })}
            </p>
            <p className="muted">{mx('confirmFace')}</p>
          </div>
          <footer className="dialog__foot">
            <span className="dialog__spacer" />
            <button
              type="button"
              className="btn"
              data-testid="merge-cancel"
              onClick={() => confirmRef.current?.close()}
            >
              {mx('cancel')}
            </button>
            <button
              type="button"
              className="btn btn--danger"
              data-testid="merge-confirm-button"
              disabled={busy}
              onClick={() => void merge(confirming)}
            >
              {mx('confirm')}
            </button>
          </footer>
        </dialog>
      )}

      <footer className="dialog__foot">
        {face?.enrolled && (
          <button
            type="button"
            className="btn btn--danger"
            data-testid="card-withdraw"
            disabled={busy}
            onClick={() => void withdraw()}
          >
            {t('desk.card.withdraw')}
          </button>
        )}
        <span className="dialog__spacer" />
        <button type="button" className="btn" data-testid="card-enrol" disabled={!card} onClick={enrol}>
          {face?.enrolled ? t('desk.card.reenrol') : t('desk.card.enrol')}
        </button>
        <button
          type="button"
          className="btn btn--primary"
          data-testid="card-book"
          disabled={!card}
          onClick={book}
        >
          {t('desk.card.book')}
        </button>
      </footer>
    </dialog>
  );
}
