/** Medium tests of the catalogue: who practises what, and the fallback when nobody has it recorded. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedSmallClinic, type SmallClinic } from '../../testing/fixtures.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';
import { getRoom, getSpecialty, insertSpecialty, listPractitioners, practitionersFor } from './repo.ts';

let h: Harness;
let clinic: SmallClinic;
beforeEach(() => {
  h = createHarness({ now: Date.parse('2026-11-21T10:00:00Z'), seed: false });
  clinic = seedSmallClinic(h.deps);
});
afterEach(() => h.close());

describe('catalogue', () => {
  it('lists practitioners by name with the specialties they practise', () => {
    expect(listPractitioners(h.deps).map((p) => [p.displayName, p.specialtyIds.length])).toEqual([
      ['Dr. João Ferreira', 2],
      ['Dr.ª Marta Lopes', 1],
    ]);
  });

  it('finds the practitioners of a specialty, or all of them when nobody has it recorded', () => {
    const names = (id: string) => practitionersFor(h.deps, id as never).map((p) => p.displayName);
    expect(names(clinic.specialties.massage)).toEqual(['Dr. João Ferreira']);
    expect(names(clinic.specialties.evaluation)).toEqual(['Dr. João Ferreira', 'Dr.ª Marta Lopes']);
    const shockWaves = insertSpecialty(h.deps, {
      code: 'shock_waves',
      namePt: 'Ondas de choque',
      nameEn: 'Shock waves',
      defaultDurationMin: 20,
      priceCents: 3000,
    });
    expect(names(shockWaves)).toEqual(['Dr. João Ferreira', 'Dr.ª Marta Lopes']);
  });

  it('answers room_not_found and specialty_not_found for unknown ids', () => {
    const unknown = '0190f5c4-8d7a-7c2e-9b1a-3f4d5e6a7b8c' as never;
    expect(() => getRoom(h.deps, unknown)).toThrow(expect.objectContaining({ code: 'room_not_found' }));
    expect(() => getSpecialty(h.deps, unknown)).toThrow(
      expect.objectContaining({ code: 'specialty_not_found' }),
    );
  });
});
