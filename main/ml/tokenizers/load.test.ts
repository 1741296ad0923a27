// Choosing and configuring a model folder's tokenizer from its files, as transformers' AutoTokenizer
// would. Expected tokens come from transformers 5.17 / tokenizers 0.23 (the fixtures, and the values
// pasted from one run noted below), or are the plain consequence of a config setting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, TokenizerError, type TokenizerFiles } from './load';
import type { WordSegmenter } from './types';

const fixtures = join(__dirname, '../../../test/fixtures/hf/tokenizers');
const tokenizerJson = (name: string) => readFileSync(join(fixtures, name, 'tokenizer.json'), 'utf8');
const json = (v: unknown) => JSON.stringify(v);
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', 'x', '##b', 'keep', 'Keep', 'me', '##e', 'ca', '##f', 'caf', 'cafe', 'café', '##é', 'e', '東', '京', '平', '成', 'ガ', 'ス', '代', '1', '2', '3', '0', 'abc', 'hello', 'Hello', '##llo', 'he', '.', '!', 'ｶ', 'カ', 'ab', '##c', 'é'];
const vocabTxt = vocab.join('\n') + '\n';
/** Splits on spaces: enough to stand in for kuromoji where segmentation is not the point. */
const spaces: WordSegmenter = { segment: (text) => [...text.matchAll(/\S+/g)].map((m) => ({ surface: m[0], start: m.index!, end: m.index! + m[0].length })) };

function error(files: TokenizerFiles, deps?: { segmenter?: WordSegmenter }): TokenizerError {
  try {
    loadTokenizer(files, deps);
  } catch (err) {
    expect(err).toBeInstanceOf(TokenizerError);
    return err as TokenizerError;
  }
  throw new Error('loadTokenizer did not throw');
}

describe('which tokenizer', () => {
  it('BertJapaneseTokenizer when tokenizer_config.json names it, even with tokenizer.json beside it', () => {
    const { tokenizer, warnings } = loadTokenizer(
      { 'vocab.txt': vocabTxt, 'tokenizer.json': tokenizerJson('wordpiece-bert'), 'tokenizer_config.json': json({ tokenizer_class: 'BertJapaneseTokenizer', word_tokenizer_type: 'mecab', subword_tokenizer_type: 'character' }) },
      { segmenter: spaces },
    );
    expect(tokenizer.kind).toBe('bert-japanese');
    expect(warnings).toEqual([]);
  });

  it('tokenizer.json when present, before vocab.txt', () => {
    const { tokenizer } = loadTokenizer({ 'tokenizer.json': tokenizerJson('wordpiece-bert'), 'vocab.txt': vocabTxt, 'tokenizer_config.json': json({ tokenizer_class: 'BertTokenizer' }) });
    expect(tokenizer.kind).toBe('tokenizer.json');
    // The fixture's Japanese encoding (tokenizers 0.23).
    const expected = JSON.parse(readFileSync(join(fixtures, 'wordpiece-bert', 'expected.json'), 'utf8')).encodings[1];
    expect(tokenizer.encode(expected.text).ids).toEqual(expected.ids);
  });

  it('vocab.txt WordPiece otherwise', () => {
    const { tokenizer, warnings } = loadTokenizer({ 'vocab.txt': vocabTxt });
    expect(tokenizer.kind).toBe('wordpiece');
    expect(tokenizer.encode('Hello!').ids).toEqual([2, 32, 37, 3]); // transformers 5.17, lower-cased by default
    expect(warnings.join('\n')).toMatch(/no tokenizer_config\.json/);
  });

  it('says what is missing', () => {
    expect(error({}).message).toBe('no tokenizer.json, vocab.txt or sentencepiece model found');
    expect(error({ 'config.json': json({ model_type: 'bert' }) }).message).toBe('no tokenizer.json, vocab.txt or sentencepiece model found');
    expect(error({ 'sentencepiece.bpe.model': '' }).message).toMatch(/^sentencepiece\.bpe\.model alone is not supported: SentencePiece models \(spiece\.model, sentencepiece\.bpe\.model\) need the tokenizer\.json/);
    expect(error({ 'spiece.model': '', 'config.json': json({ model_type: 't5' }) }).message).toMatch(/^spiece\.model alone is not supported/);
    expect(error({ 'config.json': json({ model_type: 'xlm-roberta' }) }).message).toMatch(/SentencePiece model .*not supported without tokenizer\.json/);
    expect(error({ 'tokenizer_config.json': '{ not json' }).message).toMatch(/^tokenizer_config\.json is not valid JSON/);
    expect(error({ 'tokenizer.json': json({ version: '1.0' }) }).message).toMatch(/no "model" section/);
    expect(error({ 'vocab.txt': '' }).message).toBe('vocab.txt is empty');
  });
});

describe('tokenizer_config.json settings for vocab.txt', () => {
  it('do_lower_case, strip_accents, tokenize_chinese_chars (transformers 5.17 values)', () => {
    const load = (config: object) => loadTokenizer({ 'vocab.txt': vocabTxt, 'tokenizer_config.json': json(config) }).tokenizer;
    expect(load({ do_lower_case: false }).encode('Hello!').ids).toEqual([2, 33, 37, 3]);
    expect(load({ do_lower_case: true, strip_accents: false }).encode('Cafe\u0301 café').ids).toEqual([2, 1, 17, 3]);
    expect(load({}).encode('Cafe\u0301 café').ids).toEqual([2, 16, 16, 3]);
    expect(load({ tokenize_chinese_chars: false }).encode('東京ｶ').ids).toEqual([2, 1, 3]);
  });

  it('never_split, special token names, added tokens', () => {
    const { tokenizer } = loadTokenizer({
      'vocab.txt': vocabTxt,
      'tokenizer_config.json': json({
        never_split: ['Keep'],
        mask_token: { content: 'x', lstrip: false },
        added_tokens_decoder: { '43': { content: '<new>', special: false, lstrip: false, rstrip: false, normalized: false, single_word: false } },
      }),
      'special_tokens_map.json': json({ unk_token: '[UNK]', cls_token: 'a', sep_token: 'b' }),
    });
    // never_split: "Keep" stays as itself (not lower-cased to "keep").
    expect(tokenizer.encode('Keep').tokens.map((t) => t.text)).toEqual(['a', 'Keep', 'b']);
    expect(tokenizer.special).toEqual({ pad: 0, unk: 1, cls: 5, sep: 6, mask: 7 });
    expect(tokenizer.encode('e<new>e', { addSpecialTokens: false }).ids).toEqual([19, 43, 19]);
    expect(tokenizer.vocabSize).toBe(44);
  });

  it('model_max_length, with transformers’ “no limit” sentinel as null', () => {
    const max = (v: unknown) => loadTokenizer({ 'vocab.txt': vocabTxt, 'tokenizer_config.json': json({ model_max_length: v }) }).tokenizer.modelMaxLength;
    expect(max(512)).toBe(512);
    expect(max(1000000000000000019884624838656)).toBeNull();
    expect(max(undefined)).toBeNull();
  });
});

describe('config.json model_type', () => {
  it('RoBERTa-style <s> … </s> when tokenizer.json has no post-processor', () => {
    const tj = JSON.parse(tokenizerJson('bpe-bytelevel'));
    tj.post_processor = null;
    const files = { 'tokenizer.json': json(tj), 'config.json': json({ model_type: 'roberta' }) };
    const { tokenizer, warnings } = loadTokenizer(files);
    expect(tokenizer.encode('Hi').tokens.map((t) => t.text)).toEqual(['<s>', 'H', 'i', '</s>']);
    expect(tokenizer.special).toEqual({ pad: 1, unk: 3, cls: 0, sep: 2, mask: 4 });
    expect(warnings.join('\n')).toMatch(/adds no special tokens/);
    // Without a model type nothing is added, as tokenizers does.
    expect(loadTokenizer({ 'tokenizer.json': json(tj) }).tokenizer.encode('Hi').tokens.map((t) => t.text)).toEqual(['H', 'i']);
  });

  it('BERT-style [CLS] … [SEP] for bert', () => {
    const tj = JSON.parse(tokenizerJson('wordpiece-bert'));
    tj.post_processor = null;
    const { tokenizer } = loadTokenizer({ 'tokenizer.json': json(tj), 'config.json': json({ model_type: 'bert' }) });
    expect(tokenizer.encode('x').tokens.map((t) => t.text)).toEqual(['[CLS]', 'x', '[SEP]']);
  });
});

describe('BertJapaneseTokenizer settings', () => {
  const files = (config: object): TokenizerFiles => ({ 'vocab.txt': vocabTxt, 'tokenizer_config.json': json({ tokenizer_class: 'BertJapaneseTokenizer', ...config }) });

  it('basic words + characters, lower-cased (transformers 5.17: the same tokens as bertJapanese.test.ts)', () => {
    const { tokenizer } = loadTokenizer(files({ word_tokenizer_type: 'basic', subword_tokenizer_type: 'character', do_lower_case: true }));
    expect(tokenizer.encode('KEEP[SEP]me').ids).toEqual([2, 1, 19, 19, 1, 3, 1, 19, 3]);
  });

  it('word_tokenizer_type defaults to basic and do_lower_case to false, as in transformers', () => {
    const { tokenizer } = loadTokenizer(files({}));
    expect(tokenizer.description).toMatch(/^BERT basic words \+ WordPiece/);
    expect(tokenizer.encode('Hello [MASK] ab\u0301c').ids).toEqual([2, 33, 4, 1, 3]); // transformers 5.17
  });

  it('MeCab needs a segmenter', () => {
    expect(error(files({ word_tokenizer_type: 'mecab' })).message).toMatch(/needs a MeCab-style word segmenter/);
  });

  it('warns when the model was made with another MeCab dictionary or analyser', () => {
    const warn = (config: object) => loadTokenizer(files({ word_tokenizer_type: 'mecab', ...config }), { segmenter: spaces }).warnings.join('\n');
    expect(warn({})).toBe('');
    expect(warn({ mecab_kwargs: { mecab_dic: 'ipadic' } })).toBe('');
    expect(warn({ mecab_kwargs: { mecab_dic: 'unidic_lite' } })).toMatch(/MeCab dictionary "unidic_lite".*IPADIC \(kuromoji\)/);
    expect(warn({ mecab_kwargs: { mecab_dic: null, mecab_option: '-d /usr/lib/mecab/dic/unidic' } })).toMatch(/system MeCab dictionary \(-d \/usr\/lib\/mecab\/dic\/unidic\)/);
    expect(warn({ word_tokenizer_type: 'sudachi' })).toMatch(/Sudachi/);
  });

  it('mecab_kwargs normalize_text false turns NFKC off before segmentation', () => {
    const seen: string[] = [];
    const spy: WordSegmenter = { segment: (t) => (seen.push(t), spaces.segment(t)) };
    loadTokenizer(files({ word_tokenizer_type: 'mecab', mecab_kwargs: { normalize_text: false } }), { segmenter: spy }).tokenizer.encode('ｶﾞｽ');
    loadTokenizer(files({ word_tokenizer_type: 'mecab' }), { segmenter: spy }).tokenizer.encode('ｶﾞｽ');
    expect(seen).toEqual(['ｶﾞｽ', 'ガス']);
  });

  it('refuses what it cannot do', () => {
    expect(error(files({ subword_tokenizer_type: 'sentencepiece' })).message).toMatch(/sentencepiece/);
    expect(error(files({ word_tokenizer_type: 'kytea' })).message).toMatch(/"kytea" is not supported/);
    expect(error({ 'tokenizer_config.json': json({ tokenizer_class: 'BertJapaneseTokenizer' }) }).message).toMatch(/needs vocab\.txt/);
  });
});
