import { describe, expect, it } from 'vitest';
import { Morphology, defaultDictionaryPath } from './morphology';

describe('Morphology', () => {
  it('segments すもももももももものうち as IPADIC does', async () => {
    const m = await Morphology.load();
    const text = 'すもももももももものうち';
    const morphemes = m.analyse(text);
    expect(morphemes.map((x) => x.surface)).toEqual(['すもも', 'も', 'もも', 'も', 'もも', 'の', 'うち']);
    expect(morphemes.map((x) => x.pos)).toEqual(['名詞', '助詞', '名詞', '助詞', '名詞', '助詞', '名詞']);
    expect(morphemes[0]).toEqual({
      surface: 'すもも',
      pos: '名詞',
      posDetail: ['一般'],
      baseForm: 'すもも',
      reading: 'スモモ',
      pronunciation: 'スモモ',
      start: 0,
      end: 3,
    });
    expect(morphemes[1].posDetail).toEqual(['係助詞']);
    expect(morphemes[6].posDetail).toEqual(['非自立', '副詞可能']);
    for (const x of morphemes) expect(text.slice(x.start, x.end)).toBe(x.surface);
  });

  it('offsets are UTF-16 positions across sentences, newlines and emoji', async () => {
    const m = await Morphology.load();
    const text = '今日は晴れ。😀絵文字も𠮷野家も読む！\r\n改行の後、東京都へ行きました。\n\n最後';
    const morphemes = m.analyse(text);
    let cursor = 0;
    for (const x of morphemes) {
      expect(text.slice(x.start, x.end)).toBe(x.surface);
      expect(x.start).toBeGreaterThanOrEqual(cursor);
      cursor = x.end;
    }
    // Everything but whitespace is covered by some morpheme.
    const covered = morphemes.map((x) => x.surface).join('');
    expect(covered.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    const verb = morphemes.find((x) => x.surface === '行き');
    expect(verb).toMatchObject({ pos: '動詞', baseForm: '行く' });
    const tokyo = morphemes.find((x) => x.surface === '東京');
    expect(tokyo?.posDetail).toEqual(['固有名詞', '地域', '一般']);
    expect(m.analyse('')).toEqual([]);
  });

  it('loads once and shares the instance; a bad path is an error', async () => {
    const [a, b] = await Promise.all([Morphology.load(), Morphology.load(defaultDictionaryPath())]);
    expect(a).toBe(b);
    await expect(Morphology.load('/nonexistent/dict')).rejects.toMatchObject({ code: 'internal' });
  });
});
