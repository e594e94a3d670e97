/**
 * The sync contracts (server/domain/sync.ts): typed pairing codes are normalised (case, dashes, spaces,
 * Crockford look-alikes), the push body takes at most 500 entries shaped as the clinic's OutboxEntry,
 * and the pull query's defaults and bounds.
 */
import { describe, expect, it } from 'vitest';
import {
  normalisePairingCode,
  outboxEntrySchema,
  PAIRING_CODE_ALPHABET,
  pullQuery,
  pushInput,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
  SYNC_PUSH_FORMAT,
} from './sync.ts';

const entry = {
  seq: 7,
  id: '0194f0c2-0000-7000-8000-000000000001',
  entity: 'appointment',
  entityId: '0194f0c2-0000-7000-8000-000000000002',
  op: 'upsert',
  version: 5,
  payload: { id: '0194f0c2-0000-7000-8000-000000000002', version: 5, status: 'done' },
  createdAt: '2026-11-23T09:00:00.000Z',
};

describe('sync contracts', () => {
  it('names protocol 1, its header and outbox format 1', () => {
    expect([SYNC_PROTOCOL_VERSION, SYNC_PROTOCOL_HEADER, SYNC_PUSH_FORMAT]).toEqual([
      1,
      'x-cfd-sync-protocol',
      1,
    ]);
    expect(PAIRING_CODE_ALPHABET).toHaveLength(32);
    expect(PAIRING_CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('normalises a typed pairing code', () => {
    expect(normalisePairingCode('ab3k-9 xz0o1')).toBe('AB3K9XZ001');
    expect(normalisePairingCode('il-LO')).toBe('1110');
  });

  it("accepts the clinic's OutboxEntry and refuses a wrong op, version 0 or a non-UUID id", () => {
    expect(outboxEntrySchema.parse(entry)).toEqual(entry);
    expect(outboxEntrySchema.safeParse({ ...entry, op: 'merge' }).success).toBe(false);
    expect(outboxEntrySchema.safeParse({ ...entry, version: 0 }).success).toBe(false);
    expect(outboxEntrySchema.safeParse({ ...entry, id: 'e-1' }).success).toBe(false);
  });

  it('takes at most 500 entries a push', () => {
    expect(pushInput.safeParse({ format: 1, entries: Array(500).fill(entry) }).success).toBe(true);
    expect(pushInput.safeParse({ format: 1, entries: Array(501).fill(entry) }).success).toBe(false);
  });

  it('defaults the pull to cursor 0, limit 500, and bounds the limit to 1…1000', () => {
    expect(pullQuery.parse({})).toEqual({ cursor: 0, limit: 500 });
    expect(pullQuery.parse({ cursor: '42', limit: '1000' })).toEqual({ cursor: 42, limit: 1000 });
    expect(pullQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(pullQuery.safeParse({ limit: '1001' }).success).toBe(false);
  });
});
