// Long documents: a news article is thousands of tokens, and a model reads the first 128 or
// 512. With head truncation only a prefix of the text can reach the model, so tokenizing the
// whole article (MeCab lattice, WordPiece) is wasted work; this tokenizes a growing prefix
// instead, cut just after a sentence end so the kept tokens are the ones the whole text gives.
import type { EncodeOptions, Encoded, Tokenizer } from './types';

/** Characters after which a cut does not change how the text before it is tokenized. */
const SENTENCE_END = /[。｡．！？!?\n]/g;

/** Tokens the prefix must drop beyond maxLength before its kept tokens are trusted. */
export const PREFIX_MARGIN = 16;

/** The first position ≥ at that follows a sentence end (or the text's length). */
export function cutAfterSentence(text: string, at: number): number {
  if (at >= text.length) return text.length;
  SENTENCE_END.lastIndex = at;
  const m = SENTENCE_END.exec(text);
  return m ? m.index + 1 : text.length;
}

/**
 * tokenizer.encode(text, options), but for head truncation of a long text only a prefix is
 * tokenized: from about 3 characters per token, doubling until the prefix alone overflows
 * maxLength by PREFIX_MARGIN tokens (or is the whole text). Every returned token is then the
 * same as the whole text's, and `truncated` is a lower bound (> 0 exactly when the whole text
 * would be truncated). Head+tail truncation needs the end too, so it tokenizes everything.
 */
export function encodeLong(tokenizer: Tokenizer, text: string, options: EncodeOptions): Encoded {
  const { maxLength } = options;
  if (maxLength === undefined || (options.truncation ?? 'head') !== 'head') return tokenizer.encode(text, options);
  let cut = cutAfterSentence(text, 3 * maxLength + 64);
  while (cut < text.length) {
    const e = tokenizer.encode(text.slice(0, cut), options);
    if (e.truncated >= PREFIX_MARGIN) {
      // Specials after the text sit at its end; the text they follow is the whole one.
      const end = text.length;
      return { ...e, tokens: e.tokens.map((t) => (t.special && t.start === cut && t.end === cut ? { ...t, start: end, end } : t)) };
    }
    cut = cutAfterSentence(text, 2 * cut);
  }
  return tokenizer.encode(text, options);
}
