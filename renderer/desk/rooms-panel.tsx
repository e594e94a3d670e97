/**
 * One card per room: who is called or in session there (a called patient can be called again), how many
 * wait for it, and "call next".
 */
import { useTranslation } from 'react-i18next';
import { isInRoom } from '../../server/domain/visit.ts';
import type { BoardAppointment, Room } from '../shared/types.ts';
import { callNext, recallPatient } from './actions.ts';
import { useDesk } from './store.ts';

function RoomCard({ room, appointments }: { room: Room; appointments: BoardAppointment[] }) {
  const { t } = useTranslation();
  const busy = useDesk((s) => Boolean(s.busy[room.id]));
  const busyRows = useDesk((s) => s.busy);
  const here = appointments.filter((a) => a.room?.id === room.id);
  const occupants = here.filter((a) => isInRoom(a.status));
  const waiting = here.filter((a) => a.status === 'arrived').length;
  const inSession = occupants.some((a) => a.status === 'in_session');

  return (
    <article
      className={`room-card ${occupants.length ? (inSession ? 'room-card--session' : 'room-card--called') : ''}`}
      data-testid="room-card"
      data-room-name={room.name}
      aria-labelledby={`room-${room.id}`}
    >
      <h3 id={`room-${room.id}`} className="room-card__name">
        {room.name}
      </h3>
      {occupants.length === 0 ? (
        <p className="room-card__free">{t('desk.rooms.free')}</p>
      ) : (
        <ul className="room-card__occupants">
          {occupants.map((a) => (
            <li key={a.id}>
              <span className={`badge badge--${a.status}`}>{t(`status.${a.status}`)}</span>{' '}
              <span className="room-card__patient">{a.patient.fullName}</span>
              {a.ticket && <span className="room-card__ticket"> · {a.ticket}</span>}
              {a.status === 'called' && (
                <button
                  type="button"
                  className="btn btn--small room-card__recall"
                  data-testid="room-recall"
                  disabled={Boolean(busyRows[a.id])}
                  aria-label={t('desk.actions.aria', {
                    action: t('desk.actions.recall'),
                    name: a.patient.fullName,
                  })}
                  onClick={() => void recallPatient(a)}
                >
                  {t('desk.actions.recall')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="room-card__footer">
        <span className="room-card__waiting">{t('desk.rooms.waiting', { count: waiting })}</span>
        <button
          type="button"
          className="btn btn--primary"
          data-testid="call-next"
          disabled={busy}
          aria-label={t('desk.rooms.callNextAria', { room: room.name })}
          onClick={() => void callNext(room)}
        >
          {t('desk.rooms.callNext')}
        </button>
      </div>
    </article>
  );
}

/** The rooms panel of the desk: a card per room of the board; nothing until the board has loaded. */
export function RoomsPanel() {
  const { t } = useTranslation();
  const rooms = useDesk((s) => s.board?.rooms);
  const appointments = useDesk((s) => s.board?.appointments);
  if (!rooms || !appointments) return null;
  return (
    <section className="panel rooms" aria-labelledby="rooms-title">
      <h2 id="rooms-title" className="panel__title">
        {t('desk.rooms.title')}
      </h2>
      {rooms.length === 0 ? (
        <p className="muted">{t('desk.rooms.empty')}</p>
      ) : (
        <div className="rooms__grid">
          {rooms.map((room) => (
            <RoomCard key={room.id} room={room} appointments={appointments} />
          ))}
        </div>
      )}
    </section>
  );
}
