/** Reading a desk search query: name words, digits, a date of birth, a booking code. */
import { describe, expect, it } from 'vitest';
import { foldText, parsePatientSearch } from './patient-search.ts';

describe('foldText', () => {
  it('ignores case and accents and collapses spaces', () => {
    expect(foldText('  José   CONCEIÇÃO Ñuño ')).toBe('jose conceicao nuno');
  });
});

describe('parsePatientSearch', () => {
  it('takes a name apart into folded words', () => {
    expect(parsePatientSearch('Conceição  Ana')).toEqual({
      nameWords: ['conceicao', 'ana'],
      digits: null,
      birthDate: null,
      bookingCode: null,
    });
  });

  it('reads phone digits without +351 or spaces, and keeps a 9-digit NIF', () => {
    expect(parsePatientSearch('+351 912 345 678').digits).toBe('912345678');
    expect(parsePatientSearch('912 34').digits).toBe('91234');
    expect(parsePatientSearch('+351 912 345').digits).toBe('912345');
    expect(parsePatientSearch('351912345678').digits).toBe('912345678');
    expect(parsePatientSearch('123456789').digits).toBe('123456789');
    expect(parsePatientSearch('12').digits).toBeNull();
    expect(parsePatientSearch('ana 912').digits).toBeNull();
  });

  it('reads a date of birth in ISO or Portuguese order, and refuses impossible dates', () => {
    expect(parsePatientSearch('1980-03-07').birthDate).toBe('1980-03-07');
    expect(parsePatientSearch('7/3/1980').birthDate).toBe('1980-03-07');
    expect(parsePatientSearch('07.03.1980').birthDate).toBe('1980-03-07');
    expect(parsePatientSearch('31/02/1980').birthDate).toBeNull();
  });

  it('reads a booking code in any case, with spaces or a dash', () => {
    expect(parsePatientSearch('ab3-k9z').bookingCode).toBe('AB3K9Z');
    expect(parsePatientSearch('AB3 K9Z').bookingCode).toBe('AB3K9Z');
    expect(parsePatientSearch('AB3K9').bookingCode).toBeNull();
  });
});
