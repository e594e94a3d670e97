/**
 * `npm run fuzz`: the long version of the route fuzzers (server/clinic/fuzz.test.ts,
 * server/central/fuzz.test.ts). CI runs them with a fixed seed and a few requests per route; this runs
 * `--runs` requests per route (default 50) from `--seed` (default: a random one), and prints the seed
 * first so a failure can be replayed with `npm run fuzz -- --seed <n>`. With DATABASE_URL set the
 * central suite runs on PostgreSQL too.
 *
 * Usage: npm run fuzz [-- --seed <n>] [--runs <n>] [--only clinic|central]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = values.runs ?? '50';
if (!/^\d+$/.test(seed) || !/^\d+$/.test(runs)) {
  console.error('--seed and --runs take whole numbers');
  process.exit(2);
}
const files = [
  ...(values.only !== 'central' ? ['server/clinic/fuzz.test.ts'] : []),
  ...(values.only !== 'clinic' ? ['server/central/fuzz.test.ts'] : []),
];
console.log(
  `fuzz: seed ${seed}, ${runs} requests per route (replay: npm run fuzz -- --seed ${seed} --runs ${runs}${values.only ? ` --only ${values.only}` : ''})`,
);
const result = spawnSync('npx', ['vitest', 'run', ...files], {
  stdio: 'inherit',
  env: { ...process.env, CFD_FUZZ_SEED: seed, CFD_FUZZ_RUNS: runs },
});
console.log(`fuzz: seed ${seed}, ${runs} requests per route — ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
