/**
 * Desk page state (zustand): the live board, filters, the one feedback message and which rows have a
 * request in flight. Messages are render functions so a language switch re-translates them.
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
}

let messageSeq = 0;

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

  setBoard(board, source) {
    const current = get().board;
    // A GET answer may arrive after a fresher pushed snapshot; stream snapshots always win
    // (the sequence restarts at 0 when the server restarts).
    if (source === 'load' && current && current.seq > board.seq && current.date === board.date) return;
    set({ board, loadError: null });
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
}));
