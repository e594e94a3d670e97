/** The reception desk: rooms, the day's appointments, walk-ins and face enrolment, live over SSE. */
import { useEffect } from 'react';
import { UnauthorizedScreen } from '../shared/ui/unauthorized-screen.tsx';
import { startBoard } from './actions.ts';
import { AppointmentsTable } from './appointments-table.tsx';
import { DeskHeader } from './desk-header.tsx';
import { DeskMessageBar } from './desk-message.tsx';
import { EnrolDialog } from './enrol-dialog.tsx';
import { RoomsPanel } from './rooms-panel.tsx';
import { useDesk } from './store.ts';
import { WalkInForm } from './walk-in-form.tsx';

/**
 * Root of the desk page: starts the board (load + SSE) on mount and closes the stream on unmount; shows
 * UnauthorizedScreen once the token is rejected, the walk-in form only once a board has loaded.
 */
export function DeskApp() {
  const unauthorized = useDesk((s) => s.unauthorized);
  const hasBoard = useDesk((s) => s.board !== null);

  useEffect(() => startBoard(), []);

  if (unauthorized) return <UnauthorizedScreen />;

  return (
    <div className="desk" data-testid="desk">
      <DeskHeader />
      <DeskMessageBar />
      <main className="desk-main">
        <div className="desk-main__primary">
          <RoomsPanel />
          <AppointmentsTable />
        </div>
        {hasBoard && (
          <aside className="desk-main__side">
            <WalkInForm />
          </aside>
        )}
      </main>
      <EnrolDialog />
    </div>
  );
}
