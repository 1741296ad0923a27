// WordPiece: greedy longest-match-first over a vocab.txt (Hugging Face transformers,
// WordpieceTokenizer; Wu et al. 2016, "Google's Neural Machine Translation System").
import { basicTokenize, type BasicOptions, type Word } from './basic';

export interface Token {
  id: number;
  text: string;
  /** [start, end) in the original text; special tokens added around a text have start === end. */
  start: number;
  end: number;
}

export interface Encoding {
  ids: number[];
  tokens: Token[];
  attentionMask: number[];
  tokenTypeIds: number[];
}

export interface WordPieceOptions extends Partial<Omit<BasicOptions, 'neverSplit'>> {
  unkToken?: string;
  clsToken?: string;
  sepToken?: string;
  padToken?: string;
  maskToken?: string;
  /** Longer words become [UNK] whole (transformers' max_input_chars_per_word). */
  maxInputCharsPerWord?: number;
  continuingPrefix?: string;
}

export class WordPieceTokenizer {
  readonly vocab: Map<string, number>;
  readonly idToToken: string[];
  private readonly basic: BasicOptions;
  private readonly unk: string;
  private readonly maxChars: number;
  private readonly prefix: string;
  readonly special: { cls: number; sep: number; pad: number; unk: number; mask: number };

  /** vocab.txt: one token per line, line number = id. */
  static fromVocabText(text: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return new WordPieceTokenizer(lines, options);
  }

  constructor(tokens: readonly string[], options: WordPieceOptions = {}) {
    this.idToToken = [...tokens];
    this.vocab = new Map();
    tokens.forEach((t, id) => {
      if (!this.vocab.has(t)) this.vocab.set(t, id);
    });
    this.unk = options.unkToken ?? '[UNK]';
    const names = {
      cls: options.clsToken ?? '[CLS]',
      sep: options.sepToken ?? '[SEP]',
      pad: options.padToken ?? '[PAD]',
      unk: this.unk,
      mask: options.maskToken ?? '[MASK]',
    };
    const idOf = (t: string) => this.vocab.get(t) ?? -1;
    this.special = { cls: idOf(names.cls), sep: idOf(names.sep), pad: idOf(names.pad), unk: idOf(names.unk), mask: idOf(names.mask) };
    this.maxChars = options.maxInputCharsPerWord ?? 100;
    this.prefix = options.continuingPrefix ?? '##';
    this.basic = {
      lowercase: options.lowercase ?? true,
      stripAccents: options.stripAccents ?? null,
      splitCjk: options.splitCjk ?? true,
      neverSplit: new Set(Object.values(names)),
    };
  }

  /** Subword tokens of a text, each with its span in the text. */
  tokenize(text: string): Token[] {
    const out: Token[] = [];
    for (const word of basicTokenize(text, this.basic)) out.push(...this.wordPieces(word));
    return out;
  }

  /** [CLS] tokens [SEP], truncated from the end to maxLength, padded to padTo. */
  encode(text: string, options: { maxLength?: number; padTo?: number } = {}): Encoding {
    let tokens = this.tokenize(text);
    if (options.maxLength !== undefined) tokens = tokens.slice(0, Math.max(0, options.maxLength - 2));
    const all: Token[] = [
      { id: this.special.cls, text: this.idToToken[this.special.cls], start: 0, end: 0 },
      ...tokens,
      { id: this.special.sep, text: this.idToToken[this.special.sep], start: text.length, end: text.length },
    ];
    const ids = all.map((t) => t.id);
    const attentionMask = ids.map(() => 1);
    for (let i = ids.length; i < (options.padTo ?? 0); i++) {
      ids.push(this.special.pad);
      attentionMask.push(0);
    }
    return { ids, tokens: all, attentionMask, tokenTypeIds: ids.map(() => 0) };
  }

  private wordPieces(word: Word): Token[] {
    const { text, start, end, spans } = word;
    const chars = [...text];
    if (this.vocab.has(text)) return [{ id: this.vocab.get(text)!, text, start, end }];
    if (chars.length > this.maxChars) return [{ id: this.special.unk, text: this.unk, start, end }];
    const pieces: Token[] = [];
    let at = 0;
    while (at < chars.length) {
      let stop = chars.length;
      let found: string | null = null;
      while (at < stop) {
        const piece = (at > 0 ? this.prefix : '') + chars.slice(at, stop).join('');
        if (this.vocab.has(piece)) {
          found = piece;
          break;
        }
        stop--;
      }
      if (found === null) return [{ id: this.special.unk, text: this.unk, start, end }];
      pieces.push({ id: this.vocab.get(found)!, text: found, start: spans[at][0], end: spans[stop - 1][1] });
      at = stop;
    }
    return pieces;
  }
}
