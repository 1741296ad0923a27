// Next-sentence-prediction pairs as BERT's create_pretraining_data.py makes them (Devlin et al.
// 2019, create_instances_from_document): sentences gathered up to a target length (sometimes a
// shorter one), cut into segment A and B at a random sentence boundary; half the time B is
// replaced by text from a random other document; the pair is trimmed to fit, a token at a time
// from the longer side, front or back at random. [CLS] A [SEP] B [SEP] with token types 0…0 1…1.
import type { PackedSequence, TokenizedDocument } from './masking';

/** A sentence-pair sequence: BERT's [CLS] A [SEP] B [SEP], its token types, and whether B was drawn at random. */
export interface PairSequence extends PackedSequence {
  tokenTypes: Int32Array;
  /** transformers' next_sentence_label: 0 = B continues A, 1 = B is random. */
  nextLabel: 0 | 1;
}

export interface PairOptions {
  /** Sequence length including [CLS] and two [SEP]. */
  length: number;
  cls: number;
  sep: number;
  /** BERT's short_seq_prob: how often a shorter target length is drawn, so fine-tuning's short inputs are seen. */
  shortSequenceProbability: number;
}

/** Sentences of a text: cut after 。！？!? (and their closing quotes) and at line breaks; blank ones dropped. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[。！？!?][」』）)"']*)(?![」』）)"'])|\r?\n/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const randint = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)); // inclusive, as Python's

/** Trims the longer of the two a token at a time (from its front or back at random) until they fit. */
function truncatePair(a: TokenizedDocument, b: TokenizedDocument, max: number, random: () => number): [TokenizedDocument, TokenizedDocument] {
  const x = { ids: [...a.ids], words: [...a.words] };
  const y = { ids: [...b.ids], words: [...b.words] };
  while (x.ids.length + y.ids.length > max) {
    const longer = x.ids.length > y.ids.length ? x : y;
    if (random() < 0.5) {
      longer.ids.shift();
      longer.words.shift();
    } else {
      longer.ids.pop();
      longer.words.pop();
    }
  }
  return [x, y];
}

const concat = (parts: readonly TokenizedDocument[]): TokenizedDocument => ({ ids: parts.flatMap((p) => p.ids), words: parts.flatMap((p) => p.words) });

/**
 * The pairs of every document (each a list of tokenized sentences), in order. Word numbers are
 * made distinct across sentences of a pair so whole-word masking never joins two words.
 */
export function sentencePairs(documents: readonly (readonly TokenizedDocument[])[], o: PairOptions, random: () => number): PairSequence[] {
  const maxTokens = o.length - 3;
  if (maxTokens < 2) throw new RangeError(`sequence length ${o.length} leaves no room for two segments`);
  const out: PairSequence[] = [];
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d].filter((s) => s.ids.length > 0);
    const target = random() < o.shortSequenceProbability ? randint(random, 2, maxTokens) : maxTokens;
    let chunk: TokenizedDocument[] = [];
    let length = 0;
    for (let i = 0; i < doc.length; i++) {
      chunk.push(doc[i]);
      length += doc[i].ids.length;
      if (i !== doc.length - 1 && length < target) continue;
      const aEnd = chunk.length >= 2 ? randint(random, 1, chunk.length - 1) : 1;
      const a = concat(chunk.slice(0, aEnd));
      let b: TokenizedDocument;
      let nextLabel: 0 | 1 = 0;
      const others = documents.length > 1;
      if (others && (chunk.length === 1 || random() < 0.5)) {
        nextLabel = 1;
        const wanted = target - a.ids.length;
        let r = d;
        for (let tries = 0; tries < 10 && r === d; tries++) r = randint(random, 0, documents.length - 1);
        const other = documents[r].filter((s) => s.ids.length > 0);
        const parts: TokenizedDocument[] = [];
        let got = 0;
        for (let j = other.length ? randint(random, 0, other.length - 1) : 0; j < other.length && got < wanted; j++) {
          parts.push(other[j]);
          got += other[j].ids.length;
        }
        b = concat(parts);
        // The sentences of this chunk not used as A go back for the next pair.
        i -= chunk.length - aEnd;
      } else {
        b = concat(chunk.slice(aEnd));
      }
      chunk = [];
      length = 0;
      if (a.ids.length === 0 || b.ids.length === 0) continue;
      const [ta, tb] = truncatePair(a, b, maxTokens, random);
      if (ta.ids.length === 0 || tb.ids.length === 0) continue;
      // B's words are numbered after A's: a word never spans the [SEP].
      const shift = Math.max(-1, ...ta.words) + 1 - Math.min(...tb.words);
      out.push({
        ids: Int32Array.from([o.cls, ...ta.ids, o.sep, ...tb.ids, o.sep]),
        words: Int32Array.from([-1, ...ta.words, -1, ...tb.words.map((w) => w + shift), -1]),
        tokenTypes: Int32Array.from([0, ...ta.ids.map(() => 0), 0, ...tb.ids.map(() => 1), 1]),
        nextLabel,
      });
    }
  }
  return out;
}
