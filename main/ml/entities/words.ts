// Given words encoded for a table-filling model (Ma, Hiraoka & Okazaki 2022, TabERT): each word
// tokenized on its own, the sentence wrapped in [CLS] … [SEP], and each subword's word kept so a
// word's vector can be pooled from its subwords.
import { ShirabeError } from '../../../common/errors';
import type { EncoderBatch } from '../models/encoder';
import type { Tokenizer } from '../tokenizers/types';

export interface EncodedWords {
  /** [CLS] subwords… [SEP]. */
  ids: number[];
  tokenTypeIds: number[];
  /** The word of each subword; -1 for [CLS] and [SEP]. */
  wordOf: number[];
  /** How many of the sentence's words fit in maxLength (the rest were cut and are not scored). */
  wordsKept: number;
  /** How many words the sentence had. */
  numWords: number;
}

/**
 * Encodes words one by one without special tokens (a tokenizer.json model — byte-level BPE or
 * Metaspace — gets a leading space before every word but the first, as the word has in running
 * text), then adds [CLS] … [SEP]. Only whole words are kept within maxLength subwords; a word with
 * no subwords (an empty string) gets [UNK] so that every kept word has one.
 */
export function encodeWords(tokenizer: Tokenizer, words: readonly string[], maxLength = 512): EncodedWords {
  const { cls, sep, unk } = tokenizer.special;
  if (cls === null || sep === null) throw new ShirabeError('entitiesTokenizerNoSpecials', { tokenizer: tokenizer.description });
  if (maxLength < 3) throw new RangeError(`maxLength ${maxLength} leaves no room for a word`);
  const ids = [cls];
  const wordOf = [-1];
  let wordsKept = 0;
  for (let w = 0; w < words.length; w++) {
    const text = tokenizer.kind === 'tokenizer.json' && w > 0 ? ` ${words[w]}` : words[w];
    let pieces = tokenizer.encode(text, { addSpecialTokens: false }).ids;
    if (pieces.length === 0) pieces = [unk ?? tokenizer.special.pad];
    if (ids.length + pieces.length + 1 > maxLength) break;
    for (const id of pieces) {
      ids.push(id);
      wordOf.push(w);
    }
    wordsKept++;
  }
  ids.push(sep);
  wordOf.push(-1);
  return { ids, tokenTypeIds: ids.map(() => 0), wordOf, wordsKept, numWords: words.length };
}

/** A padded batch of encoded sentences with what word pooling needs. */
export interface WordBatch {
  encoder: EncoderBatch;
  /** Words (kept) of each sentence. */
  numWords: number[];
  /** n: the most words of any sentence; word tensors are [B, n, …]. */
  maxWords: number;
  /** S: the most subwords of any word. */
  maxSubwords: number;
  /**
   * [B·n·S] flat positions b·T + t of each word's subwords, padded with B·T (a row of −∞ that max
   * pooling never picks; padding words point there entirely and are zeroed after pooling).
   */
  subwordIndex: Int32Array;
  /** [B·n] 1 for a real word, 0 for padding. */
  wordMask: Float32Array;
}

/** Pads encoded sentences to one batch (pad id from the tokenizer). */
export function wordBatch(sentences: readonly EncodedWords[], padId: number): WordBatch {
  const B = sentences.length;
  if (B === 0) throw new RangeError('an empty batch');
  const T = Math.max(...sentences.map((s) => s.ids.length));
  const numWords = sentences.map((s) => s.wordsKept);
  const n = Math.max(1, ...numWords);
  const counts = sentences.map((s) => {
    const c = new Array<number>(s.wordsKept).fill(0);
    for (const w of s.wordOf) if (w >= 0) c[w]++;
    return c;
  });
  const S = Math.max(1, ...counts.flat());
  const ids = new Int32Array(B * T).fill(padId);
  const attentionMask = new Int32Array(B * T);
  const tokenTypeIds = new Int32Array(B * T);
  const subwordIndex = new Int32Array(B * n * S).fill(B * T);
  const wordMask = new Float32Array(B * n);
  sentences.forEach((s, b) => {
    const filled = new Array<number>(n).fill(0);
    s.ids.forEach((id, t) => {
      ids[b * T + t] = id;
      attentionMask[b * T + t] = 1;
      tokenTypeIds[b * T + t] = s.tokenTypeIds[t];
      const w = s.wordOf[t];
      if (w >= 0) subwordIndex[(b * n + w) * S + filled[w]++] = b * T + t;
    });
    for (let w = 0; w < s.wordsKept; w++) wordMask[b * n + w] = 1;
  });
  return { encoder: { ids, attentionMask, tokenTypeIds, batchSize: B, length: T }, numWords, maxWords: n, maxSubwords: S, subwordIndex, wordMask };
}
