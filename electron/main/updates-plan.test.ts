/** Small tests of the auto-update decision (./updates-plan.ts): off unless packaged with a valid feed. */
import { describe, expect, it } from 'vitest';
import { UPDATE_CHECK_INTERVAL_MS, updatePlan } from './updates-plan.ts';

const packaged = { isPackaged: true, platform: 'linux' as const };

describe('updatePlan', () => {
  it('does nothing without a feed URL, even when packaged', () => {
    expect(updatePlan({ ...packaged, feedUrl: undefined })).toEqual({ check: false, reason: 'no-feed' });
    expect(updatePlan({ ...packaged, feedUrl: '   ' })).toEqual({ check: false, reason: 'no-feed' });
  });

  it('does nothing in a development run, even with a feed URL', () => {
    expect(updatePlan({ isPackaged: false, platform: 'linux', feedUrl: 'https://u.example/cfd' })).toEqual({
      check: false,
      reason: 'not-packaged',
    });
  });

  it('checks the generic feed on Windows, macOS and Linux, trimming a trailing slash', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      expect(
        updatePlan({ isPackaged: true, platform, feedUrl: ' https://updates.example.pt/cfd/ ' }),
      ).toEqual({
        check: true,
        feed: { provider: 'generic', url: 'https://updates.example.pt/cfd' },
      });
    }
    expect(updatePlan({ isPackaged: true, platform: 'freebsd', feedUrl: 'https://u.example/cfd' })).toEqual({
      check: false,
      reason: 'unsupported-platform',
    });
  });

  it('refuses feeds that are not https (plain http only on loopback) or that carry credentials', () => {
    const reason = (feedUrl: string) => {
      const plan = updatePlan({ ...packaged, feedUrl });
      return plan.check ? 'check' : plan.reason;
    };
    expect(reason('http://updates.example.pt/cfd')).toBe('invalid-feed');
    expect(reason('ftp://updates.example.pt/cfd')).toBe('invalid-feed');
    expect(reason('not a url')).toBe('invalid-feed');
    expect(reason('https://user:secret@updates.example.pt/cfd')).toBe('invalid-feed');
    expect(reason('http://127.0.0.1:8080/feed')).toBe('check');
    expect(reason('http://localhost:8080/feed')).toBe('check');
  });

  it('re-checks every six hours', () => {
    expect(UPDATE_CHECK_INTERVAL_MS).toBe(21_600_000);
  });
});
