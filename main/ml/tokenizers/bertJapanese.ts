// transformers' BertJapaneseTokenizer (models/bert_japanese/tokenization_bert_japanese.py, as used by
// cl-tohoku/bert-base-japanese*): words from MeCab (kuromoji IPADIC here), BERT basic tokenization or
// whitespace, then WordPiece or one token per character. Offsets point into the original text.
import { codePointBounds, identity, slice, spanOf, transform, type Aligned } from './align';
import { basicTokenize, type Word } from './basic';
import { aroundAdded, assemble, buildVocabulary, numberWords, type AddedToken, type SpecialToken } from './encode';
import type { EncodeOptions, Encoded, SpecialIds, Tokenizer, TokenSpan, WordSegmenter } from './types';
import { bertSpecialNames, wordPieces, type SpecialTokenNames } from './wordpiece';

export type JapaneseWordTokenizer = 'mecab' | 'basic' | 'whitespace';
export type JapaneseSubwordTokenizer = 'wordpiece' | 'character';

export interface BertJapaneseOptions {
  /** vocab.txt lines; line number = id. */
  vocab: readonly string[];
  /** word_tokenizer_type; null when do_word_tokenize is false (the whole text is one word). */
  wordTokenizer: JapaneseWordTokenizer | null;
  /** subword_tokenizer_type; null when do_subword_tokenize is false (each word is a token). */
  subwordTokenizer: JapaneseSubwordTokenizer | null;
  doLowerCase: boolean;
  /** MecabTokenizer's normalize_text (mecab_kwargs), default true: NFKC before segmentation. */
  normalizeText?: boolean;
  /** never_split: words kept as they are (not lower-cased). */
  neverSplit?: readonly string[];
  /** MeCab-IPADIC words; required when wordTokenizer is 'mecab'. */
  segmenter?: WordSegmenter;
  modelMaxLength?: number | null;
  names?: Partial<SpecialTokenNames>;
  /** Tokens matched whole in the raw text first (added_tokens_decoder, additional_special_tokens). */
  addedTokens?: readonly AddedToken[];
}

const nfkc = (s: string) => s.normalize('NFKC');
/** Python's str.lower() one code point at a time, as transformers' tokenize() applies do_lower_case. */
const lower = (s: string) => Array.from(s, (c) => c.toLowerCase()).join('');

/** An aligned text whose units come from `al` through per-code-point spans of a basic-tokenizer word. */
function fromWord(al: Aligned, word: Word): Aligned {
  const out: Aligned = { text: word.text, start: [], end: [], from: 0, to: 0 };
  let k = 0;
  for (const ch of word.text) {
    const [s, e] = spanOf(al, word.spans[k][0], word.spans[k][1]);
    for (let u = 0; u < ch.length; u++) {
      out.start.push(s);
      out.end.push(e);
    }
    k++;
  }
  [out.from, out.to] = spanOf(al, word.start, word.end);
  return out;
}

/**
 * NFKC with each unit of the result mapped to the original grapheme it came from, so ｶﾞ → ガ
 * covers both original characters and ㍻ → 平成 gives 平 and 成 the span of ㍻.
 */
export function normalizeWithOffsets(text: string): Aligned {
  return transform(identity(text), nfkc);
}

export class BertJapaneseTokenizer implements Tokenizer {
  readonly kind = 'bert-japanese' as const;
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  readonly modelMaxLength: number | null;
  private readonly vocab: Map<string, number>;
  private readonly tokens: string[];
  private readonly names: SpecialTokenNames;
  private readonly added: AddedToken[];
  private readonly neverSplit: Set<string>;
  private readonly cls: SpecialToken | null;
  private readonly sep: SpecialToken | null;

  constructor(private readonly o: BertJapaneseOptions) {
    if (o.wordTokenizer === 'mecab' && !o.segmenter) throw new Error('BertJapaneseTokenizer with MeCab words needs a word segmenter (kuromoji); none was given');
    this.names = { ...bertSpecialNames, ...o.names };
    const v = buildVocabulary(o.vocab, this.names, o.addedTokens);
    this.tokens = v.tokens;
    this.vocab = v.vocab;
    this.added = v.added;
    this.special = v.special;
    this.cls = v.cls;
    this.sep = v.sep;
    this.vocabSize = v.size;
    // transformers passes all_special_tokens as never_split to the word tokenizer.
    this.neverSplit = new Set([...(o.neverSplit ?? []), ...Object.values(this.names)]);
    this.modelMaxLength = o.modelMaxLength ?? null;
    const normalize = o.normalizeText ?? true;
    const words =
      o.wordTokenizer === 'mecab'
        ? `MeCab (IPADIC, via kuromoji)${normalize ? ' on NFKC text' : ''}`
        : o.wordTokenizer === 'basic'
          ? 'BERT basic'
          : o.wordTokenizer === 'whitespace'
            ? 'whitespace-separated'
            : 'no';
    const sub = o.subwordTokenizer === 'character' ? 'characters (NFKC)' : o.subwordTokenizer === 'wordpiece' ? 'WordPiece' : 'whole words';
    this.description = `${words} words${o.doLowerCase ? ', lower-cased' : ''} + ${sub}`;
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  private token(text: string, s: number, e: number): TokenSpan {
    const id = this.vocab.get(text);
    return id === undefined ? { id: this.special.unk ?? 0, text: this.names.unk, start: s, end: e, special: false } : { id, text, start: s, end: e, special: false };
  }

  /** The words of a piece of text (between added tokens), each aligned to the original. */
  private words(al: Aligned): Aligned[] {
    const o = this.o;
    switch (o.wordTokenizer) {
      case 'mecab': {
        // MecabTokenizer.tokenize: NFKC (normalize_text), MeCab surfaces, lower-cased unless never_split.
        const norm = (o.normalizeText ?? true) ? transform(al, nfkc) : al;
        return o
          .segmenter!.segment(norm.text)
          .filter((w) => w.end > w.start && norm.text.slice(w.start, w.end).trim() !== '')
          .map((w) => {
            const word = slice(norm, w.start, w.end);
            return o.doLowerCase && !this.neverSplit.has(word.text) ? transform(word, lower) : word;
          });
      }
      case 'basic':
        // BasicTokenizer(do_lower_case, never_split, tokenize_chinese_chars=False): NFC, whitespace, accents, punctuation.
        return basicTokenize(al.text, { lowercase: o.doLowerCase, stripAccents: null, splitCjk: false, neverSplit: this.neverSplit, nfc: true }).map((w) => fromWord(al, w));
      case 'whitespace':
        return [...al.text.matchAll(/\S+/g)].map((m) => slice(al, m.index!, m.index! + m[0].length));
      default:
        return [al];
    }
  }

  private subwords(word: Aligned): TokenSpan[] {
    const o = this.o;
    if (o.subwordTokenizer === 'character') {
      // CharacterTokenizer (normalize_text=True): NFKC, then every code point a token or [UNK].
      const chars = transform(word, nfkc);
      const b = codePointBounds(chars.text);
      const out: TokenSpan[] = [];
      for (let k = 0; k + 1 < b.length; k++) out.push(this.token(chars.text.slice(b[k], b[k + 1]), ...spanOf(chars, b[k], b[k + 1])));
      return out;
    }
    if (o.subwordTokenizer === 'wordpiece') {
      // WordpieceTokenizer: whitespace_tokenize, then greedy longest match; a word over 100 characters or with no match is [UNK].
      const out: TokenSpan[] = [];
      for (const m of word.text.matchAll(/\S+/g)) {
        const part = slice(word, m.index!, m.index! + m[0].length);
        const b = codePointBounds(part.text);
        const chars = b.slice(0, -1).map((at, k) => part.text.slice(at, b[k + 1]));
        const pieces = chars.length > 100 ? null : wordPieces(chars, (p) => this.vocab.has(p));
        if (!pieces) out.push(this.token(this.names.unk, ...spanOf(part, 0, part.text.length)));
        else for (const p of pieces) out.push(this.token(p.piece, ...spanOf(part, b[p.from], b[p.to])));
      }
      return out;
    }
    return word.text === '' ? [] : [this.token(word.text, ...spanOf(word, 0, word.text.length))];
  }

  /**
   * The words WordPiece sees (normalised, lower-cased as configured, and split on whitespace as its
   * WordpieceTokenizer splits them — a MeCab word can hold a space or a line break): what a
   * vocabulary is learned from.
   */
  wordsOf(text: string): string[] {
    let al = identity(text);
    if (this.o.doLowerCase) al = transform(al, lower);
    return this.words(al).flatMap((w) => w.text.match(/\S+/g) ?? []);
  }

  /** Text tokens with their spans in `text`. */
  tokenize(text: string): TokenSpan[] {
    let word = 0;
    return numberWords(
      aroundAdded(text, this.added, (start, end) => {
        let al = identity(text.slice(start, end), start);
        // PreTrainedTokenizer.tokenize lower-cases everything but special tokens when do_lower_case.
        if (this.o.doLowerCase) al = transform(al, lower);
        return this.words(al).flatMap((w) => {
          const k = word++;
          return this.subwords(w).map((t) => ({ ...t, word: k }));
        });
      }),
    );
  }

  /** [CLS] tokens [SEP], the text tokens truncated as options say; token types 0. */
  encode(text: string, options: EncodeOptions = {}): Encoded {
    return assemble(text, this.tokenize(text), { prefix: this.cls ? [this.cls] : [], suffix: this.sep ? [this.sep] : [] }, options);
  }
}
