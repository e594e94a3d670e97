/** Small tests of the account contracts: names, emails, phones, passwords, birth dates. */
import { describe, expect, it } from 'vitest';
import {
  accountPhone,
  birthDate,
  birthDateProblem,
  COMMON_PASSWORDS,
  emailAddress,
  isCommonPassword,
  newPassword,
  normaliseAccountPhone,
  passwordProblem,
  personName,
  signupInput,
  updateAccountInput,
} from './accounts.ts';

describe('account contracts', () => {
  it('trims names and refuses empty, over-long, control and bidi-override characters', () => {
    expect(personName.parse('  Maria João Conceição  ')).toBe('Maria João Conceição');
    expect(personName.safeParse('').success).toBe(false);
    expect(personName.safeParse('   ').success).toBe(false);
    expect(personName.safeParse('x'.repeat(120)).success).toBe(true);
    expect(personName.safeParse('x'.repeat(121)).success).toBe(false);
    for (const bad of ['Ana\u0000', 'Ana\nSilva', 'Ana\u202Eavlis', 'Ana\u2066x', 'Ana\u200Fx', 'A\u0085b']) {
      expect(personName.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('lowercases and trims emails and refuses malformed ones', () => {
    expect(emailAddress.parse('  Ana.Silva@Example.PT ')).toBe('ana.silva@example.pt');
    for (const bad of ['ana', 'ana@', '@example.pt', 'ana silva@example.pt', `${'a'.repeat(250)}@x.pt`]) {
      expect(emailAddress.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('normalises PT mobiles and +CC numbers to E.164, refusing PT landlines and bare foreign digits', () => {
    expect(normaliseAccountPhone('912 345 678')).toBe('+351912345678');
    expect(normaliseAccountPhone('+351 93-600-0111')).toBe('+351936000111');
    expect(normaliseAccountPhone('00351 962 000 000')).toBe('+351962000000');
    expect(normaliseAccountPhone('+44 (20) 7946 0958')).toBe('+442079460958');
    expect(normaliseAccountPhone('0033 6 12 34 56 78')).toBe('+33612345678');
    expect(normaliseAccountPhone('212345678')).toBeNull();
    expect(normaliseAccountPhone('+351 212 345 678')).toBeNull();
    expect(normaliseAccountPhone('+351 94 1234567')).toBeNull();
    expect(normaliseAccountPhone('2079460958')).toBeNull();
    expect(normaliseAccountPhone('+1 234')).toBeNull();
    expect(normaliseAccountPhone('+1234567890123456')).toBeNull();
    expect(accountPhone.parse(' 912345678 ')).toBe('+351912345678');
    expect(accountPhone.safeParse('call me').success).toBe(false);
  });

  it('judges new passwords: 10–128 characters, not common, not the email or name', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(100);
    for (const p of COMMON_PASSWORDS) expect(p.length, p).toBeGreaterThanOrEqual(10);
    expect(passwordProblem('short')).toBe('too_short');
    expect(passwordProblem('x'.repeat(129) + 'yz')).toBe('too_long');
    expect(passwordProblem('Password123')).toBe('common');
    expect(passwordProblem('ＰＡＳＳＷＯＲＤ１２３')).toBe('common'); // full-width, NFKC
    expect(passwordProblem('ababababab')).toBe('common');
    expect(passwordProblem('ana.silva@example.pt', ['ana.silva@example.pt'])).toBe('context');
    expect(passwordProblem('Ana.Silva1', ['ana.silva1@example.pt'])).toBe('context');
    expect(passwordProblem('Ana Sofia Silva', [null, 'ana sofia silva'])).toBe('context');
    expect(passwordProblem('correct horse battery staple', ['ana@example.pt', 'Ana'])).toBeNull();
    expect(passwordProblem('é'.repeat(3) + 'fisioterapia!')).toBeNull();
    expect(
      passwordProblem('a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9'),
    ).toBeNull();
    expect(isCommonPassword('QWERTYUIOP')).toBe(true);
    expect(newPassword.safeParse('1234567890').success).toBe(false);
    expect(newPassword.safeParse('a'.repeat(64) + 'bcd').success).toBe(true);
  });

  it('accepts real birth dates from 1900 and before today only', () => {
    expect(birthDate.safeParse('2024-02-29').success).toBe(true);
    expect(birthDate.safeParse('2023-02-29').success).toBe(false);
    expect(birthDate.safeParse('1985-13-01').success).toBe(false);
    expect(birthDate.safeParse('1899-12-31').success).toBe(false);
    expect(birthDate.safeParse('1900-01-01').success).toBe(true);
    expect(birthDateProblem('2026-11-22', '2026-11-23')).toBeNull();
    expect(birthDateProblem('2026-11-23', '2026-11-23')).toBe('future');
    expect(birthDateProblem('1899-01-01', '2026-11-23')).toBe('too_old');
  });

  it('parses a sign-up with optional NIF and birth date, and a strict profile patch', () => {
    const base = {
      name: 'Ana',
      email: 'A@x.pt',
      phone: '912345678',
      password: 'long enough pass',
      locale: 'pt',
    };
    expect(signupInput.parse(base)).toEqual({ ...base, email: 'a@x.pt', phone: '+351912345678' });
    expect(signupInput.parse({ ...base, nif: 'PT123456789', birthDate: null })).toMatchObject({
      nif: '123456789',
      birthDate: null,
    });
    expect(updateAccountInput.parse({ nif: null })).toEqual({ nif: null });
    expect(updateAccountInput.safeParse({ email: 'x@y.pt' }).success).toBe(false);
  });
});
