/**
 * The face benchmark's printed report: the machine it ran on, a heading, and the Markdown summary of
 * face.json (timing, verification, identification and detection tables) that is copied into
 * `docs/benchmarks.md`.
 */
import os from 'node:os';
import type { FaceEngineInfo } from '../../server/clinic/face/engine.ts';
import { DEFAULT_MATCH, TINY_INPUT_SIZE, TINY_MIN_SCORE } from './config.ts';
import type { DetectionSummary } from './describe.ts';
import { pct, round } from './metrics.ts';
import type { IdentificationResult, Summary, VerificationResult } from './metrics.ts';
import type { TimingResult } from './pipelines.ts';

/** face.json `machine`: CPU model, core counts, memory in GiB (1 decimal), OS and Node versions. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** The 1, 5 and 15-minute load averages now (2 decimals): other work competing for the cores. */
export function loadAverage(): number[] {
  return os.loadavg().map((x) => round(x, 2));
}

/** `machineInfo` plus the load averages at the start of a run (given) and at its end (now). */
export function machineUnderLoad(loadAverageAtStart: number[]) {
  return { ...machineInfo(), loadAverageAtStart, loadAverageAtEnd: loadAverage() };
}

/** The Markdown heading line: date (YYYY-MM-DD of the ISO `date`), machine, Node, backend and versions. */
export function markdownHeading(r: {
  date: string;
  machine: { cpu: string; cores: number; node: string };
  engine: FaceEngineInfo;
}): string {
  return (
    `## Face benchmark, ${r.date.slice(0, 10)}: ${r.machine.cpu}, ${r.machine.cores} cores, ` +
    `Node ${r.machine.node}, backend ${r.engine.backend} (face-api ${r.engine.faceApiVersion}, tfjs ${r.engine.tfjsVersion})`
  );
}

/** The parts of face.json that the summary shows. */
export interface SummaryInput {
  timing: TimingResult;
  verification: VerificationResult;
  identification: IdentificationResult & {
    galleryEntries: number;
    enrolledIdentities: number;
    distractors: number;
  };
  detection: DetectionSummary;
}

/** The Markdown tables of a run (no heading): ms as median / p95, rates as percentages ('n/a' for NaN). */
export function markdownSummary(r: SummaryInput): string {
  const lines: string[] = [];
  const t = r.timing;
  const cell = (s: Summary | undefined) => (s ? `${s.median.toFixed(1)} / ${s.p95.toFixed(1)}` : '—');
  lines.push(
    `### Frame → candidate, ms (median / p95), ${t.framesWithFaceInAllPipelines} frames with a face in all three pipelines`,
    '',
    `| stage | ours, tiny ${TINY_INPUT_SIZE} (score ≥ ${TINY_MIN_SCORE}) | ours, SSD | face-api stock (SSD) |`,
    '|---|---|---|---|',
  );
  const p = t.pipelines;
  for (const stage of ['decode', 'detect', 'landmarks', 'descriptor', 'faceapi', 'match', 'total']) {
    const label = stage === 'faceapi' ? 'detect + landmarks + descriptor' : stage;
    lines.push(
      `| ${label} | ${cell(p.tiny.stages[stage])} | ${cell(p.ssd.stages[stage])} | ${cell(p.stock.stages[stage])} |`,
    );
  }
  lines.push(
    '',
    `Outcome per frame (${t.frames} frames, decideMatch max distance ${DEFAULT_MATCH.maxDistance}, min margin ${DEFAULT_MATCH.minMargin}, gallery ${t.galleryEntries}):`,
    '',
    '| pipeline | correct | wrong | no match | no face |',
    '|---|---|---|---|---|',
  );
  for (const name of ['tiny', 'ssd', 'stock'] as const) {
    const o = p[name].outcomes;
    lines.push(`| ${name} | ${o.correct} | ${o.wrong} | ${o.no_match} | ${o.no_face} |`);
  }

  const v = r.verification;
  lines.push(
    '',
    `### Verification (1:1): ${v.genuinePairs} genuine pairs, ${v.impostorPairsAll} impostor pairs (all different-identity pairs)`,
    '',
    '| operating point | threshold | FNMR | FMR |',
    '|---|---|---|---|',
  );
  for (const a of v.atFmr) {
    lines.push(
      `| FMR ≤ ${pct(a.targetFmr)} | ${a.threshold.toFixed(4)} | ${pct(a.fnmr)} | ${pct(a.fmr, 2)} |`,
    );
  }
  lines.push(`| EER | ${v.eer.threshold.toFixed(4)} | ${pct(v.eer.fnmr)} | ${pct(v.eer.fmr, 2)} |`);
  lines.push(
    '',
    '| threshold | FNMR | FMR (all impostor pairs) | FMR (pairs.csv impostors) |',
    '|---|---|---|---|',
  );
  for (const f of v.fixed) {
    lines.push(`| ${f.threshold} | ${pct(f.fnmr)} | ${pct(f.fmrAllPairs, 2)} | ${pct(f.fmrPairsCsv, 2)} |`);
  }

  const id = r.identification;
  lines.push(
    '',
    `### Identification (1:N): gallery ${id.galleryEntries} (${id.enrolledIdentities} enrolled + ${id.distractors} distractors), ${id.probes} probes`,
    '',
    `Rank-1: ${pct(id.rank1)}`,
    '',
    '| max distance | min margin | correct accept | wrong accept | reject (distance / margin) | not enrolled: false accept |',
    '|---|---|---|---|---|---|',
  );
  for (const g of id.grid) {
    lines.push(
      `| ${g.maxDistance} | ${g.minMargin} | ${pct(g.correctAccept)} | ${pct(g.wrongAccept)} | ${pct(g.reject)} (${pct(g.rejectByDistance)} / ${pct(g.rejectByMargin)}) | ${pct(g.unenrolledFalseAccept)} |`,
    );
  }

  const d = r.detection;
  lines.push(
    '',
    `### Detection on the original images (SSD, min score 0.5): ${d.images} images`,
    '',
    `No face at default settings: ${d.noFaceWithoutBorder} (${Object.entries(d.noFaceWithoutBorderBySource)
      .map(([s, n]) => `${s} ${n}`)
      .join(
        ', ',
      )}); still none with the 50 % border: ${d.noFaceWithBorder} (${d.noFaceWithBorderPaths.join(', ') || 'none'}).`,
  );
  return lines.join('\n');
}
