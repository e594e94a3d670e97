-- 0070-one-patient-per-room: a room holds at most one called or in-session patient at a time (issue 10:
-- two concurrent "call next" requests put two or three patients into one room). Enforced by the database,
-- so no code path and no second connection can break it; the service answers 409 room_busy before it
-- gets here. Rows that already break it (databases from before this rule) are settled first, keeping
-- each room's most recent occupant: an older 'called' goes back to the queue ('arrived'), an older
-- 'in_session' is closed ('done', ended now).
UPDATE appointments SET status = 'arrived', called_at = NULL, version = version + 1,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE status = 'called' AND room_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM appointments o
    WHERE o.room_id = appointments.room_id AND o.id <> appointments.id
      AND o.status IN ('called', 'in_session')
      AND COALESCE(o.session_started_at, o.called_at, '') >= COALESCE(appointments.called_at, ''));
UPDATE appointments SET status = 'done', ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE status = 'in_session' AND room_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM appointments o
    WHERE o.room_id = appointments.room_id AND o.id <> appointments.id
      AND o.status IN ('called', 'in_session')
      AND (COALESCE(o.session_started_at, o.called_at, '') > COALESCE(appointments.session_started_at, '')
        OR (COALESCE(o.session_started_at, o.called_at, '') = COALESCE(appointments.session_started_at, '')
          AND o.id > appointments.id)));
CREATE UNIQUE INDEX appointments_one_per_room ON appointments(room_id)
  WHERE status IN ('called', 'in_session');
