/**
 * Setup step "Rooms": add a room, rename one in place, deactivate or reactivate it. Each change is saved
 * at once (no form-wide save); deactivating a room that bookings still use is refused by the server (409
 * has_future_appointments) and said so here.
 */
import { useState, type FormEvent } from 'react';
import { addRoom, patchRoom, type RoomAdmin } from './setup-api.ts';
import { InactiveTag, StepError } from './step-ui.tsx';
import { useSetupText } from './strings.ts';
import { useAction, type StepProps } from './use-setup.ts';

/** One room: its name as an editable field, Save when changed, and (de)activate. */
function RoomRow({
  room,
  onDone,
  run,
  busy,
}: { room: RoomAdmin; onDone: () => Promise<void> } & Pick<ReturnType<typeof useAction>, 'run' | 'busy'>) {
  const { tx } = useSetupText();
  const [name, setName] = useState(room.name);
  const changed = name.trim() !== room.name && name.trim() !== '';
  const save = async (json: { name?: string; active?: boolean }) => {
    if (await run(() => patchRoom(room.id, json))) await onDone();
  };
  return (
    <li className="setup-row" data-testid="setup-room" data-name={room.name}>
      <input
        className="setup-row__input"
        aria-label={tx('rooms.rename', { name: room.name })}
        value={name}
        disabled={!room.active}
        onChange={(e) => setName(e.target.value)}
      />
      {!room.active && <InactiveTag />}
      <span className="setup-row__actions">
        {changed && (
          <button
            type="button"
            className="btn btn--small btn--primary"
            disabled={busy}
            onClick={() => void save({ name: name.trim() })}
          >
            {tx('save')}
          </button>
        )}
        <button
          type="button"
          className={`btn btn--small ${room.active ? 'btn--danger' : ''}`}
          disabled={busy}
          onClick={() => void save({ active: !room.active })}
        >
          {room.active ? tx('deactivate') : tx('reactivate')}
        </button>
      </span>
    </li>
  );
}

/** The rooms step. */
export function RoomsStep({ state, reload }: StepProps) {
  const { tx } = useSetupText();
  const action = useAction();
  const [name, setName] = useState('');

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      action.fail('validation_failed', { name: true });
      return;
    }
    if (await action.run(() => addRoom(name.trim()))) {
      setName('');
      await reload();
    }
  };

  return (
    <div className="setup-step">
      <p className="muted">{tx('rooms.intro')}</p>
      <form className="setup-add" onSubmit={(e) => void add(e)} noValidate>
        <label className="field">
          {tx('rooms.newName')}
          <input
            name="room-name"
            value={name}
            maxLength={40}
            aria-invalid={action.fields.name ? true : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn--primary" disabled={action.busy} data-testid="add-room">
          {tx('add')}
        </button>
      </form>
      <StepError error={action.error} />
      {state.rooms.length === 0 ? (
        <p className="empty">{tx('rooms.empty')}</p>
      ) : (
        <ul className="setup-list" aria-label={tx('steps.rooms')}>
          {state.rooms.map((r) => (
            // The key includes the name, so a rename from elsewhere resets the field.
            <RoomRow key={`${r.id}:${r.name}`} room={r} onDone={reload} run={action.run} busy={action.busy} />
          ))}
        </ul>
      )}
    </div>
  );
}
