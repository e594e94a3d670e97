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

  it('changes only the keys sent, records each in the outbox with its value and audits old → new', async () => {
    const res = await h.req('PATCH', '/api/settings', { faceMaxDistance: 0.5, namePolicy: 'initials' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...DEFAULT_SETTINGS, faceMaxDistance: 0.5, namePolicy: 'initials' });
    await h.req('PATCH', '/api/settings', { faceMaxDistance: 0.52 });

    const outbox = h.deps.db
      .prepare(
        "SELECT entity_id, version, payload, created_at FROM outbox WHERE entity = 'settings' ORDER BY seq",
      )
      .all();
    expect(outbox).toEqual([
      {
        entity_id: 'namePolicy',
        version: 1,
        payload: '{"id":"namePolicy","version":1,"value":"initials"}',
        created_at: '2026-11-21T10:00:00.000Z',
      },
      {
        entity_id: 'faceMaxDistance',
        version: 1,
        payload: '{"id":"faceMaxDistance","version":1,"value":0.5}',
        created_at: '2026-11-21T10:00:00.000Z',
      },
      {
        entity_id: 'faceMaxDistance',
        version: 2,
        payload: '{"id":"faceMaxDistance","version":2,"value":0.52}',
        created_at: '2026-11-21T10:00:00.000Z',
      },
    ]);
    const audit = h.deps.db
      .prepare("SELECT actor, detail FROM audit_log WHERE action = 'settings.update' ORDER BY seq")
      .all();
    expect(audit).toEqual([
      {
        actor: 'desk',
        detail: JSON.stringify({
          namePolicy: { from: 'first_name_initial', to: 'initials' },
          faceMaxDistance: { from: 0.55, to: 0.5 },
        }),
      },
      { actor: 'desk', detail: JSON.stringify({ faceMaxDistance: { from: 0.5, to: 0.52 } }) },
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
