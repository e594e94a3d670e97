/**
 * Desk page state (zustand): the live board, filters, list or timeline view, the one feedback message,
 * which rows have a request in flight, the move dialog's target and the last action's undo offer.
 * Messages are render functions so a language switch re-translates them.
 */
import type { TFunction } from 'i18next';
import { create } from 'zustand';
import type { Board, BoardAppointment } from '../shared/types.ts';

export interface DeskMessage {
  id: number;
  tone: 'info' | 'error';
  text: (t: TFunction) => string;
}

export interface EnrolTarget {
  id: string;
  fullName: string;
}

/** The appointment whose payment dialog is open (a snapshot of its row when the dialog opened). */
export type PaymentTarget = BoardAppointment;

/**
 * The move dialog's appointment (a snapshot of its row) and why it opened: 'move' (room / practitioner)
 * or 'call' (choose the room to call the patient into).
 */
export interface MoveTarget {
  appointment: BoardAppointment;
  mode: 'move' | 'call';
}

/**
 * The last board action, undoable until `until` (ms since epoch, this computer's clock): the appointment
 * and the version the action answered with (POST /api/board/undo), and what the toast says.
 */
export interface UndoOffer {
  id: number;
  appointmentId: string;
  version: number;
  until: number;
  text: (t: TFunction) => string;
}

/** How the day's appointments show: a table, or a timeline per practitioner. */
export type BoardView = 'list' | 'timeline';

interface DeskStore {
  board: Board | null;
  /** Error code of the first load, when it failed and no board is showing. */
  loadError: string | null;
  online: boolean;
  unauthorized: boolean;
  message: DeskMessage | null;
  /** '' = all practitioners. */
  practitionerId: string;
  hideClosed: boolean;
  /** Appointment or room ids with a request in flight (their buttons are disabled). */
  busy: Record<string, true>;
  enrol: EnrolTarget | null;
  payment: PaymentTarget | null;
  move: MoveTarget | null;
  undo: UndoOffer | null;
  view: BoardView;
  /** Server clock minus this computer's, ms, measured when a board arrives (for live timers). */
  clockOffsetMs: number;

  setBoard(board: Board, source: 'load' | 'stream'): void;
  /** Replaces (or adds) one appointment from an action's answer, before the stream catches up. */
  patchAppointment(a: BoardAppointment): void;
  setLoadError(code: string | null): void;
  setOnline(online: boolean): void;
  setUnauthorized(): void;
  say(tone: DeskMessage['tone'], text: DeskMessage['text']): void;
  dismiss(id?: number): void;
  setPractitionerId(id: string): void;
  setHideClosed(hide: boolean): void;
  setBusy(id: string, busy: boolean): void;
  openEnrol(target: EnrolTarget): void;
  closeEnrol(): void;
  /** Sets one row's paid state from a payment answer, before the stream catches up. */
  setPaid(appointmentId: string, paid: boolean): void;
  openPayment(target: PaymentTarget): void;
  closePayment(): void;
  openMove(target: MoveTarget): void;
  closeMove(): void;
  offerUndo(offer: Omit<UndoOffer, 'id'>): void;
  /** Withdraws the undo offer (all, or only offer `id` if it is still the current one). */
  clearUndo(id?: number): void;
  setView(view: BoardView): void;
}

let messageSeq = 0;
let undoSeq = 0;

export const useDesk = create<DeskStore>()((set, get) => ({
  board: null,
  loadError: null,
  online: true,
  unauthorized: false,
  message: null,
  practitionerId: '',
  hideClosed: false,
  busy: {},
  enrol: null,
  payment: null,
  move: null,
  undo: null,
  view: 'list',
  clockOffsetMs: 0,

  setBoard(board, source) {
    const current = get().board;
    // A GET answer may arrive after a fresher pushed snapshot; stream snapshots always win
    // (the sequence restarts at 0 when the server restarts).
    if (source === 'load' && current && current.seq > board.seq && current.date === board.date) return;
    set({ board, loadError: null, clockOffsetMs: Date.parse(board.now) - Date.now() });
  },
  patchAppointment(a) {
    const board = get().board;
    if (!board) return;
    const known = board.appointments.some((x) => x.id === a.id);
    const appointments = known
      ? board.appointments.map((x) => (x.id === a.id ? a : x))
      : [...board.appointments, a].sort((x, y) => Date.parse(x.startsAt) - Date.parse(y.startsAt));
    set({ board: { ...board, appointments } });
  },
  setLoadError: (loadError) => set({ loadError }),
  setOnline: (online) => set({ online }),
  setUnauthorized: () => set({ unauthorized: true }),
  say: (tone, text) => set({ message: { id: ++messageSeq, tone, text } }),
  dismiss: (id) => set((s) => (id === undefined || s.message?.id === id ? { message: null } : {})),
  setPractitionerId: (practitionerId) => set({ practitionerId }),
  setHideClosed: (hideClosed) => set({ hideClosed }),
  setBusy: (id, busy) =>
    set((s) => {
      const { [id]: _, ...rest } = s.busy;
      return { busy: busy ? { ...rest, [id]: true } : rest };
    }),
  openEnrol: (enrol) => set({ enrol }),
  closeEnrol: () => set({ enrol: null }),
  setPaid(appointmentId, paid) {
    const board = get().board;
    if (!board) return;
    const appointments = board.appointments.map((x) => (x.id === appointmentId ? { ...x, paid } : x));
    set({ board: { ...board, appointments } });
  },
  openPayment: (payment) => set({ payment }),
  closePayment: () => set({ payment: null }),
  openMove: (move) => set({ move }),
  closeMove: () => set({ move: null }),
  offerUndo: (offer) => set({ undo: { ...offer, id: ++undoSeq } }),
  clearUndo: (id) => set((s) => (id === undefined || s.undo?.id === id ? { undo: null } : {})),
  setView: (view) => set({ view }),
}));
