// The few parts of the ZIP format (PKWARE APPNOTE.TXT, sections 4.3 and 4.5) that PyTorch's
// checkpoints use: the end of central directory record (zip64 too, for files over 4 GB),
// central directory headers and local headers, to find where each STORED entry's bytes lie.
// Nothing is inflated: torch writes every entry uncompressed (and 64-byte aligned), so a tensor
// is read straight out of the file.
import { WeightsError } from './errors';
import { readRange } from './safetensors';
import type { ByteSource } from './types';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate, … */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const sigEocd = 0x06054b50;
const sigZip64Locator = 0x07064b50;
const sigZip64Eocd = 0x06064b50;
const sigCentral = 0x02014b50;
const sigLocal = 0x04034b50;

/** 'PK\x03\x04', or a prefix of it when the file is shorter than that (a cut download). */
export function isZip(source: ByteSource): boolean {
  const head = readRange(source, 0, Math.min(source.size, 4), 'the file signature');
  return head.length > 0 && head.every((b, i) => b === [0x50, 0x4b, 0x03, 0x04][i]);
}

function u64(view: DataView, at: number, what: string): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WeightsError('corrupt', `zip ${what} ${v} is implausibly large`);
  return Number(v);
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The central directory's entries, by name. */
export function readZipDirectory(source: ByteSource): Map<string, ZipEntry> {
  // The end record is the last 22 bytes plus a comment of up to 65535 bytes; requiring the
  // comment to end exactly at the end of the file keeps tensor bytes from passing for it.
  // Torch writes no comment, so try the last 22 bytes before reading the longest tail.
  let tailLength = Math.min(source.size, 22);
  let tailStart = source.size - tailLength;
  let tail = readRange(source, tailStart, tailLength, 'the zip end record');
  let tv = dataView(tail);
  let eocd = -1;
  for (let attempt = 0; attempt < 2 && eocd < 0; attempt++) {
    if (attempt === 1) {
      tailLength = Math.min(source.size, 22 + 0xffff);
      tailStart = source.size - tailLength;
      tail = readRange(source, tailStart, tailLength, 'the zip end record');
      tv = dataView(tail);
    }
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === sigEocd && i + 22 + tv.getUint16(i + 20, true) === tail.length) {
        eocd = i;
        break;
      }
    }
  }
  if (eocd < 0) {
    throw new WeightsError('truncated', `the zip archive has no end record in its last ${tailLength} bytes (the file has ${source.size} bytes): the file is cut short, probably an interrupted download`);
  }
  let entries = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  const locatorAt = tailStart + eocd - 20;
  const locator = locatorAt >= 0 ? dataView(readRange(source, locatorAt, 20, 'the zip64 locator')) : undefined;
  if (locator && locator.getUint32(0, true) === sigZip64Locator) {
    const recordAt = u64(locator, 8, 'zip64 end record offset');
    const record = dataView(readRange(source, recordAt, 56, 'the zip64 end record'));
    if (record.getUint32(0, true) !== sigZip64Eocd) throw new WeightsError('corrupt', `no zip64 end record at byte ${recordAt} where the locator points`);
    entries = u64(record, 32, 'entry count');
    cdSize = u64(record, 40, 'central directory size');
    cdOffset = u64(record, 48, 'central directory offset');
  }
  const cd = readRange(source, cdOffset, cdSize, 'the zip central directory');
  const cv = dataView(cd);
  const out = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > cd.length || cv.getUint32(p, true) !== sigCentral) throw new WeightsError('corrupt', `zip central directory entry ${n} at byte ${cdOffset + p} is damaged`);
    const flags = cv.getUint16(p + 8, true);
    const method = cv.getUint16(p + 10, true);
    let compressedSize = cv.getUint32(p + 20, true);
    let size = cv.getUint32(p + 24, true);
    const nameLength = cv.getUint16(p + 28, true);
    const extraLength = cv.getUint16(p + 30, true);
    const commentLength = cv.getUint16(p + 32, true);
    let localHeaderOffset = cv.getUint32(p + 42, true);
    if (p + 46 + nameLength + extraLength + commentLength > cd.length) throw new WeightsError('corrupt', `zip central directory entry ${n} runs past the directory`);
    // Bit 11: UTF-8 name; torch's names are ASCII, and CP437 agrees with ASCII there.
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(cd.subarray(p + 46, p + 46 + nameLength));
    // Zip64 extended information (header 0x0001): the 64-bit values, in this order, of just
    // those fields that are 0xFFFFFFFF above.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = cv.getUint16(e, true);
      const length = cv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const next = (what: string): number => {
          if (q + 8 > e + 4 + length) throw new WeightsError('corrupt', `zip64 field of ${name} is missing its ${what}`);
          const v = u64(cv, q, what);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next('size');
        if (compressedSize === 0xffffffff) compressedSize = next('compressed size');
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next('local header offset');
      }
      e += 4 + length;
    }
    out.set(name, { name, method, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLength;
  }
  return out;
}

/** Where a STORED entry's bytes begin in the file (past its local header), bounds checked. */
export function entryDataOffset(source: ByteSource, entry: ZipEntry): number {
  if (entry.method !== 0) {
    throw new WeightsError('unsupported', `zip entry ${entry.name} is compressed (method ${entry.method}); PyTorch writes checkpoints uncompressed, so re-save it with torch.save`);
  }
  const local = dataView(readRange(source, entry.localHeaderOffset, 30, `the zip local header of ${entry.name}`));
  if (local.getUint32(0, true) !== sigLocal) throw new WeightsError('corrupt', `no zip local header at byte ${entry.localHeaderOffset} for ${entry.name}`);
  // The local extra field can differ from the central one (torch pads it to align the data).
  const start = entry.localHeaderOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (start + entry.size > source.size) {
    throw new WeightsError('truncated', `zip entry ${entry.name} needs bytes ${start}–${start + entry.size} but the file has ${source.size} bytes`);
  }
  return start;
}
