// transformers' BertJapaneseTokenizer (tokenization_bert_japanese.py, as used by
// cl-tohoku/bert-base-japanese*): NFKC, MeCab words (kuromoji IPADIC here), then WordPiece or
// one token per character. Offsets point into the original, un-normalised text.
import type { EncodeOptions, Encoded, SpecialIds, Tokenizer, TokenSpan, WordSegmenter } from './types';
import { withSpecials } from './encode';
import { basicTokenize } from './basic';

export interface BertJapaneseOptions {
  vocab: readonly string[];
  wordTokenizer: 'mecab' | 'basic' | 'whitespace';
  subwordTokenizer: 'wordpiece' | 'character';
  doLowerCase: boolean;
  segmenter?: WordSegmenter;
  modelMaxLength: number | null;
  tokens: { unk: string; cls: string; sep: string; pad: string; mask: string };
}

/**
 * NFKC-normalises text piece by piece and keeps, for every UTF-16 unit of the result, the
 * [start, end) of the original piece it came from. A piece is a code point with the combining
 * marks (and half-width voiced marks) that follow it, so ｶﾞ → ガ maps back to both characters.
 */
export function normalizeWithOffsets(text: string): { text: string; spans: [number, number][] } {
  let out = '';
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    while (i < text.length && /[\p{M}\uFF9E\uFF9F]/u.test(text[i])) i++;
    const piece = text.slice(start, i).normalize('NFKC');
    out += piece;
    for (let k = 0; k < piece.length; k++) spans.push([start, i]);
  }
  return { text: out, spans };
}

export class BertJapaneseTokenizer implements Tokenizer {
  readonly kind = 'bert-japanese' as const;
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  readonly modelMaxLength: number | null;
  private readonly vocab = new Map<string, number>();

  constructor(private readonly o: BertJapaneseOptions) {
    o.vocab.forEach((t, i) => {
      if (!this.vocab.has(t)) this.vocab.set(t, i);
    });
    this.vocabSize = o.vocab.length;
    const id = (t: string) => this.vocab.get(t) ?? null;
    this.special = { pad: id(o.tokens.pad) ?? 0, unk: id(o.tokens.unk), cls: id(o.tokens.cls), sep: id(o.tokens.sep), mask: id(o.tokens.mask) };
    this.modelMaxLength = o.modelMaxLength;
    const words = { mecab: 'MeCab (IPADIC, via kuromoji)', basic: 'BERT basic', whitespace: 'whitespace' }[o.wordTokenizer];
    this.description = `${words} words + ${o.subwordTokenizer === 'character' ? 'characters' : 'WordPiece'}`;
    if (o.wordTokenizer === 'mecab' && !o.segmenter) throw new Error('BertJapaneseTokenizer with MeCab needs a word segmenter');
  }

  idToToken(id: number): string | undefined {
    return this.o.vocab[id];
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  private span(text: string, start: number, end: number, special = false): TokenSpan {
    const id = this.vocab.get(text) ?? this.special.unk ?? 0;
    return { id, text: this.vocab.has(text) ? text : this.o.tokens.unk, start, end, special };
  }

  /** Words of the normalised text with their [start, end) in it. */
  private words(norm: string): { surface: string; start: number; end: number }[] {
    if (this.o.wordTokenizer === 'mecab') return this.o.segmenter!.segment(norm);
    if (this.o.wordTokenizer === 'basic') {
      return basicTokenize(norm, { lowercase: this.o.doLowerCase, stripAccents: null, splitCjk: true, neverSplit: new Set(Object.values(this.o.tokens)) }).map((w) => ({
        surface: w.text,
        start: w.start,
        end: w.end,
      }));
    }
    const out: { surface: string; start: number; end: number }[] = [];
    for (const m of norm.matchAll(/\S+/g)) out.push({ surface: m[0], start: m.index!, end: m.index! + m[0].length });
    return out;
  }

  tokenize(text: string): TokenSpan[] {
    const { text: norm, spans } = normalizeWithOffsets(text);
    const orig = (a: number, b: number): [number, number] => [spans[a]?.[0] ?? text.length, b > a ? spans[b - 1][1] : spans[a]?.[0] ?? text.length];
    const out: TokenSpan[] = [];
    for (const w of this.words(norm)) {
      const surface = this.o.doLowerCase && this.o.wordTokenizer !== 'basic' ? w.surface.toLowerCase() : w.surface;
      if (this.vocab.has(surface) && Object.values(this.o.tokens).includes(surface)) {
        out.push(this.span(surface, ...orig(w.start, w.end)));
        continue;
      }
      if (this.o.subwordTokenizer === 'character') {
        let at = w.start;
        for (const ch of surface) {
          const len = ch.length;
          out.push(this.span(ch, ...orig(at, at + len)));
          at += len;
        }
        continue;
      }
      // WordPiece: greedy longest match, "##" for continuations, the whole word [UNK] when stuck.
      const chars = [...surface];
      const offs: number[] = [];
      let pos = w.start;
      for (const c of chars) {
        offs.push(pos);
        pos += c.length;
      }
      offs.push(pos);
      const pieces: TokenSpan[] = [];
      let at = 0;
      let failed = chars.length > 100;
      while (!failed && at < chars.length) {
        let stop = chars.length;
        let found: string | null = null;
        while (at < stop) {
          const piece = (at > 0 ? '##' : '') + chars.slice(at, stop).join('');
          if (this.vocab.has(piece)) {
            found = piece;
            break;
          }
          stop--;
        }
        if (found === null) failed = true;
        else {
          pieces.push(this.span(found, ...orig(offs[at], offs[stop])));
          at = stop;
        }
      }
      out.push(...(failed ? [this.span(this.o.tokens.unk, ...orig(w.start, w.end))] : pieces));
    }
    return out;
  }

  encode(text: string, options: EncodeOptions = {}): Encoded {
    const cls = this.special.cls === null ? null : { id: this.special.cls, text: this.o.tokens.cls, start: 0, end: 0, special: true };
    const sep = this.special.sep === null ? null : { id: this.special.sep, text: this.o.tokens.sep, start: 0, end: 0, special: true };
    return withSpecials(text, this.tokenize(text), cls, sep, options);
  }
}
