/**
 * The desk's move dialog, in a modal <dialog> (focus trap, Esc closes): another room and/or another
 * practitioner for a waiting or called patient ("Mudar"), or, for a waiting patient, the room to
 * call them into now ("Chamar para esta sala"). Opened in 'call' mode by "Chamar" on a row without a room.
 * Room rules stay the server's (409 room_busy, reported in the desk message).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callPatient, movePatient } from './actions.ts';
import { useDesk, type MoveTarget } from './store.ts';

/** The move dialog for the store's `move` target, or nothing; keyed by appointment (clean state). */
export function MoveDialog() {
  const target = useDesk((s) => s.move);
  return target ? <MoveDialogBody key={`${target.appointment.id}:${target.mode}`} target={target} /> : null;
}

function MoveDialogBody({ target }: { target: MoveTarget }) {
  const { t } = useTranslation();
  const id = useId();
  const a = target.appointment;
  const dialogRef = useRef<HTMLDialogElement>(null);
  const closeMove = useDesk((s) => s.closeMove);
  const rooms = useDesk((s) => s.board?.rooms ?? []);
  const practitioners = useDesk((s) => s.board?.practitioners ?? []);
  const [roomId, setRoomId] = useState(a.room?.id ?? '');
  const [practitionerId, setPractitionerId] = useState<string>(a.practitioner.id);
  const [busy, setBusy] = useState(false);
  const canCall = a.status === 'arrived';
  const changed = roomId !== (a.room?.id ?? '') || practitionerId !== a.practitioner.id;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (what: 'move' | 'call') => {
    setBusy(true);
    let ok: boolean;
    if (what === 'call') {
      // A practitioner change goes first, so the patient is called as the new practitioner's.
      let current = a;
      ok = practitionerId === a.practitioner.id || (await movePatient(a, { roomId: '', practitionerId }));
      if (ok && current.practitioner.id !== practitionerId)
        current = useDesk.getState().board?.appointments.find((x) => x.id === a.id) ?? a;
      ok = ok && (await callPatient(current, roomId || undefined));
    } else {
      ok = await movePatient(a, {
        roomId: roomId !== (a.room?.id ?? '') ? roomId : '',
        practitionerId: practitionerId !== a.practitioner.id ? practitionerId : '',
      });
    }
    setBusy(false);
    if (ok) dialogRef.current?.close();
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog move-dialog"
      data-testid="move-dialog"
      aria-labelledby={`${id}-title`}
      onClose={closeMove}
    >
      <header className="dialog__head">
        <div>
          <h2 id={`${id}-title`}>{t(target.mode === 'call' ? 'desk.move.callTitle' : 'desk.move.title')}</h2>
          <p className="muted">
            {a.patient.fullName}
            {a.ticket ? ` · ${a.ticket}` : ''}
          </p>
        </div>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          aria-label={t('common.close')}
          onClick={() => dialogRef.current?.close()}
        >
          ×
        </button>
      </header>
      <form
        className="dialog__body"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(target.mode === 'call' && canCall ? 'call' : 'move');
        }}
      >
        <label className="field">
          <span>{t('desk.move.room')}</span>
          <select data-testid="move-room" value={roomId} onChange={(e) => setRoomId(e.target.value)}>
            {!a.room && <option value="">{t('desk.move.chooseRoom')}</option>}
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('desk.move.practitioner')}</span>
          <select
            data-testid="move-practitioner"
            value={practitionerId}
            onChange={(e) => setPractitionerId(e.target.value)}
          >
            {practitioners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <p className="muted move-dialog__hint">{t('desk.move.hint')}</p>
        <div className="dialog__foot move-dialog__foot">
          <button type="button" className="btn" onClick={() => dialogRef.current?.close()}>
            {t('desk.move.cancel')}
          </button>
          <span className="dialog__spacer" />
          {(target.mode === 'move' || !canCall) && (
            <button
              type="submit"
              className={`btn ${target.mode === 'move' ? 'btn--primary' : ''}`}
              data-testid="move-submit"
              disabled={busy || !changed}
            >
              {t('desk.move.submit')}
            </button>
          )}
          {canCall && (
            <button
              type={target.mode === 'call' ? 'submit' : 'button'}
              className={`btn ${target.mode === 'call' ? 'btn--primary' : ''}`}
              data-testid="move-call"
              disabled={busy || !roomId}
              onClick={target.mode === 'call' ? undefined : () => void submit('call')}
            >
              {t('desk.move.call')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
