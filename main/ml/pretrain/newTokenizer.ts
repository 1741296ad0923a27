// The tokenizer of a model pretrained from scratch: words cut as the researcher chose (MeCab-IPADIC
// morphemes after NFKC, as cl-tohoku's Japanese BERTs; or BERT's basic tokenizer), then WordPiece
// over a vocabulary learned from the corpus. The same object splits words for learning the
// vocabulary and tokenizes afterwards, so the two can never disagree; its files are the ones
// transformers' BertJapaneseTokenizer / BertTokenizer read.
import type { WordSplitter } from '../../../common/contract';
import type { ExportFiles } from '../train/export';
import { BertJapaneseTokenizer } from '../tokenizers/bertJapanese';
import type { Tokenizer, WordSegmenter } from '../tokenizers/types';
import { WordPieceTokenizer } from '../tokenizers/wordpiece';
import { bertSpecialTokens } from './vocab';

export interface NewTokenizerOptions {
  wordSplitter: WordSplitter;
  lowercase: boolean;
  /** MeCab-IPADIC words (kuromoji); required for 'mecab'. */
  segmenter?: WordSegmenter;
  maxLength: number;
}

export type WordTokenizer = Tokenizer & { wordsOf(text: string): string[] };

/** The tokenizer for `vocab` (vocab.txt lines); with BERT's special tokens alone it only splits words. */
export function newTokenizer(vocab: readonly string[], o: NewTokenizerOptions): WordTokenizer {
  if (o.wordSplitter === 'mecab') {
    return new BertJapaneseTokenizer({ vocab, wordTokenizer: 'mecab', subwordTokenizer: 'wordpiece', doLowerCase: o.lowercase, segmenter: o.segmenter, modelMaxLength: o.maxLength });
  }
  // BertTokenizer's defaults besides casing: Chinese characters split one by one, accents stripped when lower-casing.
  return new WordPieceTokenizer(vocab, { lowercase: o.lowercase, splitCjk: true, modelMaxLength: o.maxLength });
}

/** A tokenizer that only cuts words (for counting them before there is a vocabulary). */
export function wordSplitter(o: NewTokenizerOptions): WordTokenizer {
  return newTokenizer(bertSpecialTokens, o);
}

const specialMap = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };

/** vocab.txt, tokenizer_config.json and special_tokens_map.json as transformers writes them for this tokenizer. */
export function newTokenizerFiles(vocab: readonly string[], o: Omit<NewTokenizerOptions, 'segmenter'>): ExportFiles {
  // vocab.txt is one token a line: a token with a line break (or blank) would shift every id after it.
  const bad = vocab.findIndex((t) => t === '' || /[\r\n\u0085\u2028\u2029]/.test(t));
  if (bad >= 0) throw new Error(`vocabulary entry ${bad} (${JSON.stringify(vocab[bad])}) cannot be written as a vocab.txt line`);
  const config =
    o.wordSplitter === 'mecab'
      ? {
          tokenizer_class: 'BertJapaneseTokenizer',
          word_tokenizer_type: 'mecab',
          subword_tokenizer_type: 'wordpiece',
          // fugashi with the IPADIC dictionary: the segmentation kuromoji reproduces.
          mecab_kwargs: { mecab_dic: 'ipadic' },
          do_lower_case: o.lowercase,
          model_max_length: o.maxLength,
          ...specialMap,
        }
      : { tokenizer_class: 'BertTokenizer', do_lower_case: o.lowercase, tokenize_chinese_chars: true, model_max_length: o.maxLength, ...specialMap };
  return new Map<string, string>([
    ['vocab.txt', `${vocab.join('\n')}\n`],
    ['tokenizer_config.json', `${JSON.stringify(config, null, 2)}\n`],
    ['special_tokens_map.json', `${JSON.stringify(specialMap, null, 2)}\n`],
  ]);
}
