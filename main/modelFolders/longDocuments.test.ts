// encodeLong tokenizes only a prefix of a long document for head truncation; its tokens must be
// exactly those of the whole text. Checked on real articles (livedoor, with the default model's
// MeCab + character tokenizer, as embedding runs it) and on English and Japanese text with the
// WordPiece and tokenizer.json fixtures. (Beside the adapter because main/ml may not import kuromoji.)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/fixtures';
import { hasSharedData, repoRoot, sharedData } from '../../test/paths';
import { Morphology } from '../corpus/morphology';
import { cutAfterSentence, encodeLong } from '../ml/tokenizers/long';
import type { Tokenizer } from '../ml/tokenizers/types';
import { readTokenizer } from './modelFolder';
import { kuromojiSegmenter } from './segmenter';

const same = (tok: Tokenizer, text: string, maxLength: number) => {
  const whole = tok.encode(text, { maxLength, truncation: 'head' });
  const fast = encodeLong(tok, text, { maxLength, truncation: 'head' });
  expect(fast.tokens).toEqual(whole.tokens);
  expect(fast.ids).toEqual(whole.ids);
  expect(fast.attentionMask).toEqual(whole.attentionMask);
  expect(fast.tokenTypeIds).toEqual(whole.tokenTypeIds);
  expect(fast.truncated > 0).toBe(whole.truncated > 0);
  expect(fast.truncated).toBeLessThanOrEqual(whole.truncated);
};

describe('cutAfterSentence', () => {
  it('cuts just after the first sentence end at or after the position', () => {
    const t = 'あいう。えお！かき\nくけ';
    expect(cutAfterSentence(t, 0)).toBe(4);
    expect(cutAfterSentence(t, 4)).toBe(7);
    expect(cutAfterSentence(t, 8)).toBe(10);
    expect(cutAfterSentence(t, 11)).toBe(t.length);
    expect(cutAfterSentence(t, 100)).toBe(t.length);
  });
});

describe('prefix tokenization gives the whole text’s tokens', () => {
  let japanese: Tokenizer;
  beforeAll(async () => {
    const dir = join(repoRoot, 'resources/models/shirabe-tiny-ja');
    japanese = readTokenizer(dir, kuromojiSegmenter(await Morphology.load())).tokenizer;
  });

  const english = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const mixed = Array.from({ length: 40 }, (_, i) => `第${i}章。東京大学で自然言語処理を学ぶ！ Researchers embed corpora? 平成${i}年に改元した。\n`).join('');

  it.skipIf(!hasSharedData)('on 150 livedoor articles with the default model (max length 64, 128, 512)', () => {
    const dir = tempDir();
    execFileSync('tar', ['xzf', join(sharedData, 'livedoor', 'ldcc-text.tar.gz'), '-C', dir, 'text/movie-enter', 'text/it-life-hack']);
    const files = ['movie-enter', 'it-life-hack'].flatMap((c) => readdirSync(join(dir, 'text', c)).filter((f) => /-\d+\.txt$/.test(f)).sort().slice(0, 75).map((f) => join(dir, 'text', c, f)));
    expect(files).toHaveLength(150);
    for (const f of files) {
      const text = readFileSync(f, 'utf8').split('\n').slice(3).join('\n');
      for (const n of [64, 128, 512]) same(japanese, text, n);
    }
  }, 120_000);

  it('on English and mixed text with every tokenizer kind', () => {
    const tokenizers = [
      japanese,
      ...(hasSharedData ? [readTokenizer(join(sharedData, 'bert-base-uncased')).tokenizer] : []),
      ...['bpe-bytelevel', 'unigram-metaspace', 'wordpiece-bert'].map((n) => readTokenizer(join(repoRoot, 'test/fixtures/hf/tokenizers', n)).tokenizer),
    ];
    for (const tok of tokenizers) for (const text of [english, mixed]) for (const n of [16, 128]) same(tok, text, n);
  });

  it('tokenizes everything for head+tail truncation and for short texts', () => {
    const e = encodeLong(japanese, mixed, { maxLength: 32, truncation: 'head+tail' });
    expect(e).toEqual(japanese.encode(mixed, { maxLength: 32, truncation: 'head+tail' }));
    expect(encodeLong(japanese, '短い。', { maxLength: 32 })).toEqual(japanese.encode('短い。', { maxLength: 32 }));
  });
});
