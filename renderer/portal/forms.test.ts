/** Small tests of the portal's form checks (the server's rules) and of mapping server errors to fields. */
import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import {
  checkBirthDate,
  checkEmail,
  checkNewPassword,
  checkNif,
  checkPhone,
  serverFieldErrors,
} from './forms.ts';

describe('form checks', () => {
  it('accepts Portuguese mobiles and international numbers, nothing else', () => {
    expect(checkPhone('912 345 678')).toBeNull();
    expect(checkPhone('+44 20 7946 0958')).toBeNull();
    expect(checkPhone('212345678')).toBe('validation.phone');
    expect(checkPhone('')).toBe('validation.phoneRequired');
  });

  it('applies the password rules of the server', () => {
    expect(checkNewPassword('short')).toBe('validation.passwordShort');
    expect(checkNewPassword('password123')).toBe('validation.passwordCommon');
    expect(checkNewPassword('ana@example.pt', ['ana@example.pt'])).toBe('validation.passwordContext');
    expect(checkNewPassword('um passeio ao rio 2026')).toBeNull();
  });

  it('checks the NIF check digit and birth dates, both optional', () => {
    expect(checkNif('')).toBeNull();
    expect(checkNif('501964843')).toBeNull();
    expect(checkNif('501964844')).toBe('validation.nif');
    expect(checkBirthDate('', '2026-12-01')).toBeNull();
    expect(checkBirthDate('1981-02-29', '2026-12-01')).toBe('validation.birthDate');
    expect(checkBirthDate('1984-02-29', '2026-12-01')).toBeNull();
    expect(checkBirthDate('2026-12-01', '2026-12-01')).toBe('validation.birthDate');
    expect(checkEmail('ana@example.pt')).toBeNull();
    expect(checkEmail('ana@')).toBe('validation.email');
  });

  it("maps the server's validation issues onto the form's fields", () => {
    const err = new ApiError('validation_failed', 'x', 400, {
      issues: [
        { path: 'phone', message: 'bad' },
        { path: 'unknown.deep', message: 'bad' },
      ],
    });
    expect(serverFieldErrors(err, { phone: 'validation.phone' })).toEqual({ phone: 'validation.phone' });
    const weak = new ApiError('weak_password', 'x', 400, { field: 'password' });
    expect(serverFieldErrors(weak, { password: 'errors.weak_password' })).toEqual({
      password: 'errors.weak_password',
    });
  });
});
