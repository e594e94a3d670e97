/**
 * Small tests of the decoder's pixel limit (issue 13, docs/security.md "Limits"): a real decompression
 * bomb — a 20 000 × 20 000 PNG of ~40 KiB that would decode to 1.2 GB of RGB — is refused from its header
 * as image_too_large (413) without being decoded; an image at the limit passes the check.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.ts';
import { analyze } from '../features/face/service.ts';
import { assertPixelLimit, ImageTooLargeError, MAX_INPUT_PIXELS, type FaceEngine } from './engine.ts';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid 1-bit greyscale PNG of `width` × `height` black pixels: tiny on disk, huge decoded. */
function pngBomb(width: number, height = width): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('pixel limit', () => {
  it('refuses a 20000×20000 PNG bomb from its header: image_too_large (413), never decoded', async () => {
    const bomb = pngBomb(20_000);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 20_000, 20_000]); // a real PNG
    await expect(assertPixelLimit(bomb)).rejects.toThrow(ImageTooLargeError);

    // Through the service's mapping, with an engine whose decoder is the guard.
    let decoded = false;
    const engine = {
      info: {},
      analyze: async (image: Uint8Array) => {
        await assertPixelLimit(image);
        decoded = true;
        throw new Error('not reached');
      },
    } as unknown as FaceEngine;
    const err = await analyze(engine, bomb, {} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'image_too_large', status: 413 });
    expect(decoded).toBe(false);
  });

  it('lets an image of exactly 4096×4096 through and refuses 4097×4096', async () => {
    expect(MAX_INPUT_PIXELS).toBe(16_777_216);
    await expect(assertPixelLimit(pngBomb(4096))).resolves.toBeUndefined();
    await expect(assertPixelLimit(pngBomb(4097, 4096))).rejects.toThrow(
      'image of 4097×4096 px is over 16777216 pixels (4096×4096)',
    );
  });
});
