/** Unit tests of the timing pass's pure parts: the run order per frame and the aggregation of the runs. */
import { describe, expect, it } from 'vitest';
import { PIPELINE_NAMES, rotation, summarizeRuns } from './pipelines.ts';
import type { FrameRun, Outcome } from './pipelines.ts';

const run = (stages: Record<string, number>, total: number, outcome: Outcome): FrameRun => ({
  stages,
  total,
  outcome,
});

describe('interleaving', () => {
  it('rotates the pipeline order by one per frame', () => {
    expect(rotation(PIPELINE_NAMES, 0)).toEqual(['tiny', 'ssd', 'stock']);
    expect(rotation(PIPELINE_NAMES, 1)).toEqual(['ssd', 'stock', 'tiny']);
    expect(rotation(PIPELINE_NAMES, 2)).toEqual(['stock', 'tiny', 'ssd']);
    expect(rotation(PIPELINE_NAMES, 3)).toEqual(['tiny', 'ssd', 'stock']);
  });
});

describe('summarizeRuns', () => {
  const ours = (decode: number, detect: number, match: number) => ({ decode, detect, match });
  const runs = {
    tiny: [
      run(ours(1, 10, 0.5), 20, 'correct'),
      run(ours(9, 90, 9), 99, 'no_face'),
      run(ours(9, 90, 9), 99, 'wrong'),
      run(ours(3, 30, 2.5), 30, 'no_match'),
    ],
    ssd: [
      run(ours(2, 100, 1), 110, 'correct'),
      run(ours(2, 100, 1), 999, 'correct'),
      run(ours(2, 100, 1), 999, 'correct'),
      run(ours(2, 100, 1), 130, 'correct'),
    ],
    stock: [
      run({ decode: 2, faceapi: 200, match: 1 }, 210, 'correct'),
      run({ decode: 2, faceapi: 200, match: 1 }, 999, 'correct'),
      run({ decode: 2, faceapi: 200, match: 1 }, 999, 'no_face'),
      run({ decode: 2, faceapi: 200, match: 1 }, 230, 'correct'),
    ],
  };

  it('takes stage figures over the frames with a face in every pipeline, outcomes over all frames', () => {
    // frame 1: tiny no face, frame 2: stock no face → stage figures over frames 0 and 3 only.
    // Two values a < b: median (a + b) / 2, p95 = a + 0.95 × (b − a), rounded to 1 decimal:
    // tiny decode [1, 3] → 2 / 2.9; detect [10, 30] → 20 / 29; match [0.5, 2.5] → 1.5 / 2.4; total [20, 30] → 25 / 29.5
    // ssd total [110, 130] → 120 / 129; stock total [210, 230] → 220 / 229; constant stages → that value twice.
    expect(summarizeRuns(runs)).toEqual({
      framesWithFaceInAllPipelines: 2,
      pipelines: {
        tiny: {
          stages: {
            decode: { median: 2, p95: 2.9 },
            detect: { median: 20, p95: 29 },
            match: { median: 1.5, p95: 2.4 },
            total: { median: 25, p95: 29.5 },
          },
          outcomes: { correct: 1, wrong: 1, no_match: 1, no_face: 1 },
        },
        ssd: {
          stages: {
            decode: { median: 2, p95: 2 },
            detect: { median: 100, p95: 100 },
            match: { median: 1, p95: 1 },
            total: { median: 120, p95: 129 },
          },
          outcomes: { correct: 4, wrong: 0, no_match: 0, no_face: 0 },
        },
        stock: {
          stages: {
            decode: { median: 2, p95: 2 },
            faceapi: { median: 200, p95: 200 },
            match: { median: 1, p95: 1 },
            total: { median: 220, p95: 229 },
          },
          outcomes: { correct: 3, wrong: 0, no_match: 0, no_face: 1 },
        },
      },
    });
  });

  it('keeps the stage order of the runs, total last', () => {
    expect(Object.keys(summarizeRuns(runs).pipelines.stock.stages)).toEqual([
      'decode',
      'faceapi',
      'match',
      'total',
    ]);
  });

  it('gives NaN totals and no stages when no frame has a face everywhere', () => {
    const none = {
      tiny: [run(ours(1, 1, 1), 5, 'no_face')],
      ssd: runs.ssd.slice(0, 1),
      stock: runs.stock.slice(0, 1),
    };
    const s = summarizeRuns(none);
    expect(s.framesWithFaceInAllPipelines).toBe(0);
    expect(s.pipelines.ssd.stages).toEqual({ total: { median: NaN, p95: NaN } });
  });
});
