// BertTokenizer from a vocab.txt: basic tokenization, then WordPiece, greedy longest-match-first
// (Hugging Face transformers/tokenizers; Wu et al. 2016, "Google's Neural Machine Translation System").
import { basicTokenize, type Word } from './basic';
import { aroundAdded, assemble, buildVocabulary, numberWords, type AddedToken, type SpecialToken } from './encode';
import type { EncodeOptions, Encoded, SpecialIds, Tokenizer, TokenSpan } from './types';

export interface SpecialTokenNames {
  unk: string;
  cls: string;
  sep: string;
  pad: string;
  mask: string;
}

export const bertSpecialNames: SpecialTokenNames = { unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', pad: '[PAD]', mask: '[MASK]' };

export interface WordPieceOptions {
  /** do_lower_case; BertTokenizer's default is true. */
  lowercase?: boolean;
  /** strip_accents; null follows `lowercase`, as transformers does. */
  stripAccents?: boolean | null;
  /** tokenize_chinese_chars (default true). */
  splitCjk?: boolean;
  /** never_split: whitespace-separated words kept whole and not lower-cased. */
  neverSplit?: readonly string[];
  /** Special token names (default [UNK] [CLS] [SEP] [PAD] [MASK]). */
  names?: Partial<SpecialTokenNames>;
  /**
   * Tokens matched whole in the raw text before basic tokenization (added_tokens_decoder,
   * additional_special_tokens). The five special tokens are added when in the vocabulary.
   */
  addedTokens?: readonly AddedToken[];
  /** model_max_length when it is a real limit. */
  modelMaxLength?: number | null;
  /** Longer words become [UNK] whole (max_input_chars_per_word). */
  maxInputCharsPerWord?: number;
  continuingPrefix?: string;
}

/** Greedy longest-match-first WordPiece of one word; null when some part matches nothing. */
export function wordPieces(chars: readonly string[], has: (piece: string) => boolean, prefix = '##'): { piece: string; from: number; to: number }[] | null {
  const out: { piece: string; from: number; to: number }[] = [];
  let at = 0;
  while (at < chars.length) {
    let stop = chars.length;
    let found: string | null = null;
    while (at < stop) {
      const piece = (at > 0 ? prefix : '') + chars.slice(at, stop).join('');
      if (has(piece)) {
        found = piece;
        break;
      }
      stop--;
    }
    if (found === null) return null;
    out.push({ piece: found, from: at, to: stop });
    at = stop;
  }
  return out;
}

export class WordPieceTokenizer implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  readonly modelMaxLength: number | null;
  /** Vocabulary entry → id; for a duplicated line the last one wins, as in transformers and tokenizers. */
  readonly vocab: Map<string, number>;
  private readonly tokens: string[];
  private readonly names: SpecialTokenNames;
  private readonly added: AddedToken[];
  private readonly lowercase: boolean;
  private readonly stripAccents: boolean | null;
  private readonly splitCjk: boolean;
  private readonly neverSplit: ReadonlySet<string>;
  private readonly maxChars: number;
  private readonly prefix: string;
  private readonly cls: SpecialToken | null;
  private readonly sep: SpecialToken | null;

  /** vocab.txt: one token per line, line number = id. */
  static fromVocabText(text: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return new WordPieceTokenizer(lines, options);
  }

  constructor(tokens: readonly string[], options: WordPieceOptions = {}) {
    this.names = { ...bertSpecialNames, ...options.names };
    // Added tokens may lie beyond vocab.txt (ids from added_tokens_decoder).
    const v = buildVocabulary(tokens, this.names, options.addedTokens);
    this.tokens = v.tokens;
    this.vocab = v.vocab;
    this.added = v.added;
    this.special = v.special;
    this.cls = v.cls;
    this.sep = v.sep;
    this.vocabSize = v.size;
    this.modelMaxLength = options.modelMaxLength ?? null;
    this.lowercase = options.lowercase ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.splitCjk = options.splitCjk ?? true;
    this.neverSplit = new Set(options.neverSplit ?? []);
    this.maxChars = options.maxInputCharsPerWord ?? 100;
    this.prefix = options.continuingPrefix ?? '##';
    const strip = this.stripAccents ?? this.lowercase;
    this.description = `BERT basic tokenization${this.lowercase ? ' (lower-cased)' : ''}${strip ? ', accents stripped' : ''} + WordPiece`;
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  /** The words WordPiece sees (basic tokenization as configured): what a vocabulary is learned from. */
  wordsOf(text: string): string[] {
    return basicTokenize(text, { lowercase: this.lowercase, stripAccents: this.stripAccents, splitCjk: this.splitCjk, neverSplit: this.neverSplit }).map((w) => w.text);
  }

  /** Text tokens with their spans: added tokens whole, then basic tokenization and WordPiece per piece between them. */
  tokenize(text: string): TokenSpan[] {
    const tokens = aroundAdded(text, this.added, (start, end) => {
      const words = basicTokenize(text.slice(start, end), {
        lowercase: this.lowercase,
        stripAccents: this.stripAccents,
        splitCjk: this.splitCjk,
        neverSplit: this.neverSplit,
      });
      return words.flatMap((word) => this.wordPieces(word).map((t) => ({ ...t, start: t.start + start, end: t.end + start, word: word.start + start })));
    });
    return numberWords(tokens);
  }

  /** [CLS] tokens [SEP], the text tokens truncated as options say; token types 0. */
  encode(text: string, options: EncodeOptions = {}): Encoded {
    return assemble(text, this.tokenize(text), { prefix: this.cls ? [this.cls] : [], suffix: this.sep ? [this.sep] : [] }, options);
  }

  private unk(word: Word): TokenSpan {
    return { id: this.special.unk ?? 0, text: this.names.unk, start: word.start, end: word.end, special: false };
  }

  private wordPieces(word: Word): TokenSpan[] {
    const { text, start, end, spans } = word;
    // never_split words are kept whole (transformers appends them without WordPiece).
    if (this.neverSplit.has(text)) return [this.vocab.has(text) ? { id: this.vocab.get(text)!, text, start, end, special: false } : this.unk(word)];
    const chars = [...text];
    if (chars.length > this.maxChars) return [this.unk(word)];
    const pieces = wordPieces(chars, (p) => this.vocab.has(p), this.prefix);
    if (!pieces) return [this.unk(word)];
    return pieces.map((p) => ({ id: this.vocab.get(p.piece)!, text: p.piece, start: spans[p.from][0], end: spans[p.to - 1][1], special: false }));
  }
}
