/**
 * What the desk does over HTTP. Each action reports its outcome through the store's single message;
 * the live board itself is refreshed by the SSE stream (and patched from the answer right away). Board
 * actions (status changes, call, recall, move) also offer their undo for as long as the server allows it
 * (`undoUntil`, one minute), through the store's `undo` offer and the undo toast.
 */
import i18n from 'i18next';
import { ApiError, api, isUnauthorized, linkFor, sendOnce, subscribe, unwrap } from '../shared/api.ts';
import { errorKey } from '../shared/i18n.ts';
import type { TFunction } from 'i18next';
import type { Board, BoardAppointment, Room, VisitStatus } from '../shared/types.ts';
import { useDesk } from './store.ts';

const store = () => useDesk.getState();

/** Shows a failed request in `desk-message` (version conflicts also reload the board). */
export function reportError(err: unknown): void {
  if (isUnauthorized(err)) {
    store().setUnauthorized();
    return;
  }
  store().say('error', (t) => t(errorKey(err)));
  if (err instanceof ApiError && err.code === 'version_conflict') void loadBoard();
}

/**
 * Loads today's board (GET /api/board) into the store. Never throws: 401 shows the unauthorized screen, a
 * failed first load sets `loadError` (the code), a failure with a board already showing becomes a message.
 */
export async function loadBoard(): Promise<void> {
  try {
    store().setBoard(await unwrap(api.api.board.$get({ query: {} })), 'load');
  } catch (err) {
    if (isUnauthorized(err)) store().setUnauthorized();
    else if (!store().board) store().setLoadError(err instanceof ApiError ? err.code : 'generic');
    else reportError(err);
  }
}

/** First load, then live updates; returns the unsubscribe function. */
export function startBoard(): () => void {
  let close: (() => void) | null = null;
  let stopped = false;
  void loadBoard().then(() => {
    if (stopped || store().unauthorized) return;
    close = subscribe<Board>(
      api.api.board.stream.$path(),
      'board',
      (board) => store().setBoard(board, 'stream'),
      (online) => store().setOnline(online),
      () => store().setUnauthorized(),
    );
  });
  return () => {
    stopped = true;
    close?.();
  };
}

/**
 * Moves one appointment to `status` (POST /api/appointments/:id/status) with `expectedVersion` = the row's
 * version, so a stale row gets `version_conflict` (and a board reload). The row's buttons are disabled while
 * in flight; success patches the board and says so, errors go to `reportError` (never throws).
 */
export async function changeStatus(a: BoardAppointment, status: VisitStatus): Promise<void> {
  store().setBusy(a.id, true);
  try {
    const updated = await unwrap(
      api.api.appointments[':id'].status.$post({
        param: { id: a.id },
        json: { status, expectedVersion: a.version },
      }),
    );
    store().patchAppointment(updated);
    const name = a.patient.fullName;
    offerUndo(updated, (t) => t('desk.undo.status', { name, status: t(`status.${status}`) }));
    if (status === 'called') {
      const room = updated.room?.name ?? '—';
      store().say('info', (t) => t('desk.messages.called', { name, room }));
    } else {
      store().say('info', (t) => t('desk.messages.status', { name, status: t(`status.${status}`) }));
    }
  } catch (err) {
    reportError(err);
  } finally {
    store().setBusy(a.id, false);
  }
}

/**
 * Calls the next waiting patient for `room` (POST /api/queue/call-next; the server picks by the queue order
 * of server/domain/wait.ts). The room's button is disabled while in flight; `queue_empty` and other errors
 * go to `reportError` (never throws).
 */
export async function callNext(room: Room): Promise<void> {
  store().setBusy(room.id, true);
  try {
    const called = await unwrap(api.api.queue['call-next'].$post({ json: { roomId: room.id } }));
    store().patchAppointment(called);
    const name = called.patient.fullName;
    offerUndo(called, (t) => t('desk.undo.called', { name, room: room.name }));
    store().say('info', (t) => t('desk.messages.called', { name, room: room.name }));
  } catch (err) {
    reportError(err);
  } finally {
    store().setBusy(room.id, false);
  }
}

/** A board action's answer: the appointment, and until when (ISO-8601 UTC, server clock) it can be undone. */
type ActionAnswer = BoardAppointment & { undoUntil: string | null };

/** Offers the undo of the action that answered `a` (nothing when the server offers none). */
function offerUndo(a: ActionAnswer, text: (t: TFunction) => string): void {
  if (!a.undoUntil) return;
  store().offerUndo({
    appointmentId: a.id,
    version: a.version,
    until: Date.parse(a.undoUntil) - store().clockOffsetMs,
    text,
  });
}

/**
 * Runs one board action on `a` with its row marked busy: patches the board from the answer, says `done`
 * and offers the undo with `undoText`; errors go to `reportError`.
 * @returns true when the action succeeded
 */
async function boardAction(
  a: BoardAppointment,
  request: () => Promise<ActionAnswer>,
  done: (updated: ActionAnswer, t: TFunction) => string,
  undoText: (updated: ActionAnswer, t: TFunction) => string,
): Promise<boolean> {
  store().setBusy(a.id, true);
  try {
    const updated = await request();
    store().patchAppointment(updated);
    store().say('info', (t) => done(updated, t));
    offerUndo(updated, (t) => undoText(updated, t));
    return true;
  } catch (err) {
    reportError(err);
    return false;
  } finally {
    store().setBusy(a.id, false);
  }
}

/**
 * Calls this patient (whoever is first in the queue) into `roomId`, or the appointment's own room
 * (POST /api/appointments/:id/call; 409 room_busy while the room has a patient called or in session).
 * @returns true on success; false when it failed, already reported
 */
export function callPatient(a: BoardAppointment, roomId?: string): Promise<boolean> {
  const name = a.patient.fullName;
  return boardAction(
    a,
    () =>
      unwrap(
        api.api.appointments[':id'].call.$post({
          param: { id: a.id },
          json: { roomId, expectedVersion: a.version },
        }),
      ),
    (u, t) => t('desk.messages.called', { name, room: u.room?.name ?? '—' }),
    (u, t) => t('desk.undo.called', { name, room: u.room?.name ?? '—' }),
  );
}

/** Calls a called patient again: the display shows and announces the call once more (POST …/recall). */
export function recallPatient(a: BoardAppointment): Promise<boolean> {
  const name = a.patient.fullName;
  return boardAction(
    a,
    () =>
      unwrap(
        api.api.appointments[':id'].recall.$post({
          param: { id: a.id },
          json: { expectedVersion: a.version },
        }),
      ),
    (u, t) => t('desk.messages.recalled', { name, room: u.room?.name ?? '—' }),
    (_u, t) => t('desk.undo.recalled', { name }),
  );
}

/**
 * Moves a waiting or called patient to another room and/or practitioner (POST …/move; '' leaves
 * that one as it is).
 * @returns true on success; false when it failed, already reported
 */
export function movePatient(
  a: BoardAppointment,
  to: { roomId: string; practitionerId: string },
): Promise<boolean> {
  const name = a.patient.fullName;
  return boardAction(
    a,
    () =>
      unwrap(
        api.api.appointments[':id'].move.$post({
          param: { id: a.id },
          json: {
            roomId: to.roomId || undefined,
            practitionerId: to.practitionerId || undefined,
            expectedVersion: a.version,
          },
        }),
      ),
    (u, t) =>
      t('desk.messages.moved', {
        name,
        room: u.room?.name ?? '—',
        practitioner: u.practitioner.displayName,
      }),
    (_u, t) => t('desk.undo.moved', { name }),
  );
}

/**
 * Undoes the offered action (POST /api/board/undo with the version it answered with); the offer goes
 * away whatever the answer (409 undo_expired / undo_conflict are reported like any error).
 */
export async function undoLast(): Promise<void> {
  const offer = store().undo;
  if (!offer) return;
  store().clearUndo(offer.id);
  store().setBusy(offer.appointmentId, true);
  try {
    const restored = await unwrap(
      api.api.board.undo.$post({
        json: { appointmentId: offer.appointmentId, expectedVersion: offer.version },
      }),
    );
    store().patchAppointment(restored);
    const name = restored.patient.fullName;
    store().say('info', (t) => t('desk.undo.undone', { name, status: t(`status.${restored.status}`) }));
  } catch (err) {
    reportError(err);
    if (err instanceof ApiError && err.code === 'undo_conflict') void loadBoard();
  } finally {
    store().setBusy(offer.appointmentId, false);
  }
}

export interface WalkInInput {
  /** An existing patient chosen from the search (then `fullName` is only for messages). */
  patientId?: string;
  fullName: string;
  specialtyId: string;
  /** '' = any practitioner (the server picks the one free first). */
  practitionerId: string;
  checkIn: boolean;
}

/**
 * Registers a walk-in (patient + appointment now + optional check-in) in one server transaction
 * (POST /api/walk-ins), sent once: a lost answer is retried with the same idempotency key (`sendOnce`).
 * @returns true on success (the form may reset); false when it failed, already reported via `reportError`
 */
export async function createWalkIn(input: WalkInInput): Promise<boolean> {
  try {
    const appointment = await unwrap(
      sendOnce((init) =>
        api.api['walk-ins'].$post(
          {
            json: {
              ...(input.patientId ? { patientId: input.patientId } : { fullName: input.fullName }),
              specialtyId: input.specialtyId,
              practitionerId: input.practitionerId || undefined,
              checkIn: input.checkIn,
            },
          },
          init,
        ),
      ),
    );
    store().patchAppointment(appointment);
    const name = appointment.patient.fullName;
    if (input.checkIn) {
      const ticket = appointment.ticket ?? '—';
      store().say('info', (t) => t('desk.messages.walkInArrived', { name, ticket }));
    } else {
      store().say('info', (t) => t('desk.messages.walkIn', { name }));
    }
    return true;
  } catch (err) {
    reportError(err);
    return false;
  }
}

/** Remembers the desk's language choice on this computer. */
export function rememberLang(lang: string): void {
  try {
    localStorage.setItem('cfd.desk.lang', lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** The desk's remembered language (`cfd.desk.lang` in localStorage); 'pt' when unset or storage is off. */
export function savedLang(): 'pt' | 'en' {
  try {
    return localStorage.getItem('cfd.desk.lang') === 'en' ? 'en' : 'pt';
  } catch {
    return 'pt';
  }
}

/** A specialty's name in the current UI language (`nameEn` for 'en', else `namePt`). */
export const specialtyName = (s: { namePt: string; nameEn: string }): string =>
  i18n.language === 'en' ? s.nameEn : s.namePt;

/**
 * The printable receipt of a payment (GET /receipts/:id, a desk page of the server), naming this screen so
 * the server picks the desk's cookie when several screens are open in one browser.
 */
export function receiptUrl(paymentId: string): string {
  return linkFor(api.receipts[':id'].$url({ param: { id: paymentId } }));
}

/**
 * Opens a payment's receipt in a new window (its own Print button prints it). Where new windows are
 * refused (the Electron desk denies window.open), prints it from a hidden same-origin frame instead.
 */
export function openReceipt(paymentId: string): void {
  const url = receiptUrl(paymentId);
  const win = window.open(url, '_blank');
  if (win) return;
  const frame = document.createElement('iframe');
  frame.className = 'visually-hidden';
  frame.tabIndex = -1;
  frame.setAttribute('aria-hidden', 'true');
  frame.addEventListener(
    'load',
    () => {
      frame.contentWindow?.print();
      // Printing is modal in Chromium; keep the frame a while for print previews that read it late.
      setTimeout(() => frame.remove(), 60_000);
    },
    { once: true },
  );
  frame.src = url;
  document.body.append(frame);
}
