// The one tokenizer interface every model uses, whatever its files (vocab.txt WordPiece,
// BertJapaneseTokenizer, tokenizer.json). Offsets are [start, end) in UTF-16 code units of
// the original text, so text.slice(start, end) is the token's source.

export interface TokenSpan {
  id: number;
  /** The vocabulary entry (e.g. "##ing", "Ġworld", "▁東京"). */
  text: string;
  start: number;
  end: number;
  /** Added by the tokenizer ([CLS], <s>, [SEP], padding), not from the text; start === end. */
  special: boolean;
  /**
   * Which word of the text the token belongs to, as the tokenizer's own word splitter cut it
   * (MeCab morphemes, BERT basic-tokenizer words): tokens of one word share it, in text order.
   * Whole-word masking groups by it. Absent where the tokenizer has no word step (tokenizer.json).
   */
  word?: number;
}

export type Truncation = 'head' | 'head+tail';

export interface EncodeOptions {
  /** Total length including special tokens; longer encodings are truncated. */
  maxLength?: number;
  /** 'head' keeps the start; 'head+tail' keeps the first quarter and the last three quarters of the budget (Sun et al. 2019, "How to Fine-Tune BERT for Text Classification?": head 128 + tail 382 of 512). */
  truncation?: Truncation;
  /** Default true: [CLS] … [SEP] or <s> … </s> as the model's config says. */
  addSpecialTokens?: boolean;
}

export interface Encoded {
  ids: number[];
  tokens: TokenSpan[];
  attentionMask: number[];
  tokenTypeIds: number[];
  /** How many text tokens truncation dropped (0 when none). */
  truncated: number;
}

export type TokenizerKind = 'wordpiece' | 'bert-japanese' | 'tokenizer.json';

export interface SpecialIds {
  pad: number;
  unk: number | null;
  cls: number | null;
  sep: number | null;
  mask: number | null;
}

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** Human-readable detail for the check report, e.g. "MeCab (IPADIC) + WordPiece" or "BPE (byte-level)". */
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  /** model_max_length from tokenizer_config.json when it is a real limit, else null. */
  readonly modelMaxLength: number | null;
  encode(text: string, options?: EncodeOptions): Encoded;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
}

/** A word segmenter for Japanese (MeCab-IPADIC words); main/ passes kuromoji in. */
export interface WordSegmenter {
  /** Words with [start, end) offsets in UTF-16 code units of text, whitespace excluded. */
  segment(text: string): { surface: string; start: number; end: number }[];
}

/** Pads a batch to one length (the longest, or `length`) with the pad id and mask 0. */
export function padBatch(encodings: readonly Encoded[], padId: number, length?: number): { ids: Int32Array; attentionMask: Int32Array; tokenTypeIds: Int32Array; length: number } {
  const T = length ?? Math.max(1, ...encodings.map((e) => e.ids.length));
  const B = encodings.length;
  const ids = new Int32Array(B * T).fill(padId);
  const attentionMask = new Int32Array(B * T);
  const tokenTypeIds = new Int32Array(B * T);
  encodings.forEach((e, b) => {
    const n = Math.min(T, e.ids.length);
    for (let t = 0; t < n; t++) {
      ids[b * T + t] = e.ids[t];
      attentionMask[b * T + t] = e.attentionMask[t];
      tokenTypeIds[b * T + t] = e.tokenTypeIds[t];
    }
  });
  return { ids, attentionMask, tokenTypeIds, length: T };
}
