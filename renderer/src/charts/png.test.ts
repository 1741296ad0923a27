import { describe, expect, it } from 'vitest';
import { crc32, dpiToPixelsPerMetre, makeChunk, readChunks, readPhys, setPngDpi } from './png';

// A valid 1×1 grey PNG.
const tiny = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);

describe('png', () => {
  it('computes the CRC of IEND as every PNG has it', () => {
    expect(crc32(new TextEncoder().encode('IEND')).toString(16).toUpperCase()).toBe('AE426082');
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('makes chunks whose CRC matches the one in a real PNG', () => {
    const iend = makeChunk('IEND', new Uint8Array(0));
    expect([...iend]).toEqual([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
    for (const chunk of readChunks(tiny)) {
      expect(crc32(tiny.subarray(chunk.offset + 4, chunk.offset + 8 + chunk.length))).toBe(chunk.crc);
    }
  });

  it('inserts a 300 dpi pHYs chunk after IHDR and reads it back', () => {
    expect(dpiToPixelsPerMetre(300)).toBe(11811);
    expect(readPhys(tiny)).toBeNull();
    const out = setPngDpi(tiny, 300);
    expect(out.length).toBe(tiny.length + 21);
    const chunks = readChunks(out);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(readPhys(out)).toEqual({ x: 11811, y: 11811, unit: 1 });
    for (const chunk of chunks) {
      expect(crc32(out.subarray(chunk.offset + 4, chunk.offset + 8 + chunk.length))).toBe(chunk.crc);
    }
    // Idempotent: a second call replaces rather than adds.
    const again = setPngDpi(out, 150);
    expect(readChunks(again).filter((c) => c.type === 'pHYs')).toHaveLength(1);
    expect(readPhys(again)).toEqual({ x: 5906, y: 5906, unit: 1 });
  });

  it('rejects bytes that are not a PNG', () => {
    expect(() => setPngDpi(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 300)).toThrow();
  });
});
