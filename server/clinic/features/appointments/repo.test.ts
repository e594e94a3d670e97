/** Small tests of the appointments SQL: the check-in's ticket lookup searches its index (migration 0160). */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/database.ts';
import { LAST_TICKET_SQL } from './repo.ts';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

it("finds the day's last ticket through the partial index on arrival time, without a table scan", () => {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${LAST_TICKET_SQL}`).all('a', 'b') as { detail: string }[];
  expect(plan.map((p) => p.detail)).toEqual([
    'SEARCH appointments USING INDEX appointments_ticket_arrived_at (arrived_at>? AND arrived_at<?)',
  ]);
});
