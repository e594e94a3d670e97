/** Unit tests of the dev-set reading (CSV, tight-crop rule, frame selection); no images are decoded. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evenlySpaced, isTightCrop, loadDataset, parseCsv } from './dataset.ts';

describe('CSV', () => {
  it('drops the header and blank lines, accepts CRLF, splits on commas', () => {
    expect(parseCsv('path,identity,source\r\na.jpg,x,lfw_subset\n\n  \nb.png,y,faceapi_bbt\n')).toEqual([
      ['a.jpg', 'x', 'lfw_subset'],
      ['b.png', 'y', 'faceapi_bbt'],
    ]);
    expect(parseCsv('only,a,header\n')).toEqual([]);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'face-bench-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads labels.csv and pairs.csv (same = 1), filling missing cells with empty strings', () => {
    fs.writeFileSync(path.join(dir, 'labels.csv'), 'path,identity,source\na/1.jpg,a,deepface\nb/1.jpg,b\n');
    fs.writeFileSync(
      path.join(dir, 'pairs.csv'),
      'path_a,path_b,same\na/1.jpg,b/1.jpg,0\na/1.jpg,a/2.jpg,1\n',
    );
    expect(loadDataset(dir)).toEqual({
      images: [
        { path: 'a/1.jpg', identity: 'a', source: 'deepface' },
        { path: 'b/1.jpg', identity: 'b', source: '' },
      ],
      pairs: [
        { a: 'a/1.jpg', b: 'b/1.jpg', same: false },
        { a: 'a/1.jpg', b: 'a/2.jpg', same: true },
      ],
    });
  });

  it('says where the set was expected when it is missing', () => {
    expect(() => loadDataset(path.join(dir, 'missing'))).toThrow(/dev face set not found at .*missing/);
  });
});

describe('tight crops', () => {
  it('are the faceapi_bbt images only', () => {
    expect(isTightCrop({ source: 'faceapi_bbt' })).toBe(true);
    expect(isTightCrop({ source: 'lfw_subset' })).toBe(false);
  });
});

describe('evenlySpaced', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('picks indices ⌊i × length / count⌋', () => {
    // length 10, count 4: ⌊0⌋, ⌊2.5⌋, ⌊5⌋, ⌊7.5⌋ → 0, 2, 5, 7
    expect(evenlySpaced(range(10), 4)).toEqual([0, 2, 5, 7]);
    // length 130, count 80 (the bench's case): 80 items, first 0, last ⌊79 × 130 / 80⌋ = ⌊128.375⌋ = 128
    const picked = evenlySpaced(range(130), 80);
    expect(picked.length).toBe(80);
    expect(picked[0]).toBe(0);
    expect(picked[79]).toBe(128);
  });

  it('returns a copy of everything when there are at most `count` items', () => {
    const items = range(3);
    const picked = evenlySpaced(items, 3);
    expect(picked).toEqual([0, 1, 2]);
    expect(picked).not.toBe(items);
  });
});
