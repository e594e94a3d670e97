/**
 * The patient's appointments (zustand): the lists from GET /api/me/appointments, kept current by the
 * server's events (GET /api/me/events → `upsertAppointment`), so a check-in at the clinic, a call into a
 * room or a cancellation by the desk shows without reloading.
 */
import { create } from 'zustand';
import * as api from '../api.ts';
import type { Appointment, MyAppointments } from '../types.ts';

interface AppointmentsState {
  lists: MyAppointments | null;
  /** Appointments opened one by one (detail page), by id. */
  byId: Record<string, Appointment>;
  loading: boolean;
  /** The error of the last load, or null. */
  error: unknown;
  /** False while the live stream is down (it reconnects by itself). */
  live: boolean;
}

/** The appointments store. */
export const useAppointments = create<AppointmentsState>(() => ({
  lists: null,
  byId: {},
  loading: false,
  error: null,
  live: true,
}));

/** Loads (or reloads) both lists. */
export async function loadAppointments(): Promise<void> {
  useAppointments.setState({ loading: true, error: null });
  try {
    const lists = await api.myAppointments();
    const byId = { ...useAppointments.getState().byId };
    for (const a of [...lists.upcoming, ...lists.past]) byId[a.id] = a;
    useAppointments.setState({ lists, byId, loading: false });
  } catch (error) {
    useAppointments.setState({ loading: false, error });
  }
}

/**
 * Puts a changed appointment in place (in whichever list holds it, and by id). One the lists do not
 * hold yet (booked in another tab) triggers a reload.
 */
export function upsertAppointment(appointment: Appointment): void {
  const { lists, byId } = useAppointments.getState();
  const next: Partial<AppointmentsState> = { byId: { ...byId, [appointment.id]: appointment } };
  if (lists) {
    const replace = (list: Appointment[]) => list.map((a) => (a.id === appointment.id ? appointment : a));
    const known = [...lists.upcoming, ...lists.past].some((a) => a.id === appointment.id);
    if (known) next.lists = { upcoming: replace(lists.upcoming), past: replace(lists.past) };
    else void loadAppointments();
  }
  useAppointments.setState(next);
}

/** Records whether the live stream is connected. */
export function setLive(live: boolean): void {
  if (useAppointments.getState().live !== live) useAppointments.setState({ live });
}

/** Forgets everything (logout). */
export function resetAppointments(): void {
  useAppointments.setState({ lists: null, byId: {}, loading: false, error: null, live: true });
}
