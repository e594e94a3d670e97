/** Unit tests of the printed report: heading and Markdown tables from a small hand-built result. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH, TINY_INPUT_SIZE, TINY_MIN_SCORE } from './config.ts';
import { markdownHeading, markdownSummary } from './report.ts';
import type { SummaryInput } from './report.ts';

const s = (median: number, p95: number) => ({ median, p95 });

const input: SummaryInput = {
  timing: {
    frames: 3,
    warmupFrames: 1,
    framesWithFaceInAllPipelines: 2,
    matchThresholds: DEFAULT_MATCH,
    galleryEntries: 4,
    tensorsLeaked: 0,
    pipelines: {
      tiny: {
        stages: { decode: s(1, 2), detect: s(40.25, 60), match: s(0.1, 0.2), total: s(50, 70.5) },
        outcomes: { correct: 2, wrong: 0, no_match: 1, no_face: 0 },
      },
      ssd: {
        stages: { decode: s(1, 2), total: s(300, 400) },
        outcomes: { correct: 3, wrong: 0, no_match: 0, no_face: 0 },
      },
      stock: {
        stages: { decode: s(1, 2), faceapi: s(350, 420), total: s(352, 423) },
        outcomes: { correct: 1, wrong: 1, no_match: 0, no_face: 1 },
      },
    },
    perFrame: [],
  },
  verification: {
    genuinePairs: 500,
    genuinePairsSkippedNoFace: 2,
    genuinePairsAllSameIdentity: 520,
    impostorPairsCsv: 501,
    impostorPairsCsvSkippedNoFace: 1,
    impostorPairsAll: 12000,
    genuineDistance: { min: 0.1, median: 0.4, max: 0.7 },
    impostorDistance: { min: 0.5, median: 1, max: 1.4 },
    atFmr: [{ targetFmr: 0.01, allowedFalseMatches: 120, threshold: 0.6, fmr: 0.00992, fnmr: 0.012 }],
    fixed: [{ threshold: 0.55, fnmr: 0.05, fmrAllPairs: 0.0005, fmrPairsCsv: NaN }],
    eer: { threshold: 0.612, fmr: 0.01, fnmr: 0.01 },
  },
  identification: {
    galleryEntries: 4,
    enrolledIdentities: 3,
    distractors: 1,
    probes: 10,
    rank1: 0.9,
    grid: [
      {
        maxDistance: 0.55,
        minMargin: 0.05,
        correctAccept: 0.7,
        wrongAccept: 0,
        reject: 0.3,
        rejectByDistance: 0.2,
        rejectByMargin: 0.1,
        unenrolledFalseAccept: 0.1,
      },
    ],
  },
  detection: {
    images: 12,
    noFaceWithoutBorder: 3,
    noFaceWithoutBorderBySource: { faceapi_bbt: 2, lfw_subset: 1 },
    noFaceWithBorder: 0,
    noFaceWithBorderPaths: [],
  },
};

describe('report', () => {
  it('writes the heading from date, machine and engine', () => {
    expect(
      markdownHeading({
        date: '2026-11-21T12:23:46.361Z',
        machine: { cpu: 'AMD EPYC', cores: 2, node: 'v20.20.2' },
        engine: { backend: 'wasm', faceApiVersion: '1.7.15', tfjsVersion: '4.22.0', modelId: 'm' },
      }),
    ).toBe(
      '## Face benchmark, 2026-11-21: AMD EPYC, 2 cores, Node v20.20.2, backend wasm (face-api 1.7.15, tfjs 4.22.0)',
    );
  });

  it('writes the tables: ms as median / p95 (— when a pipeline has no such stage), rates as percentages', () => {
    // detect median 40.25 is exact in binary: toFixed(1) takes the larger of two equally near results
    // (ECMA-262, Number.prototype.toFixed) → '40.3'. Missing stages print '—', NaN rates 'n/a'.
    expect(markdownSummary(input).split('\n')).toEqual([
      '### Frame → candidate, ms (median / p95), 2 frames with a face in all three pipelines',
      '',
      `| stage | ours, tiny ${TINY_INPUT_SIZE} (score ≥ ${TINY_MIN_SCORE}) | ours, SSD | face-api stock (SSD) |`,
      '|---|---|---|---|',
      '| decode | 1.0 / 2.0 | 1.0 / 2.0 | 1.0 / 2.0 |',
      '| detect | 40.3 / 60.0 | — | — |',
      '| landmarks | — | — | — |',
      '| descriptor | — | — | — |',
      '| detect + landmarks + descriptor | — | — | 350.0 / 420.0 |',
      '| match | 0.1 / 0.2 | — | — |',
      '| total | 50.0 / 70.5 | 300.0 / 400.0 | 352.0 / 423.0 |',
      '',
      `Outcome per frame (3 frames, decideMatch max distance ${DEFAULT_MATCH.maxDistance}, min margin ${DEFAULT_MATCH.minMargin}, gallery 4):`,
      '',
      '| pipeline | correct | wrong | no match | no face |',
      '|---|---|---|---|---|',
      '| tiny | 2 | 0 | 1 | 0 |',
      '| ssd | 3 | 0 | 0 | 0 |',
      '| stock | 1 | 1 | 0 | 1 |',
      '',
      '### Verification (1:1): 500 genuine pairs, 12000 impostor pairs (all different-identity pairs)',
      '',
      '| operating point | threshold | FNMR | FMR |',
      '|---|---|---|---|',
      '| FMR ≤ 1.0 % | 0.6000 | 1.2 % | 0.99 % |',
      '| EER | 0.6120 | 1.0 % | 1.00 % |',
      '',
      '| threshold | FNMR | FMR (all impostor pairs) | FMR (pairs.csv impostors) |',
      '|---|---|---|---|',
      '| 0.55 | 5.0 % | 0.05 % | n/a |',
      '',
      '### Identification (1:N): gallery 4 (3 enrolled + 1 distractors), 10 probes',
      '',
      'Rank-1: 90.0 %',
      '',
      '| max distance | min margin | correct accept | wrong accept | reject (distance / margin) | not enrolled: false accept |',
      '|---|---|---|---|---|---|',
      '| 0.55 | 0.05 | 70.0 % | 0.0 % | 30.0 % (20.0 % / 10.0 %) | 10.0 % |',
      '',
      '### Detection on the original images (SSD, min score 0.5): 12 images',
      '',
      'No face at default settings: 3 (faceapi_bbt 2, lfw_subset 1); still none with the 50 % border: 0 (none).',
    ]);
  });
});
