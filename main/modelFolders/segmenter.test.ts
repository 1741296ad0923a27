// The kuromoji word segmenter for BertJapaneseTokenizer: kuromoji's own morphemes, whitespace left out.
import { describe, expect, it } from 'vitest';
import { Morphology } from '../corpus/morphology';
import { kuromojiSegmenter } from './segmenter';

describe('kuromojiSegmenter', () => {
  it('gives MeCab-IPADIC words with offsets and drops whitespace-only tokens', async () => {
    const morphology = await Morphology.load();
    const text = '東京 タワー\n見学\u3000する';
    // kuromoji gives the spaces and the newline as morphemes of their own; a word segmenter must not.
    expect(morphology.analyse(text).some((m) => m.surface.trim() === '')).toBe(true);
    const words = kuromojiSegmenter(morphology).segment(text);
    expect(words.map((w) => [w.surface, w.start, w.end])).toEqual(
      morphology
        .analyse(text)
        .filter((m) => m.surface.trim() !== '')
        .map((m) => [m.surface, m.start, m.end]),
    );
    expect(words.map((w) => w.surface)).toEqual(['東京', 'タワー', '見学', 'する']);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.surface);
    expect(kuromojiSegmenter(morphology).segment('')).toEqual([]);
  });
});
