/**
 * The wait benchmark's printed report: the Markdown summary of wait.json (estimators × metrics, ours by
 * situation, the simulated world, the learning grid with its pick and Pareto front, the sensitivity
 * scenarios, and the timing) that is copied into `docs/benchmarks.md`. Pure: builds strings only.
 */
import type { DurationLearning } from '../../server/domain/wait.ts';
import { pct } from './metrics.ts';
import type { WaitErrorMetrics, WaitTargets, WorldStats } from './wait-metrics.ts';
import { BASELINE_A, BASELINE_B, OURS, type GridRow, type ScenarioResult } from './wait-run.ts';
import type { TimingResult } from './wait-timing.ts';

/** The parts of wait.json the summary shows. */
export interface WaitSummaryInput {
  date: string;
  machine: { cpu: string; cores: number; node: string };
  days: number;
  historyDays: number;
  targets: WaitTargets;
  learning: DurationLearning;
  averageBookedMin: number;
  main: ScenarioResult;
  gridPick: { row: DurationLearning & WaitErrorMetrics; rule: string } | null;
  paretoFront: (DurationLearning & WaitErrorMetrics)[];
  assumedWorld: {
    scenario: string;
    change: string;
    grid: GridRow[];
    gridPick: { row: DurationLearning & WaitErrorMetrics; rule: string } | null;
    paretoFront: (DurationLearning & WaitErrorMetrics)[];
  };
  sensitivity: ScenarioResult[];
  timing: { busiest: TimingResult; rush: TimingResult };
}

/** Minutes with 2 decimals. */
export function minutes(x: number): string {
  return Number.isNaN(x) ? 'n/a' : x.toFixed(2);
}

/** A learning setting as `α 0.2 · n 5 · k 0.5`. */
export function settingLabel(l: DurationLearning): string {
  return `α ${l.alpha} · n ${l.minSamples} · k ${l.deviationFactor}`;
}

/** Whether two learning settings are equal field by field. */
export function sameSetting(a: DurationLearning, b: DurationLearning): boolean {
  return a.alpha === b.alpha && a.minSamples === b.minSamples && a.deviationFactor === b.deviationFactor;
}

function metricCells(m: WaitErrorMetrics): string {
  return `${m.checkIns} | ${minutes(m.maeMin)} | ${minutes(m.p90AbsErrorMin)} | ${minutes(m.meanErrorMin)} | ${pct(m.underShare)} | ${pct(m.lateSurpriseShare)} | ${pct(m.inBandShare)}`;
}

const METRIC_HEAD =
  'check-ins | MAE (min) | p90 \\|error\\| (min) | mean error (min) | under-predicted | > 5 min late | in band shown';

function worldLines(w: WorldStats): string[] {
  return [
    '| booked / day | check-ins / day | walk-ins / day (share of check-ins) | walk-ins turned away / day | no-shows | actual wait: mean / median / p90 / max (min) | last session ends (mean / latest) |',
    '|---|---|---|---|---|---|---|',
    `| ${w.bookedPerDay} | ${w.checkInsPerDay} | ${w.walkInsPerDay} (${pct(w.walkInShare)}) | ${w.turnedAwayPerDay} | ${pct(w.noShowShare)} | ${w.actualWaitMin.mean} / ${w.actualWaitMin.median} / ${w.actualWaitMin.p90} / ${w.actualWaitMin.max} | ${hours(w.lastEndHour.mean)} / ${hours(w.lastEndHour.max)} |`,
  ];
}

/** Hours after midnight as `HH:MM`, e.g. 18.5 → '18:30'. */
export function hours(h: number): string {
  const total = Math.round(h * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** The Markdown tables of a run (no top-level heading). */
export function waitMarkdownSummary(r: WaitSummaryInput): string {
  const lines: string[] = [];
  const m = r.main;
  lines.push(
    `Run of ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}. ` +
      `${r.days} simulated days (seeds 1..${r.days}), ours learning from the last ${r.historyDays} days plus today ` +
      `(${settingLabel(r.learning)}: DEFAULT_DURATION_LEARNING). Targets for ours: MAE ≤ ${r.targets.maeMin} min, ` +
      `under-predicted ≤ ${pct(r.targets.underShare, 0)}.`,
    '',
    '#### Estimators, default clinic',
    '',
    `| estimator | ${METRIC_HEAD} |`,
    '|---|---|---|---|---|---|---|---|',
  );
  const label: Record<string, string> = {
    [OURS]: '**ours** (estimateWaits + learnDurations)',
    [BASELINE_A]: `A: position × average duration (${r.averageBookedMin} min)`,
    [BASELINE_B]: 'B: booked time only',
  };
  for (const name of [OURS, BASELINE_A, BASELINE_B]) {
    lines.push(`| ${label[name]} | ${metricCells(m.estimators[name]!)} |`);
  }
  lines.push(
    '',
    'Booked patients and walk-ins apart (MAE min / under-predicted):',
    '',
    '| estimator | booked | walk-ins |',
    '|---|---|---|',
  );
  for (const name of [OURS, BASELINE_A, BASELINE_B]) {
    const e = m.estimators[name]!;
    lines.push(
      `| ${label[name]} | ${minutes(e.booked.maeMin)} / ${pct(e.booked.underShare)} (${e.booked.checkIns}) | ${minutes(e.walkIns.maeMin)} / ${pct(e.walkIns.underShare)} (${e.walkIns.checkIns}) |`,
    );
  }
  lines.push(
    '',
    "Ours by what bound its predicted start (the check-in's situation):",
    '',
    `| situation | share | ${METRIC_HEAD} |`,
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const [tag, t] of Object.entries(m.oursBySituation)) {
    lines.push(`| ${tag} | ${pct(t.share)} | ${metricCells(t)} |`);
  }
  lines.push('', 'The simulated days:', '', ...worldLines(m.world));

  lines.push(
    '',
    `#### Learning grid (ours, default clinic): ${m.grid.length} settings`,
    '',
    `| α | n | k | MAE (min) | p90 \\|error\\| (min) | mean error (min) | under-predicted | > 5 min late | in band shown | waiting for the practitioner: MAE / under-predicted |`,
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const g of m.grid) {
    const mark = sameSetting(g, r.learning) ? ' (default)' : '';
    lines.push(
      `| ${g.alpha}${mark} | ${g.minSamples} | ${g.deviationFactor} | ${minutes(g.maeMin)} | ${minutes(g.p90AbsErrorMin)} | ${minutes(g.meanErrorMin)} | ${pct(g.underShare)} | ${pct(g.lateSurpriseShare)} | ${pct(g.inBandShare)} | ${minutes(g.practitionerBound.maeMin)} / ${pct(g.practitionerBound.underShare)} |`,
    );
  }
  lines.push('');
  if (r.gridPick) {
    const p = r.gridPick.row;
    lines.push(
      `Pick (${r.gridPick.rule}): ${settingLabel(p)}: MAE ${minutes(p.maeMin)} min, under-predicted ${pct(p.underShare)}.`,
    );
  } else {
    lines.push('Pick: none (no setting meets either target).');
  }
  lines.push(
    `Pareto front (MAE vs under-predicted): ${r.paretoFront.map((p) => `${settingLabel(p)} (${minutes(p.maeMin)} min, ${pct(p.underShare)})`).join('; ')}.`,
  );

  const a = r.assumedWorld;
  lines.push(
    '',
    `#### Learning grid again, "${a.scenario}": ${a.change}`,
    '',
    '| k \\ α, n | ' +
      a.grid
        .filter((g) => g.deviationFactor === a.grid[0]!.deviationFactor)
        .map((g) => `α ${g.alpha}, n ${g.minSamples}`)
        .join(' | ') +
      ' |',
  );
  const columns = a.grid.filter((g) => g.deviationFactor === a.grid[0]!.deviationFactor);
  lines.push(`|---|${columns.map(() => '---').join('|')}|`);
  for (const k of [...new Set(a.grid.map((g) => g.deviationFactor))]) {
    const cells = columns.map((c) => {
      const g = a.grid.find(
        (x) => x.alpha === c.alpha && x.minSamples === c.minSamples && x.deviationFactor === k,
      );
      return g ? `${minutes(g.maeMin)} / ${pct(g.underShare)}` : '—';
    });
    lines.push(`| k ${k} | ${cells.join(' | ')} |`);
  }
  lines.push('', 'Cells: MAE (min) / under-predicted.');
  if (a.gridPick) {
    const p = a.gridPick.row;
    lines.push(
      `Pick (${a.gridPick.rule}): ${settingLabel(p)}: MAE ${minutes(p.maeMin)} min, under-predicted ${pct(p.underShare)}, in band ${pct(p.inBandShare)}.`,
    );
  } else {
    lines.push('Pick: none (no setting meets either target).');
  }

  lines.push(
    '',
    `#### Sensitivity: ${r.days} days per scenario, ${r.historyDays} days of history unless said`,
    '',
    '| scenario | change | check-ins / day | walk-ins | mean actual wait (min) | ours MAE / under / in band | A MAE / under / in band | B MAE / under / in band |',
    '|---|---|---|---|---|---|---|---|',
  );
  const cell = (e: WaitErrorMetrics) => `${minutes(e.maeMin)} / ${pct(e.underShare)} / ${pct(e.inBandShare)}`;
  for (const s of r.sensitivity) {
    lines.push(
      `| ${s.name} | ${s.change} | ${s.world.checkInsPerDay} | ${pct(s.world.walkInShare)} | ${s.world.actualWaitMin.mean} | ${cell(s.estimators[OURS]!)} | ${cell(s.estimators[BASELINE_A]!)} | ${cell(s.estimators[BASELINE_B]!)} |`,
    );
  }
  const frontNames = r.sensitivity[0]?.grid ?? [];
  if (frontNames.length > 0) {
    lines.push(
      '',
      "Ours under the picks of both grids and the two ends of the first grid's Pareto front, in every scenario (MAE min / under-predicted):",
      '',
      `| scenario | ${frontNames.map(settingLabel).join(' | ')} |`,
      `|---|${frontNames.map(() => '---').join('|')}|`,
    );
    for (const s of r.sensitivity) {
      lines.push(
        `| ${s.name} | ${s.grid.map((g) => `${minutes(g.maeMin)} / ${pct(g.underShare)}`).join(' | ')} |`,
      );
    }
  }

  const { busiest, rush } = r.timing;
  lines.push(
    '',
    `#### Cost of one call, µs (median / p95)`,
    '',
    `| call | busiest simulated check-in (${busiest.activeVisits} active visits) | synthetic rush (${rush.activeVisits} active visits) |`,
    '|---|---|---|',
  );
  for (const name of Object.keys(busiest.costs)) {
    const a = busiest.costs[name]!;
    const b = rush.costs[name];
    lines.push(
      `| ${name} | ${a.medianUs.toFixed(2)} / ${a.p95Us.toFixed(2)} | ${b ? `${b.medianUs.toFixed(2)} / ${b.p95Us.toFixed(2)}` : '—'} |`,
    );
  }
  lines.push(
    '',
    `${busiest.practitioners} practitioners, a history of ${busiest.historySamples} sessions; ${busiest.samples} samples ` +
      `of ${busiest.batch} calls each after ${busiest.warmup} warm-up rounds, the three calls interleaved.`,
  );
  return lines.join('\n');
}
