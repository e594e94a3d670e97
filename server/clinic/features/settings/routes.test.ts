/** Medium tests of the settings routes: validation, defaults, outbox rows with values, audit of changes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../domain/settings.ts';
import { createHarness, type Harness } from '../../testing/harness.ts';

const NOW = Date.parse('2026-11-21T10:00:00Z');
let h: Harness;
beforeEach(() => {
  h = createHarness({ now: NOW, seed: false });
});
afterEach(() => h.close());

describe('settings', () => {
  it('answers the defaults on a fresh clinic', async () => {
    expect(await (await h.req('GET', '/api/settings')).json()).toEqual(DEFAULT_SETTINGS);
  });

  it('changes only the keys sent, queues each as stored with its value and audits old → new', async () => {
    const res = await h.req('PATCH', '/api/settings', { faceMaxDistance: 0.5, namePolicy: 'initials' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...DEFAULT_SETTINGS, faceMaxDistance: 0.5, namePolicy: 'initials' });
    const outbox = () =>
      h.deps.db
        .prepare(
          "SELECT entity_id, version, payload, created_at FROM outbox WHERE entity = 'settings' ORDER BY seq",
        )
        .all();
    const at = '2026-11-21T10:00:00.000Z';
    const row = (key: string, value: string, version: number, updated = at) => ({
      entity_id: key,
      version,
      payload: `{"id":"${key}","key":"${key}","value":${value},"updated_at":"${updated}","version":${version}}`,
      created_at: updated,
    });
    expect(outbox()).toEqual([row('namePolicy', '"initials"', 1), row('faceMaxDistance', '0.5', 1)]);

    // A newer version replaces the key's snapshot still queued; a value sent unchanged writes nothing.
    h.setNow(NOW + 60_000);
    await h.req('PATCH', '/api/settings', { faceMaxDistance: 0.52, namePolicy: 'initials' });
    const later = '2026-11-21T10:01:00.000Z';
    expect(outbox()).toEqual([row('namePolicy', '"initials"', 1), row('faceMaxDistance', '0.52', 2, later)]);
    expect(
      h.deps.db.prepare('SELECT key, value, updated_at, version FROM settings ORDER BY key').all(),
    ).toEqual([
      { key: 'faceMaxDistance', value: '0.52', updated_at: later, version: 2 },
      { key: 'namePolicy', value: '"initials"', updated_at: at, version: 1 },
    ]);
    await h.req('PATCH', '/api/settings', { namePolicy: 'initials' });

    const audit = h.deps.db
      .prepare(
        "SELECT at, actor, entity, entity_id, detail FROM audit_log WHERE action = 'settings.update' ORDER BY seq",
      )
      .all();
    expect(audit).toEqual([
      {
        at,
        actor: 'staff:test.admin',
        entity: 'settings',
        entity_id: null,
        detail: JSON.stringify({
          namePolicy: { from: 'first_name_initial', to: 'initials' },
          faceMaxDistance: { from: 0.55, to: 0.5 },
        }),
      },
      {
        at: later,
        actor: 'staff:test.admin',
        entity: 'settings',
        entity_id: null,
        detail: JSON.stringify({ faceMaxDistance: { from: 0.5, to: 0.52 } }),
      },
    ]);
  });

  it('refuses unknown keys and out-of-range values, changing nothing', async () => {
    for (const body of [{ faceMaxDistance: 3 }, { unknownKey: 1 }, { faceDetectorInputSize: 300 }]) {
      const res = await h.req('PATCH', '/api/settings', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(h.deps.db.prepare('SELECT COUNT(*) AS n FROM settings').get()).toEqual({ n: 0 });
  });
});
