// WordPiece vocabulary learning as Hugging Face tokenizers' WordPieceTrainer (a BpeTrainer with "##") does it; Sennrich et al. 2016 (BPE); Schuster & Nakajima 2012 (WordPiece).
import { ShirabeError } from '../../../common/errors';

/** BERT's special tokens in the order that gives them ids 0–4, as the default model's vocab.txt has them. */
export const bertSpecialTokens: readonly string[] = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** The continuing-subword prefix of WordPieceTrainer and of our WordPiece tokenizer. */
const prefix = '##';

/** Word counts gathered document by document, so a corpus never has to be held whole. */
export class WordCounter {
  private readonly map = new Map<string, number>();

  /** One document's (or batch's) words, each counted once per occurrence; empty strings carry no characters and are skipped. */
  add(words: Iterable<string>): void {
    for (const word of words) {
      if (word) this.map.set(word, (this.map.get(word) ?? 0) + 1);
    }
  }

  get counts(): ReadonlyMap<string, number> {
    return this.map;
  }

  /** Distinct words. */
  get size(): number {
    return this.map.size;
  }
}

export interface LearnWordPieceOptions {
  /**
   * Target size including special tokens. As in tokenizers, the special tokens and the
   * alphabet are never cut: when they alone exceed it, the result is longer (bound it with
   * `limitAlphabet`).
   */
  vocabSize: number;
  /**
   * A pair must occur at least this often (weighted by word count) to be merged. Default 2,
   * BertWordPieceTokenizer.train's: a pair seen once is one word's spelling, not a reusable
   * piece. (WordPieceTrainer itself defaults to 0.)
   */
  minFrequency?: number;
  /**
   * Keep only the N most frequent characters; words lose the others, which then tokenize
   * as [UNK]. Default null (keep all), WordPieceTrainer's: BertWordPieceTokenizer.train's
   * 1000 would drop most kanji of a Japanese corpus and turn every word holding one into [UNK].
   */
  limitAlphabet?: number | null;
  /** Placed first, in this order (default BERT's [PAD] [UNK] [CLS] [SEP] [MASK]). */
  specialTokens?: readonly string[];
  /** Vocabulary entries so far out of vocabSize; called now and then and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Checked before every merge; true throws ShirabeError('cancelled'). */
  shouldStop?: () => boolean;
}

// Pair (a, b) as one number key; ids stay far below 2^26, so the key is an exact integer.
const pairBase = 2 ** 26;

/** A queued merge candidate: a pair, its count when queued, and the words it was seen in then. */
interface Candidate {
  a: number;
  b: number;
  count: number;
  pos: number[];
  seq: number;
}

/**
 * The highest count first; among equal counts the smallest (first id, second id), which is
 * tokenizers' `Ord for Merge` (count, then the pair in ascending order). `seq` only orders
 * two entries of one pair with one count, which tokenizers leaves to its heap's layout.
 */
function before(x: Candidate, y: Candidate): boolean {
  if (x.count !== y.count) return x.count > y.count;
  if (x.a !== y.a) return x.a < y.a;
  if (x.b !== y.b) return x.b < y.b;
  return x.seq < y.seq;
}

class CandidateHeap {
  private readonly items: Candidate[] = [];

  push(item: Candidate): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  pop(): Candidate | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && before(h[l], h[best])) best = l;
        if (r < h.length && before(h[r], h[best])) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best], h[i]];
        i = best;
      }
    }
    return top;
  }
}

function codePoint(ch: string): number {
  return ch.codePointAt(0)!;
}

/**
 * Learns a WordPiece vocabulary from word counts and returns vocab.txt's lines (index = id):
 * the special tokens, the alphabet in code-point order, each "##c" a word continues with,
 * then one token per merge in merge order.
 *
 * Follows tokenizers' BpeTrainer step for step, so that its vocabulary is one tokenizers can
 * produce: the lazily refreshed priority queue, the per-pair word lists, and the count
 * bookkeeping of `Word::merge` (which never lowers the merged pair's own count) decide the
 * same merges. Where tokenizers depends on HashMap order we fix one: words are visited by
 * count descending, then by string, so "##c" tokens are numbered by first appearance in that
 * order; ties among equally frequent characters under `limitAlphabet` drop the later code
 * point first. Words equal to a special token are skipped so a special token is never
 * spelled out and merged. Words of any length are learned from, as in tokenizers
 * (max_input_chars_per_word applies only when encoding).
 */
export function learnWordPiece(counts: ReadonlyMap<string, number>, options: LearnWordPieceOptions): string[] {
  const { vocabSize, onProgress, shouldStop } = options;
  const minFrequency = options.minFrequency ?? 2;
  const limitAlphabet = options.limitAlphabet ?? null;
  const specialTokens = options.specialTokens ?? bertSpecialTokens;
  if (!Number.isInteger(vocabSize) || vocabSize < 0) throw new RangeError(`vocabSize must be a non-negative integer, got ${vocabSize}`);
  if (!(minFrequency >= 0)) throw new RangeError(`minFrequency must be non-negative, got ${minFrequency}`);
  if (limitAlphabet !== null && (!Number.isInteger(limitAlphabet) || limitAlphabet < 0)) {
    throw new RangeError(`limitAlphabet must be a non-negative integer or null, got ${limitAlphabet}`);
  }

  const tokens: string[] = [];
  const ids = new Map<string, number>();
  // A string already in the vocabulary keeps its id, as tokenizers' word_to_id does for a
  // merge that spells an existing token: vocab.txt never repeats a line.
  const intern = (token: string): number => {
    let id = ids.get(token);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(token);
      ids.set(token, id);
    }
    return id;
  };
  for (const token of specialTokens) intern(token);

  const special = new Set(specialTokens);
  const entries = [...counts].filter(([word, count]) => count > 0 && word.length > 0 && !special.has(word));
  // Map insertion order follows how the caller streamed the corpus; sorting makes the result a function of the counts alone.
  entries.sort(([w1, c1], [w2, c2]) => c2 - c1 || (w1 < w2 ? -1 : w1 > w2 ? 1 : 0));

  const charCounts = new Map<string, number>();
  for (const [word, count] of entries) {
    for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + count);
  }
  let alphabet = [...charCounts];
  if (limitAlphabet !== null && alphabet.length > limitAlphabet) {
    alphabet.sort(([ch1, n1], [ch2, n2]) => n1 - n2 || codePoint(ch2) - codePoint(ch1));
    alphabet = alphabet.slice(alphabet.length - limitAlphabet);
  }
  alphabet.sort(([ch1], [ch2]) => codePoint(ch1) - codePoint(ch2));
  for (const [ch] of alphabet) intern(ch);

  const words: number[][] = [];
  const weights: number[] = [];
  for (const [word, count] of entries) {
    const symbols: number[] = [];
    let first = true;
    for (const ch of word) {
      // A character left out of the alphabet is dropped and its neighbours become adjacent,
      // and "first" means first in the word as written: both as tokenizers' tokenize_words.
      if (ids.has(ch)) symbols.push(intern(first ? ch : prefix + ch));
      first = false;
    }
    words.push(symbols);
    weights.push(count);
  }

  const pairCounts = new Map<number, number>();
  // Pairs whose count rose, with the words where it rose: they go (back) into the queue.
  const rising = new Map<number, number[]>();
  const note = (key: number, iw: number): void => {
    let pos = rising.get(key);
    if (!pos) rising.set(key, (pos = []));
    // One word's changes arrive together, so a repeat can only be the last entry.
    if (pos[pos.length - 1] !== iw) pos.push(iw);
  };
  for (let iw = 0; iw < words.length; iw++) {
    const w = words[iw];
    for (let j = 0; j + 1 < w.length; j++) {
      const key = w[j] * pairBase + w[j + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + weights[iw]);
      note(key, iw);
    }
  }

  const queue = new CandidateHeap();
  let seq = 0;
  const enqueueRising = (): void => {
    for (const [key, pos] of rising) {
      const count = pairCounts.get(key)!;
      if (count > 0) queue.push({ a: Math.floor(key / pairBase), b: key % pairBase, count, pos, seq: seq++ });
    }
    rising.clear();
  };
  enqueueRising();

  const change = (a: number, b: number, delta: number, iw: number): void => {
    const key = a * pairBase + b;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + delta * weights[iw]);
    if (delta > 0) note(key, iw);
  };

  const progressStep = Math.max(1, Math.floor(vocabSize / 200));
  let reported = tokens.length;
  onProgress?.(tokens.length, vocabSize);

  while (tokens.length < vocabSize) {
    if (shouldStop?.()) throw new ShirabeError('cancelled');
    const top = queue.pop();
    if (!top) break;
    const a = top.a;
    const b = top.b;
    // Counts in the queue go stale as merges change them; a stale entry goes back with the
    // current count instead of being found and updated in place.
    const current = pairCounts.get(a * pairBase + b)!;
    if (top.count !== current) {
      top.count = current;
      queue.push(top);
      continue;
    }
    if (top.count < 1 || minFrequency > top.count) break;

    const right = tokens[b].startsWith(prefix) ? tokens[b].slice(prefix.length) : tokens[b];
    const merged = intern(tokens[a] + right);

    // Only the words listed with this entry are merged; a word where the pair appeared
    // later is in a newer entry. Like tokenizers' Word::merge: left to right, without
    // overlaps, reporting the neighbours' pairs that vanish and appear.
    for (const iw of top.pos) {
      const w = words[iw];
      for (let i = 0; i < w.length; i++) {
        if (w[i] !== a || i + 1 >= w.length || w[i + 1] !== b) continue;
        if (i > 0) {
          change(w[i - 1], a, -1, iw);
          change(w[i - 1], merged, 1, iw);
        }
        w.splice(i, 2, merged);
        if (i < w.length - 1) {
          change(b, w[i + 1], -1, iw);
          change(merged, w[i + 1], 1, iw);
        }
      }
    }
    enqueueRising();

    if (onProgress && tokens.length - reported >= progressStep) {
      reported = tokens.length;
      onProgress(tokens.length, vocabSize);
    }
  }
  onProgress?.(tokens.length, vocabSize);
  return tokens;
}
