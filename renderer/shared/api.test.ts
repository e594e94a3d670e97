/**
 * Small tests of `sendOnce`: a creating POST whose answer is lost is sent again with the same
 * idempotency key, a set number of times; an HTTP answer (any status) is never resent.
 */
import { describe, expect, it } from 'vitest';
import { newIdempotencyKey, sendOnce } from './api.ts';

describe('sendOnce', () => {
  it('resends after network failures with one and the same key, then answers', async () => {
    const keys: string[] = [];
    const answer = await sendOnce(
      async ({ headers }) => {
        keys.push(headers['Idempotency-Key']!);
        if (keys.length < 3) throw new TypeError('fetch failed');
        return { status: 201 };
      },
      2,
      0,
    );
    expect(answer).toEqual({ status: 201 });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives up after its retries with the last network error, and never resends an HTTP answer', async () => {
    let calls = 0;
    await expect(
      sendOnce(
        async () => {
          calls++;
          throw new TypeError(`fetch failed ${calls}`);
        },
        2,
        0,
      ),
    ).rejects.toThrow('fetch failed 3');
    calls = 0;
    const answer = await sendOnce(
      async () => {
        calls++;
        return { status: 500 };
      },
      2,
      0,
    );
    expect([answer.status, calls]).toEqual([500, 1]);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
