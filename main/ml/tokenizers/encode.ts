// What every tokenizer shares once it has text tokens: truncation, special tokens, masks.
import type { EncodeOptions, Encoded, TokenSpan } from './types';

/** Keeps `budget` of `tokens`: the head, or (head+tail) the first ⌊budget/4⌋ and the rest from the end. */
export function truncate(tokens: TokenSpan[], budget: number, how: EncodeOptions['truncation'] = 'head'): TokenSpan[] {
  if (tokens.length <= budget) return tokens;
  if (budget <= 0) return [];
  if (how === 'head+tail') {
    const head = Math.floor(budget / 4);
    return [...tokens.slice(0, head), ...tokens.slice(tokens.length - (budget - head))];
  }
  return tokens.slice(0, budget);
}

/** first · tokens · last, truncated to options.maxLength, with mask 1 and token type 0. */
export function withSpecials(text: string, tokens: TokenSpan[], first: TokenSpan | null, last: TokenSpan | null, options: EncodeOptions = {}): Encoded {
  const add = options.addSpecialTokens ?? true;
  const specials = add ? (first ? 1 : 0) + (last ? 1 : 0) : 0;
  const budget = options.maxLength === undefined ? tokens.length : Math.max(0, options.maxLength - specials);
  const kept = truncate(tokens, budget, options.truncation);
  const all = add ? [...(first ? [first] : []), ...kept, ...(last ? [{ ...last, start: text.length, end: text.length }] : [])] : kept;
  return {
    ids: all.map((t) => t.id),
    tokens: all,
    attentionMask: all.map(() => 1),
    tokenTypeIds: all.map(() => 0),
    truncated: tokens.length - kept.length,
  };
}
