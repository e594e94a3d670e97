/**
 * The clinic catalogue the portal shows (zustand): each clinic's specialties, loaded once per page load
 * (names, durations, prices change rarely) and shared by the booking steps and the appointment lists.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { listSpecialties } from './api.ts';
import type { Specialty } from './types.ts';

interface CatalogState {
  /** clinicId → its specialties; undefined = not loaded; null = the load failed. */
  specialties: Record<string, Specialty[] | null | undefined>;
}

const useCatalog = create<CatalogState>(() => ({ specialties: {} }));
const loading = new Set<string>();

/** Loads a clinic's specialties unless they are loaded or loading; a failed load can be retried. */
export async function loadSpecialties(clinicId: string): Promise<void> {
  if (loading.has(clinicId) || useCatalog.getState().specialties[clinicId]) return;
  loading.add(clinicId);
  try {
    const list = await listSpecialties(clinicId);
    useCatalog.setState((s) => ({ specialties: { ...s.specialties, [clinicId]: list } }));
  } catch {
    useCatalog.setState((s) => ({ specialties: { ...s.specialties, [clinicId]: null } }));
  } finally {
    loading.delete(clinicId);
  }
}

/**
 * A clinic's specialties: undefined while loading, null when the load failed, else the list.
 * Starts the load on first use.
 */
export function useSpecialties(clinicId: string | null | undefined): Specialty[] | null | undefined {
  const list = useCatalog((s) => (clinicId ? s.specialties[clinicId] : undefined));
  useEffect(() => {
    if (clinicId) void loadSpecialties(clinicId);
  }, [clinicId]);
  return list;
}
