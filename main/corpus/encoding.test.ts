import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ShirabeError } from '../../common/errors';
import { decodeAll, decoderFor, detectEncoding, utf8MultibyteCount } from './encoding';

const japanese =
  '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\r\n' +
  'カタカナとひらがな、漢字、ＡＢＣ全角、ABC半角, "引用" も混ぜる。\n' +
  '①②③ 髙島屋 﨑 ～ ㈱ －\n';
// EUC-JP (JIS X 0208/0212) has no ①, 髙 or ㈱: its sample sticks to JIS X 0208.
const jis0208 = '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\nカタカナとひらがな、漢字、ＡＢＣ全角、ABC半角。\n';

function bytes(text: string, encoding: string, bom = false): Uint8Array {
  const body = iconv.encode(text, encoding, { addBOM: bom });
  return new Uint8Array(body);
}

/** Decodes in small chunks, as a stream would, to exercise characters cut across chunks. */
function streamDecode(data: Uint8Array, encoding: Parameters<typeof decoderFor>[0], chunk = 7): string {
  const d = decoderFor(encoding);
  let out = '';
  for (let i = 0; i < data.length; i += chunk) out += d.write(data.subarray(i, i + chunk));
  return out + d.end();
}

describe('detectEncoding', () => {
  it('UTF-8 without BOM', () => {
    const data = bytes(japanese, 'utf8');
    const { best, candidates } = detectEncoding(data);
    expect(best).toEqual({ encoding: 'utf-8', confidence: 1, hasBom: false });
    expect(candidates[0].encoding).toBe('utf-8');
    expect(streamDecode(data, 'utf-8')).toBe(japanese);
  });

  it('UTF-8 with BOM (the BOM is dropped)', () => {
    const data = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(japanese, 'utf8')]);
    const { best } = detectEncoding(data);
    expect(best).toEqual({ encoding: 'utf-8', confidence: 1, hasBom: true });
    expect(streamDecode(data, 'utf-8')).toBe(japanese);
    expect(streamDecode(data, 'utf-8', 1)).toBe(japanese);
  });

  it('UTF-16LE and UTF-16BE with BOM', () => {
    for (const enc of ['utf16le', 'utf16be']) {
      const bom = enc === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff];
      const data = new Uint8Array([...bom, ...bytes(japanese, enc)]);
      const { best } = detectEncoding(data);
      expect(best).toEqual({ encoding: 'utf-16', confidence: 1, hasBom: true });
      expect(streamDecode(data, 'utf-16')).toBe(japanese);
      expect(decodeAll(data, 'utf-16')).toBe(japanese);
    }
  });

  it('Shift_JIS as CP932, with ① 髙 﨑 ㈱ ～', () => {
    const data = bytes(japanese, 'cp932');
    expect(iconv.decode(Buffer.from(data), 'cp932')).toBe(japanese); // the fixture is lossless
    const { best, candidates } = detectEncoding(data);
    expect(best.encoding).toBe('shift_jis');
    expect(best.hasBom).toBe(false);
    expect(best.confidence).toBeGreaterThan(0.5);
    expect(best.confidence).toBeLessThanOrEqual(1);
    expect(candidates[0]).toEqual(best);
    expect(streamDecode(data, 'shift_jis')).toBe(japanese);
  });

  it('EUC-JP', () => {
    const data = bytes(jis0208, 'eucjp');
    const { best } = detectEncoding(data);
    expect(best.encoding).toBe('euc-jp');
    expect(best.confidence).toBeGreaterThan(0.5);
    expect(streamDecode(data, 'euc-jp')).toBe(jis0208);
  });

  it('short Shift_JIS and EUC-JP samples (a CSV header and one row)', () => {
    const text = 'タイトル,本文,カテゴリ\r\n映画の話,週末に映画を観た。,movie\r\n';
    expect(detectEncoding(bytes(text, 'cp932')).best.encoding).toBe('shift_jis');
    expect(detectEncoding(bytes(text, 'eucjp')).best.encoding).toBe('euc-jp');
    // Half-width katakana is legal in both: Shift_JIS still wins for Excel-like text.
    expect(detectEncoding(bytes('ｶﾀｶﾅ,ひらがな\r\n', 'cp932')).best.encoding).toBe('shift_jis');
  });

  it('a UTF-8 sample cut inside a character is still UTF-8', () => {
    const data = bytes('日本語のテキスト', 'utf8');
    for (let cut = data.length - 1; cut > data.length - 3; cut--) {
      expect(detectEncoding(data.subarray(0, cut)).best.encoding).toBe('utf-8');
    }
    expect(utf8MultibyteCount(new Uint8Array([0xe6, 0x97]))).toBe(0);
  });

  it('rejects overlong and surrogate UTF-8', () => {
    expect(utf8MultibyteCount(new Uint8Array([0xc0, 0xaf]))).toBeNull();
    expect(utf8MultibyteCount(new Uint8Array([0xe0, 0x80, 0xaf]))).toBeNull();
    expect(utf8MultibyteCount(new Uint8Array([0xed, 0xa0, 0x80]))).toBeNull();
    expect(utf8MultibyteCount(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBeNull();
    expect(utf8MultibyteCount(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]))).toBe(1);
  });

  it('pure ASCII is UTF-8', () => {
    const { best, candidates } = detectEncoding(bytes('id,text\n1,hello\n', 'utf8'));
    expect(best.encoding).toBe('utf-8');
    expect(candidates.map((c) => c.encoding)).toContain('shift_jis');
    for (const c of candidates) expect(c.confidence).toBeGreaterThanOrEqual(0);
  });

  it('NUL bytes without a UTF-16 BOM: binaryFile with the offset', () => {
    const data = new Uint8Array([0x61, 0x62, 0x00, 0x63]);
    try {
      detectEncoding(data, '/x/data.bin');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ShirabeError);
      expect((err as ShirabeError).code).toBe('binaryFile');
      expect((err as ShirabeError).params).toEqual({ path: '/x/data.bin', offset: 2 });
    }
  });

  it('a streaming decoder drops only a leading BOM', () => {
    const d = decoderFor('utf-8');
    expect(d.write(new Uint8Array([0xef, 0xbb]))).toBe('');
    expect(d.write(new Uint8Array([0xbf, 0x61, 0xef, 0xbb, 0xbf]))).toBe('a\ufeff');
    expect(d.end()).toBe('');
  });
});
