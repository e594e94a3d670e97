/** Small tests of the portal's router: which page a path is, and where "log in" may send the patient. */
import { describe, expect, it } from 'vitest';
import { matchRoute, safeNext } from './router.ts';

describe('matchRoute', () => {
  it('names the pages the e-mails and the app link to', () => {
    expect(matchRoute('/')).toEqual({ name: 'home' });
    expect(matchRoute('/verify-email')).toEqual({ name: 'verify-email' });
    expect(matchRoute('/reset-password')).toEqual({ name: 'reset-password' });
    expect(matchRoute('/confirm-email')).toEqual({ name: 'confirm-email' });
    expect(matchRoute('/book/')).toEqual({ name: 'book' });
    expect(matchRoute('/appointments/abc-123')).toEqual({ name: 'appointment', id: 'abc-123' });
    expect(matchRoute('/pay/tok_A-b9')).toEqual({ name: 'pay', token: 'tok_A-b9' });
    expect(matchRoute('/pay/tok%2Fx/')).toEqual({ name: 'pay', token: 'tok/x' });
  });

  it('answers not-found for anything else', () => {
    expect(matchRoute('/appointments/a/b')).toEqual({ name: 'not-found' });
    expect(matchRoute('/portal/index.html')).toEqual({ name: 'not-found' });
    expect(matchRoute('/pay')).toEqual({ name: 'not-found' });
    expect(matchRoute('/pay/a/b')).toEqual({ name: 'not-found' });
  });
});

describe('safeNext', () => {
  it('keeps same-origin paths with their query', () => {
    expect(safeNext('/book?specialty=massage&from=2026-12-08')).toBe(
      '/book?specialty=massage&from=2026-12-08',
    );
    expect(safeNext('/appointments')).toBe('/appointments');
  });

  it('never leaves the site nor loops back to login', () => {
    for (const bad of [
      null,
      '',
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      'book',
      '/login',
      '/signup?next=/x',
      '/nope',
    ]) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
  });
});
