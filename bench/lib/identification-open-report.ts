/**
 * Markdown of the open-set pass and the 1:N cost (face.json `openSet`, `oneToNCost`): the tables of
 * sections 4 and 5 of "Face check-in" in `docs/benchmarks.md`.
 */
import type { OpenSetPoint, RuleName } from './identification-open.ts';
import type { OpenSetRow } from './identification-open-run.ts';
import { pct } from './metrics.ts';

/** The parts of face.json `openSet` the tables show. */
export interface OpenSetReportInput {
  protocol: {
    enrolledIdentities: number;
    galleryMembersOnly: number;
    distractors: number;
    galleryIdentities: { templates: number; identities: number; rows: number }[];
    rejectedEnrolmentImages: string[];
    matedSearches: number;
    nonMatedSearches: number;
    framesPerSequence: number;
    extrapolation: { size: number; repeats: number };
  };
  fta: {
    detector: string;
    all: FtaFigures;
    matedProbes: FtaFigures;
  }[];
  rows: OpenSetRow[];
  modelCheck: { templates: number; rule: RuleName; measured: OpenSetPoint; model: OpenSetPoint }[];
  recommended: Recommendation | null;
  recommendedShippedFused: Recommendation | null;
  live: {
    frames: number;
    detectors: {
      detector: string;
      framesWithoutUsableFace: number;
      genuineDistance: { min: number; median: number; max: number };
      framesAtMost055: number;
    }[];
    galleryIdentities: number;
    points: readonly { name: string; detector: string; maxDistance: number; minMargin: number }[];
    steps: {
      step: number;
      windowMs: number;
      windows: number;
      rules: (OpenSetPoint & { rule: RuleName; point: string; gallery: number })[];
    }[];
  };
}

interface Recommendation {
  detector: string;
  templates: number;
  rule: RuleName;
  maxDistance: number;
  minMargin: number;
  gallery500: OpenSetPoint;
  gallery50: OpenSetPoint;
}

interface FtaFigures {
  frames: number;
  fta: number;
  ftaRate: number;
  sequences: number;
  sequencesBelow: number;
  firstFrameFta: number;
  sequencesNotAllUsable: number;
  byReason: Record<string, number>;
  bySource: Record<string, number>;
  ms: { median: number; p95: number };
}

/** One row of face.json `oneToNCost`. */
export interface CostRow {
  identities: number;
  templates: number;
  rows: number;
  frames: number;
  identityDistancesPerFrame: Stat;
  decision: Stat;
  fuseDistances: Stat;
  nearestTwo: Stat;
  flatLoop: Stat;
}
interface Stat {
  medianMs: number;
  p95Ms: number;
  n: number;
}

const RULE_LABEL: Record<RuleName, string> = {
  single: 'single frame (first)',
  streak: 'streak (all 6 match, old)',
  fused: 'fused distances',
  meanDescriptor: 'mean descriptor (the kiosk)',
};

/** "misses / mated (FNMR)", e.g. "3 / 82 (3.7 %)". */
const fnmrCell = (p: OpenSetPoint) => `${p.misses} / ${p.mated} (${pct(p.fnmr)})`;
/** "false positives / non-mated (FPIR)". */
const fpirCell = (p: OpenSetPoint) => `${p.falsePositives} / ${p.nonMated} (${pct(p.fpir, 2)})`;

function find(rows: readonly OpenSetRow[], q: Partial<OpenSetRow>): OpenSetRow | undefined {
  return rows.find((r) =>
    Object.entries(q).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v),
  );
}

/** The Markdown tables of section 4 (open-set identification). */
export function openSetMarkdown(r: OpenSetReportInput, defaults: { maxDistance: number; minMargin: number }) {
  const lines: string[] = [];
  const p = r.protocol;
  const shipped = r.fta[0]!.detector;
  const g50 = (templates: number) => p.galleryIdentities.find((g) => g.templates === templates)?.identities;
  const big = p.extrapolation.size;
  lines.push(
    `### 4. Open-set identification as the kiosk decides`,
    '',
    `${p.enrolledIdentities} identities enrolled from their first 1 or 3 photos, ${p.galleryMembersOnly} more ` +
      `from their first photo (gallery members only) and ${p.distractors} distractor faces: gallery of ${g50(3)}. ` +
      `${p.matedSearches} mated searches, ${p.nonMatedSearches} non-mated (every photo's sequence with its own ` +
      `identity removed). Each search = ${p.framesPerSequence} kiosk frames. Gallery ${big} is an extrapolation ` +
      `(${p.extrapolation.repeats} seeded repeats; see Method). Enrolment photos refused by the desk's rule: ` +
      `${p.rejectedEnrolmentImages.join(', ') || 'none'}.`,
    '',
    '#### Failures to acquire per detector setting (frames with no usable face after `selectFace`)',
    '',
    '| detector | frames without a usable face | of them faceapi_bbt | no face / too small / multiple | first frame | sequences with < 3 usable | mated probes: frames / sequences < 3 | ms per frame (median / p95) |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const f of r.fta) {
    const a = f.all;
    const reason = (k: string) => a.byReason[k] ?? 0;
    lines.push(
      `| ${f.detector} | ${a.fta} / ${a.frames} (${pct(a.ftaRate)}) | ${a.bySource.faceapi_bbt ?? 0} | ` +
        `${reason('no_face')} / ${reason('too_small')} / ${reason('multiple_faces')} | ${a.firstFrameFta} / ${a.sequences} | ` +
        `${a.sequencesBelow} | ${f.matedProbes.fta} / ${f.matedProbes.frames}, ${f.matedProbes.sequencesBelow} | ` +
        `${a.ms.median.toFixed(0)} / ${a.ms.p95.toFixed(0)} |`,
    );
  }

  for (const templates of [3, 1]) {
    lines.push(
      '',
      `#### FNMR at FPIR ≤ 0.5 %: ${shipped}, ${templates} template${templates > 1 ? 's' : ''} per enrolled identity`,
      '',
      `| rule | min margin | gallery ${g50(templates)}: max distance | FNMR | FPIR | gallery ${big}\\*: max distance | FNMR | FPIR | wrong identity (${g50(templates)} / ${big}\\*) | at max distance ${defaults.maxDistance}: FNMR / FPIR (${g50(templates)}) | same (${big}\\*) |`,
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const rule of ['single', 'streak', 'fused', 'meanDescriptor'] as const) {
      for (const m of [0, 0.03, 0.05]) {
        const a = find(r.rows, { detector: shipped, templates, rule, minMargin: m, gallery: g50(templates) });
        const b = find(r.rows, { detector: shipped, templates, rule, minMargin: m, gallery: big });
        if (!a || !b) continue;
        const t = (x: OpenSetPoint | null) => (x ? x.maxDistance.toFixed(3) : 'none');
        const c = (x: OpenSetPoint | null, f: (p: OpenSetPoint) => string) => (x ? f(x) : '—');
        lines.push(
          `| ${RULE_LABEL[rule]} | ${m} | ${t(a.atTarget)} | ${c(a.atTarget, fnmrCell)} | ${c(a.atTarget, fpirCell)} | ` +
            `${t(b.atTarget)} | ${c(b.atTarget, fnmrCell)} | ${c(b.atTarget, fpirCell)} | ` +
            `${a.atTarget?.wrongIdentity ?? '—'} / ${b.atTarget?.wrongIdentity ?? '—'} | ` +
            `${pct(a.atDefaultDistance.fnmr)} / ${pct(a.atDefaultDistance.fpir, 2)} | ` +
            `${pct(b.atDefaultDistance.fnmr)} / ${pct(b.atDefaultDistance.fpir, 2)} |`,
        );
      }
    }
  }

  lines.push(
    '',
    `#### Lowest FNMR at FPIR ≤ 0.5 % and no wrong identity, gallery ${big}\\* (best margin of 0 / 0.03 / 0.05 per cell: FNMR, max distance / margin)`,
    '',
    '| detector | templates | single frame | streak | fused | mean descriptor |',
    '|---|---|---|---|---|---|',
  );
  for (const f of r.fta) {
    for (const templates of [1, 3]) {
      const cells = (['single', 'streak', 'fused', 'meanDescriptor'] as const).map((rule) => {
        const best = r.rows
          .filter(
            (x) =>
              x.detector === f.detector &&
              x.templates === templates &&
              x.rule === rule &&
              x.gallery === big &&
              x.atTargetNoWrong,
          )
          .sort((a, b) => a.atTargetNoWrong!.fnmr - b.atTargetNoWrong!.fnmr || b.minMargin - a.minMargin)[0];
        const q = best?.atTargetNoWrong;
        return best && q ? `${pct(q.fnmr)} (${q.maxDistance.toFixed(3)} / ${best.minMargin})` : 'none';
      });
      lines.push(`| ${f.detector} | ${templates} | ${cells.join(' | ')} |`);
    }
  }

  lines.push(
    '',
    `#### Check of the extrapolation: the model drawn at the measured size vs the measurement (${shipped}, max distance ${defaults.maxDistance}, margin ${defaults.minMargin})`,
    '',
    '| templates | rule | measured FNMR | model FNMR | measured FPIR | model FPIR |',
    '|---|---|---|---|---|---|',
  );
  for (const c of r.modelCheck) {
    lines.push(
      `| ${c.templates} | ${RULE_LABEL[c.rule]} | ${pct(c.measured.fnmr)} | ${pct(c.model.fnmr)} | ${pct(c.measured.fpir, 2)} | ${pct(c.model.fpir, 2)} |`,
    );
  }

  const l = r.live;
  lines.push(
    '',
    `#### The real recorded clip (one person): ${l.frames} frames`,
    '',
    '| detector | frames without a usable face | distance to the enrolment photo (min / median / max) | frames ≤ 0.55 |',
    '|---|---|---|---|',
  );
  for (const d of l.detectors) {
    const g = d.genuineDistance;
    lines.push(
      `| ${d.detector} | ${d.framesWithoutUsableFace} | ${g.min} / ${g.median} / ${g.max} | ${d.framesAtMost055} / ${l.frames} |`,
    );
  }
  const head = l.points.map((p) => `${p.name} (${p.detector}, ${p.maxDistance} / ${p.minMargin})`);
  lines.push(
    '',
    `FNMR of the windows: gallery ${l.galleryIdentities} · gallery ${big}\\*`,
    '',
    `| frames every | window | windows | rule | ${head.join(' | ')} |`,
    `|---|---|---|---|${head.map(() => '---|').join('')}`,
  );
  for (const s of l.steps) {
    for (const rule of ['single', 'streak', 'fused', 'meanDescriptor'] as const) {
      const cell = (point: string) => {
        const a = s.rules.find((x) => x.rule === rule && x.point === point && x.gallery !== big);
        const b = s.rules.find((x) => x.rule === rule && x.point === point && x.gallery === big);
        return a && b ? `${a.misses} / ${a.mated} (${pct(a.fnmr)}) · ${pct(b.fnmr)}` : '—';
      };
      lines.push(
        `| ${s.step} | ${s.windowMs} ms | ${s.windows} | ${RULE_LABEL[rule]} | ${l.points.map((p) => cell(p.name)).join(' | ')} |`,
      );
    }
  }

  const describe = (label: string, rec: Recommendation | null) =>
    rec
      ? `${label}: ${rec.detector}, ${rec.templates} templates, ${RULE_LABEL[rec.rule]}, max distance ${rec.maxDistance}, ` +
        `min margin ${rec.minMargin}: gallery ${big}\\* FNMR ${fnmrCell(rec.gallery500)}, FPIR ${fpirCell(rec.gallery500)}, ` +
        `wrong identity ${rec.gallery500.wrongIdentity}; gallery ${g50(rec.templates)} FNMR ${fnmrCell(rec.gallery50)}, ` +
        `FPIR ${fpirCell(rec.gallery50)}, wrong identity ${rec.gallery50.wrongIdentity}.`
      : `${label}: no setting met FPIR ≤ 0.5 % with no wrong identity at gallery ${big}\\*.`;
  lines.push(
    '',
    describe('Lowest FNMR at FPIR ≤ 0.5 % and no wrong identity (gallery ' + big + '*)', r.recommended),
    '',
    describe('The same for the kiosk as shipped (fused, ' + shipped + ')', r.recommendedShippedFused),
    '',
    `\\* gallery ${big}: extrapolated, not measured.`,
  );
  return lines.join('\n');
}

/** The Markdown table of section 5 (1:N cost), ms median / p95. */
export function costMarkdown(rows: readonly CostRow[]): string {
  const cell = (s: Stat) => `${s.medianMs.toFixed(3)} / ${s.p95Ms.toFixed(3)}`;
  const lines = [
    `### 5. 1:N cost, ms (median / p95)`,
    '',
    `| identities | templates | rows | identityDistances, per frame | decision: ${rows[0]?.frames ?? 6} × identityDistances + fuseDistances | fuseDistances alone | nearestTwo, one frame | bare flat loop, one frame | repeats |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.identities.toLocaleString('en-US')} | ${r.templates} | ${r.rows.toLocaleString('en-US')} | ${cell(r.identityDistancesPerFrame)} | ${cell(r.decision)} | ${cell(r.fuseDistances)} | ${cell(r.nearestTwo)} | ${cell(r.flatLoop)} | ${r.decision.n} |`,
    );
  }
  return lines.join('\n');
}
