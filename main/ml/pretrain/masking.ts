// Masked-LM inputs as BERT's create_pretraining_data.py and transformers' DataCollatorForWholeWordMask
// make them (Devlin et al. 2019; whole-word masking as in Google's 2019 BERT release and Cui et al.
// 2019): documents packed into fixed-length sequences, 15% of the tokens chosen a whole word at a
// time, each chosen token replaced by [MASK] 80%, a random token 10%, itself 10%. Pure: numbers
// in, numbers out, every draw from the caller's seeded stream.

/** The label of a position that is not predicted (torch's CrossEntropyLoss ignore_index). */
export const notPredicted = -100;

/** A tokenized document: its text tokens (no [CLS]/[SEP]) and each token's word number. */
export interface TokenizedDocument {
  ids: readonly number[];
  /** Tokens of one word share a number (Token.word); numbers need only be distinct between words. */
  words: readonly number[];
}

/** One packed sequence: [CLS] tokens… [SEP], with each position's word (−1 for [CLS]/[SEP]: never masked). */
export interface PackedSequence {
  ids: Int32Array;
  words: Int32Array;
}

/**
 * Each text token's word number: the tokenizer's own (Token.word) where it cuts words; else
 * (tokenizer.json) a token continues the word before it when it is a "##" piece, or when it
 * follows with no gap and carries no word-start mark (Ġ for byte-level BPE, ▁ for SentencePiece).
 */
export function wordNumbers(tokens: readonly { text: string; start: number; end: number; word?: number }[]): number[] {
  if (tokens.every((t) => t.word !== undefined)) return tokens.map((t) => t.word!);
  let n = -1;
  return tokens.map((t, i) => {
    const prev = tokens[i - 1];
    const continues = i > 0 && (t.text.startsWith('##') || (t.start === prev.end && !/^[Ġ▁]/.test(t.text)));
    if (!continues) n++;
    return n;
  });
}

export interface PackOptions {
  /** Sequence length including [CLS] and [SEP]. */
  length: number;
  cls: number;
  sep: number;
}

/**
 * Packs documents in order into sequences of at most `length` tokens (run_mlm.py's group_texts, with
 * BERT's specials): the documents' tokens run on with a [SEP] between documents; each sequence is
 * [CLS] + the next length − 2 tokens of that stream + [SEP] (a document boundary at a sequence's end
 * gives no second [SEP]). Only the last sequence may be shorter. Word numbers are renumbered so no
 * two documents share one.
 */
export function packDocuments(docs: readonly TokenizedDocument[], o: PackOptions): PackedSequence[] {
  if (!Number.isInteger(o.length) || o.length < 3) throw new RangeError(`sequence length ${o.length} leaves no room for text between [CLS] and [SEP]`);
  const body = o.length - 2;
  const out: PackedSequence[] = [];
  let ids: number[] = [];
  let words: number[] = [];
  const flush = () => {
    while (ids.length && words[words.length - 1] === -1) {
      ids.pop();
      words.pop();
    }
    if (ids.length) out.push({ ids: Int32Array.from([o.cls, ...ids, o.sep]), words: Int32Array.from([-1, ...words, -1]) });
    ids = [];
    words = [];
  };
  let wordBase = 0;
  for (const doc of docs) {
    if (doc.ids.length !== doc.words.length) throw new Error('a document needs one word number per token');
    if (doc.ids.length === 0) continue;
    // A [SEP] between documents, unless the sequence is empty (it would open with one).
    if (ids.length) {
      ids.push(o.sep);
      words.push(-1);
      if (ids.length === body) flush();
    }
    const renumber = new Map<number, number>();
    for (let i = 0; i < doc.ids.length; i++) {
      let w = renumber.get(doc.words[i]);
      if (w === undefined) renumber.set(doc.words[i], (w = wordBase++));
      ids.push(doc.ids[i]);
      words.push(w);
      if (ids.length === body) flush();
    }
  }
  flush();
  return out;
}

export interface MaskingOptions {
  /** Share of a sequence's tokens to predict (0.15). */
  probability: number;
  /** Mask whole words (all tokens of a chosen word) or single tokens. */
  wholeWord: boolean;
  maskId: number;
  /** Ids a random replacement may take (the vocabulary without special tokens). */
  replacementIds: readonly number[];
}

export interface MaskedSequence {
  /** The input with chosen tokens replaced. */
  ids: Int32Array;
  /** The original id at chosen positions, notPredicted elsewhere. */
  labels: Int32Array;
}

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Chooses round(probability × sequence length) tokens (at least 1), whole words in random order as
 * DataCollatorForWholeWordMask does (a word that would overshoot the count is skipped), never a
 * position whose word is −1; then replaces each chosen token: 80% [MASK], 10% a random id, 10% kept.
 */
export function maskSequence(seq: PackedSequence, o: MaskingOptions, random: () => number): MaskedSequence {
  const n = seq.ids.length;
  // Candidate units: words (runs of equal word numbers) or single tokens; specials (−1) excluded.
  const units: number[][] = [];
  let maskable = 0;
  for (let i = 0; i < n; i++) {
    const w = seq.words[i];
    if (w < 0) continue;
    maskable++;
    const last = units[units.length - 1];
    if (o.wholeWord && last && seq.words[last[last.length - 1]] === w && last[last.length - 1] === i - 1) last.push(i);
    else units.push([i]);
  }
  const ids = Int32Array.from(seq.ids);
  const labels = new Int32Array(n).fill(notPredicted);
  if (maskable === 0) return { ids, labels };
  // As BERT and transformers count it: over the whole sequence, specials included, Python's round.
  const target = Math.max(1, roundHalfEven(n * o.probability));
  // Fisher–Yates over the units, then take them in that order while they fit.
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [units[i], units[j]] = [units[j], units[i]];
  }
  let chosen = 0;
  for (const unit of units) {
    if (chosen >= target) break;
    if (chosen + unit.length > target) continue;
    for (const i of unit) {
      labels[i] = seq.ids[i];
      const r = random();
      if (r < 0.8) ids[i] = o.maskId;
      else if (r < 0.9) ids[i] = o.replacementIds[Math.floor(random() * o.replacementIds.length)];
    }
    chosen += unit.length;
  }
  return { ids, labels };
}
