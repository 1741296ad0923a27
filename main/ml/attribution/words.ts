// Token scores gathered into the units a researcher reads: words (the tokenizer's own word of each
// subword, or WordPiece's ## and SentencePiece's ▁ continuation marks when it has none) or any
// character spans such as MeCab morphemes. Signed scores add; norm contributions combine as the
// Frobenius norm of the tokens' rows together, sqrt(Σ c_t²). A token that straddles two spans
// (a subword across a morpheme boundary) is shared between them by the characters each holds.
import type { TokenSpan } from '../tokenizers/types';

export type Combine = 'sum' | 'l2';

export interface UnitScore {
  /** [start, end) in UTF-16 code units of the text. */
  start: number;
  end: number;
  score: number;
  /** The tokens (indices) it gathers. */
  tokens: number[];
}

/** Does the token continue the word before it? From the tokenizer's word index, else the vocabulary's marks. */
function continues(tokens: readonly TokenSpan[], t: number): boolean {
  const token = tokens[t];
  const before = tokens[t - 1];
  if (!before || before.special || token.special) return false;
  if (token.word !== undefined && before.word !== undefined) return token.word === before.word;
  if (token.text.startsWith('##')) return true;
  // SentencePiece (▁) and byte-level BPE (Ġ) mark a word's first piece instead; where the text
  // has no marks at all, every piece is a word of its own (WordPiece's CJK characters).
  if (/^[▁Ġ]/.test(token.text)) return false;
  return tokens.some((x) => /^[▁Ġ]/.test(x.text));
}

function combine(values: number[], how: Combine): number {
  return how === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.sqrt(values.reduce((a, b) => a + b * b, 0));
}

/** The text's words, each with its tokens' combined score; special tokens are left out. */
export function wordScores(tokens: readonly TokenSpan[], scores: ArrayLike<number>, how: Combine): UnitScore[] {
  const groups: number[][] = [];
  tokens.forEach((token, t) => {
    if (token.special) return;
    if (continues(tokens, t) && groups.length > 0) groups[groups.length - 1].push(t);
    else groups.push([t]);
  });
  return groups.map((g) => ({ start: tokens[g[0]].start, end: tokens[g[g.length - 1]].end, score: combine(g.map((t) => scores[t]), how), tokens: g }));
}

/**
 * Scores of character spans (e.g. morphemes): each span gathers the tokens that overlap it, a
 * token's score (for 'l2', its square) shared by the fraction of its characters inside the span.
 */
export function spanScores(tokens: readonly TokenSpan[], scores: ArrayLike<number>, spans: readonly { start: number; end: number }[], how: Combine): UnitScore[] {
  return spans.map((span) => {
    const parts: number[] = [];
    const gathered: number[] = [];
    tokens.forEach((token, t) => {
      if (token.special || token.end <= token.start) return;
      const overlap = Math.min(token.end, span.end) - Math.max(token.start, span.start);
      if (overlap <= 0) return;
      const share = overlap / (token.end - token.start);
      parts.push(how === 'sum' ? scores[t] * share : scores[t] ** 2 * share);
      gathered.push(t);
    });
    const sum = parts.reduce((a, b) => a + b, 0);
    return { start: span.start, end: span.end, score: how === 'sum' ? sum : Math.sqrt(sum), tokens: gathered };
  });
}
