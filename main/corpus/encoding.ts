// Guesses the text encoding of a byte sample: a BOM first, then strict UTF-8, then Shift_JIS
// (CP932, as Windows Excel writes it) against EUC-JP by how cleanly and plausibly each decodes.
import iconv from 'iconv-lite';
import type { Encoding, EncodingGuess } from '../../common/contract';
import { ShirabeError } from '../../common/errors';

export interface EncodingDetection {
  best: EncodingGuess;
  /** Every encoding that decodes the sample, best first (best included). */
  candidates: EncodingGuess[];
}

/** A streaming decoder: bytes in, text out, a leading BOM removed. */
export interface TextDecoderStream {
  write(chunk: Uint8Array): string;
  end(): string;
}

/** iconv-lite's name for each encoding we offer. */
export function iconvName(encoding: Encoding): string {
  switch (encoding) {
    case 'utf-8':
      return 'utf8';
    case 'utf-16':
      return 'utf16'; // BOM decides LE/BE (and is stripped)
    case 'shift_jis':
      return 'cp932';
    case 'euc-jp':
      return 'eucjp';
  }
}

function bomOf(sample: Uint8Array): { encoding: Encoding; length: number } | null {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16', length: 2 };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16', length: 2 };
  return null;
}

/** Throws binaryFile when the bytes hold a NUL (text in our 8-bit encodings never does). */
export function assertNotBinary(bytes: Uint8Array, path: string, baseOffset = 0): void {
  const at = bytes.indexOf(0);
  if (at >= 0) throw new ShirabeError('binaryFile', { path, offset: baseOffset + at });
}

/**
 * Strict UTF-8 validation (no overlongs, surrogates or code points above U+10FFFF). A sequence
 * cut by the end of the sample is accepted. Returns null when invalid, else the count of
 * multi-byte characters.
 */
export function utf8MultibyteCount(bytes: Uint8Array, start = 0): number | null {
  let multi = 0;
  const n = bytes.length;
  let i = start;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else return null;
    let k = 1;
    for (; k <= need; k++) {
      if (i + k >= n) return multi; // cut at the end of the sample: fine
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    multi++;
    i += need + 1;
  }
  return multi;
}

/** How Japanese-text-like a decoded string is, 0..1, and how many replacement characters it has. */
function plausibility(text: string): { score: number; invalid: number } {
  let good = 0;
  let total = 0;
  let invalid = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    total++;
    if (c === 0xfffd) {
      invalid++;
      continue;
    }
    if (c < 0x80) {
      if (c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) good += 1;
    } else if (c >= 0x3040 && c <= 0x309f) good += 1.2; // hiragana: the strongest sign of Japanese
    else if (c >= 0x30a0 && c <= 0x30ff) good += 1; // katakana
    else if (c >= 0x3000 && c <= 0x303f) good += 1; // CJK punctuation 、。「」
    else if (c >= 0x4e00 && c <= 0x9fff) good += 0.9; // kanji (common block)
    else if (c >= 0xff01 && c <= 0xff5e) good += 0.8; // full-width ASCII
    else if (c >= 0xff61 && c <= 0xff9f) good += 0.3; // half-width katakana: rare in real text, common in misdecodes
    else if (c >= 0x2460 && c <= 0x24ff) good += 0.6; // ①
    else if (c >= 0x2000 && c <= 0x27ff) good += 0.4; // symbols
    else if (c >= 0xf900 && c <= 0xfaff) good += 0.4; // compatibility kanji (髙 etc. in CP932)
    else if (c >= 0x3400 && c <= 0x4dbf) good += 0.3;
    else good += 0.1;
  }
  if (total === 0) return { score: 1, invalid: 0 };
  return { score: Math.min(1, good / total), invalid };
}

/** Decodes a whole sample, dropping one character cut at its end. */
function decodeSample(bytes: Uint8Array, encoding: Encoding): string {
  let text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), iconvName(encoding));
  if (text.endsWith('\ufffd')) text = text.slice(0, -1);
  return text;
}

function scoreLegacy(bytes: Uint8Array, encoding: Encoding): EncodingGuess & { valid: boolean } {
  const text = decodeSample(bytes, encoding);
  const { score, invalid } = plausibility(text);
  const valid = invalid === 0;
  const cleanShare = text.length === 0 ? 1 : 1 - invalid / text.length;
  return { encoding, confidence: round(score * cleanShare * (valid ? 1 : 0.5)), hasBom: false, valid };
}

function round(x: number): number {
  return Math.max(0, Math.min(1, Math.round(x * 1000) / 1000));
}

/**
 * Guesses the encoding of a sample (the start of a file). Throws binaryFile when a file
 * without a UTF-16 BOM contains NUL bytes.
 */
export function detectEncoding(sample: Uint8Array, path = ''): EncodingDetection {
  const bom = bomOf(sample);
  if (bom) {
    const best: EncodingGuess = { encoding: bom.encoding, confidence: 1, hasBom: true };
    return { best, candidates: [best] };
  }
  assertNotBinary(sample, path);
  const multi = utf8MultibyteCount(sample);
  const sjis = scoreLegacy(sample, 'shift_jis');
  const euc = scoreLegacy(sample, 'euc-jp');
  const legacy = [sjis, euc].sort((a, b) => b.confidence - a.confidence);
  if (multi !== null) {
    // Valid UTF-8 with multi-byte characters is almost never an accident; pure ASCII decodes
    // identically everywhere, so UTF-8 is the right reading either way.
    const best: EncodingGuess = { encoding: 'utf-8', confidence: 1, hasBom: false };
    const others = legacy
      .filter((g) => g.valid)
      .map((g) => ({ encoding: g.encoding, confidence: round(multi > 0 ? g.confidence * 0.2 : g.confidence * 0.9), hasBom: false }));
    return { best, candidates: [best, ...others] };
  }
  const valid = legacy.filter((g) => g.valid);
  const ranked = (valid.length ? valid : legacy).map((g) => ({ encoding: g.encoding, confidence: g.confidence, hasBom: false }));
  return { best: ranked[0], candidates: ranked };
}

/** A streaming decoder for the encoding; a BOM at the start is dropped. */
export function decoderFor(encoding: Encoding): TextDecoderStream {
  const decoder = iconv.getDecoder(iconvName(encoding), { stripBOM: true });
  let first = true;
  return {
    write(chunk: Uint8Array): string {
      let text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      return text;
    },
    end(): string {
      let text = decoder.end() ?? '';
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      return text;
    },
  };
}

/** Decodes a complete buffer (BOM dropped). */
export function decodeAll(bytes: Uint8Array, encoding: Encoding): string {
  const d = decoderFor(encoding);
  return d.write(bytes) + d.end();
}
