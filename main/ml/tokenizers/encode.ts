// What every tokenizer shares once it has text tokens: added tokens found in the raw text,
// truncation, special tokens around the text, masks and token types.
import type { EncodeOptions, Encoded, SpecialIds, TokenSpan } from './types';

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

/** A special token the tokenizer puts around the text: its id, vocabulary entry and token type. */
export interface SpecialToken {
  id: number;
  text: string;
  typeId?: number;
}

/**
 * prefix · tokens · suffix, the text tokens truncated so the whole fits options.maxLength, mask 1.
 * Specials are zero-width: those before the text at 0, those after it at text.length.
 */
export function assemble(
  text: string,
  tokens: TokenSpan[],
  specials: { prefix: readonly SpecialToken[]; suffix: readonly SpecialToken[]; typeId?: number },
  options: EncodeOptions = {},
): Encoded {
  const add = options.addSpecialTokens ?? true;
  const prefix = add ? specials.prefix : [];
  const suffix = add ? specials.suffix : [];
  const budget = options.maxLength === undefined ? tokens.length : Math.max(0, options.maxLength - prefix.length - suffix.length);
  const kept = truncate(tokens, budget, options.truncation);
  const at = (s: SpecialToken, pos: number): TokenSpan => ({ id: s.id, text: s.text, start: pos, end: pos, special: true });
  const all = [...prefix.map((s) => at(s, 0)), ...kept, ...suffix.map((s) => at(s, text.length))];
  const textType = specials.typeId ?? 0;
  return {
    ids: all.map((t) => t.id),
    tokens: all,
    attentionMask: all.map(() => 1),
    tokenTypeIds: [...prefix.map((s) => s.typeId ?? 0), ...kept.map(() => textType), ...suffix.map((s) => s.typeId ?? 0)],
    truncated: tokens.length - kept.length,
  };
}

/** A token matched whole in the raw text before any other processing ([CLS], <mask>, user-added words). */
export interface AddedToken {
  content: string;
  id: number;
  special: boolean;
  /** Swallows the whitespace on its left / right (tokenizers' AddedToken.lstrip / rstrip). */
  lstrip?: boolean;
  rstrip?: boolean;
  /** Matched in the normalised text rather than the raw text (tokenizer.json only). */
  normalized?: boolean;
}

/** A stretch of text, or one added token found in it, with its [start, end) in the text. */
export interface Piece {
  start: number;
  end: number;
  added: AddedToken | null;
}

/**
 * Splits text at added tokens, leftmost-longest as tokenizers' AddedVocabulary does. A token
 * with lstrip/rstrip takes the neighbouring whitespace into its span. Text pieces may be empty.
 */
export function splitOnAdded(text: string, tokens: readonly AddedToken[]): Piece[] {
  if (!tokens.length || text === '') return [{ start: 0, end: text.length, added: null }];
  const byFirst = new Map<string, AddedToken[]>();
  for (const t of tokens) {
    if (t.content === '') continue;
    const list = byFirst.get(t.content[0]) ?? [];
    list.push(t);
    byFirst.set(t.content[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.content.length - a.content.length);
  const out: Piece[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const match = byFirst.get(text[i])?.find((t) => text.startsWith(t.content, i));
    if (!match) {
      i++;
      continue;
    }
    let start = i;
    let end = i + match.content.length;
    if (match.lstrip) while (start > last && /\s/.test(text[start - 1])) start--;
    if (match.rstrip) while (end < text.length && /\s/.test(text[end])) end++;
    out.push({ start: last, end: start, added: null });
    out.push({ start, end, added: match });
    last = end;
    i = end;
  }
  out.push({ start: last, end: text.length, added: null });
  return out;
}

/** An added token found in the text, as a token of the text (not special: it has a span). */
export function addedSpan(piece: Piece): TokenSpan {
  return { id: piece.added!.id, text: piece.added!.content, start: piece.start, end: piece.end, special: false };
}

export interface Vocabulary {
  /** id → token, with added tokens past the vocabulary filled in. */
  tokens: string[];
  /** token → id; for a duplicated line the last id wins, as in transformers. */
  vocab: Map<string, number>;
  /** Added tokens, then the special tokens present in the vocabulary: all are matched in the raw text first. */
  added: AddedToken[];
  special: SpecialIds;
  cls: SpecialToken | null;
  sep: SpecialToken | null;
  size: number;
}

/** A vocab.txt's lines with the added tokens (whose ids may lie beyond it) and the special tokens' ids. */
export function buildVocabulary(
  lines: readonly string[],
  names: Readonly<Record<'unk' | 'cls' | 'sep' | 'pad' | 'mask', string>>,
  addedTokens: readonly AddedToken[] = [],
): Vocabulary {
  const tokens = [...lines];
  const vocab = new Map<string, number>();
  tokens.forEach((t, id) => vocab.set(t, id));
  const added: AddedToken[] = [];
  const seen = new Set<string>();
  for (const a of addedTokens) {
    if (seen.has(a.content)) continue;
    seen.add(a.content);
    added.push(a);
    if (!vocab.has(a.content)) vocab.set(a.content, a.id);
    if (tokens[a.id] === undefined) tokens[a.id] = a.content;
  }
  for (const name of Object.values(names)) {
    const id = vocab.get(name);
    if (id !== undefined && !seen.has(name)) {
      seen.add(name);
      added.push({ content: name, id, special: true });
    }
  }
  const idOf = (t: string) => vocab.get(t) ?? null;
  const special: SpecialIds = { pad: idOf(names.pad) ?? 0, unk: idOf(names.unk), cls: idOf(names.cls), sep: idOf(names.sep), mask: idOf(names.mask) };
  return {
    tokens,
    vocab,
    added,
    special,
    cls: special.cls === null ? null : { id: special.cls, text: names.cls },
    sep: special.sep === null ? null : { id: special.sep, text: names.sep },
    size: Math.max(tokens.length, ...added.map((a) => a.id + 1)),
  };
}

/** Added tokens whole, and `between(start, end)`'s tokens for every non-empty stretch of text between them. */
/**
 * Word numbers 0, 1, 2… in text order from the tokenizer's word keys: consecutive tokens with the
 * same key are one word; a token without a key (an added token such as [MASK]) is a word of its own.
 */
export function numberWords(tokens: readonly TokenSpan[]): TokenSpan[] {
  let n = -1;
  let prev: number | undefined;
  return tokens.map((t, i) => {
    if (t.word === undefined || i === 0 || t.word !== prev) n++;
    prev = t.word;
    return { ...t, word: n };
  });
}

export function aroundAdded(text: string, added: readonly AddedToken[], between: (start: number, end: number) => TokenSpan[]): TokenSpan[] {
  const out: TokenSpan[] = [];
  for (const piece of splitOnAdded(text, added)) {
    if (piece.added) out.push(addedSpan(piece));
    else if (piece.end > piece.start) out.push(...between(piece.start, piece.end));
  }
  return out;
}
