// BertTokenizer's basic tokenization (Hugging Face transformers, BasicTokenizer; the BERT
// paper's reference tokenization.py): clean, split CJK ideographs, split on whitespace,
// lower-case and strip accents, split on punctuation. Unlike the reference, every word
// keeps its [start, end) offsets in the original text (UTF-16 code units).
import { identity, transform, type Aligned } from './align';

export interface BasicOptions {
  lowercase: boolean;
  /** null = follow `lowercase`, as transformers does. */
  stripAccents: boolean | null;
  /** Put CJK ideographs in words of their own (tokenize_chinese_chars). */
  splitCjk: boolean;
  /** Tokens never split or lower-cased ([CLS], [MASK], …). */
  neverSplit: ReadonlySet<string>;
  /**
   * NFC before splitting, as transformers' Python BasicTokenizer does (since v4.26; used by
   * BertJapaneseTokenizer's "basic" words). The Rust BertNormalizer of BertTokenizerFast does not.
   */
  nfc?: boolean;
}

/** A piece of normalised text with the span of original text it came from. */
export interface Word {
  text: string;
  start: number;
  end: number;
  /** Per code point of `text`: the original span it came from (lower-casing may change lengths). */
  spans: [number, number][];
}

interface Char {
  ch: string;
  start: number;
  end: number;
}

/** The CJK Unified Ideographs blocks of transformers' _is_chinese_char (not kana or hangul). */
export function isCjkIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Python's _is_whitespace (space, \t, \n, \r, Zs) plus the line and paragraph separators Rust's BertNormalizer also counts. */
function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /^[\p{Zs}\u2028\u2029]$/u.test(ch);
}

/** Every "C" category (Cc, Cf, Co, Cn, Cs), as both transformers' _is_control and tokenizers' is_control. */
function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /^\p{C}$/u.test(ch);
}

/** ASCII non-alphanumerics count as punctuation too (e.g. ^ $ `), as in the reference. */
export function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /^\p{P}$/u.test(ch);
}

function normaliseWord(chars: Char[], lowercase: boolean, stripAccents: boolean): Char[] {
  const out: Char[] = [];
  for (const c of chars) {
    let text = lowercase ? c.ch.toLowerCase() : c.ch;
    if (stripAccents) text = text.normalize('NFD').replace(/\p{Mn}/gu, '');
    for (const ch of text) out.push({ ch, start: c.start, end: c.end });
  }
  return out;
}

function toWord(chars: Char[]): Word {
  return {
    text: chars.map((c) => c.ch).join(''),
    start: chars[0].start,
    end: chars[chars.length - 1].end,
    spans: chars.map((c) => [c.start, c.end]),
  };
}

export function basicTokenize(text: string, options: BasicOptions): Word[] {
  const stripAccents = options.stripAccents ?? options.lowercase;
  // 1. clean and split on whitespace, CJK ideographs standing alone
  const words: Char[][] = [];
  let current: Char[] = [];
  const flush = () => {
    if (current.length) words.push(current);
    current = [];
  };
  const al: Aligned = options.nfc ? transform(identity(text), (s) => s.normalize('NFC')) : identity(text);
  let i = 0;
  for (const ch of al.text) {
    const start = al.start[i];
    const end = al.end[i + ch.length - 1];
    i += ch.length;
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    if (isWhitespace(ch)) {
      flush();
    } else if (options.splitCjk && isCjkIdeograph(cp)) {
      flush();
      words.push([{ ch, start, end }]);
    } else {
      current.push({ ch, start, end });
    }
  }
  flush();

  // 2. per word: special tokens untouched; otherwise normalise, then split off punctuation
  const out: Word[] = [];
  for (const raw of words) {
    const surface = raw.map((c) => c.ch).join('');
    if (options.neverSplit.has(surface)) {
      out.push(toWord(raw));
      continue;
    }
    const chars = normaliseWord(raw, options.lowercase, stripAccents);
    let piece: Char[] = [];
    for (const c of chars) {
      if (isPunctuation(c.ch)) {
        if (piece.length) out.push(toWord(piece));
        out.push(toWord([c]));
        piece = [];
      } else {
        piece.push(c);
      }
    }
    if (piece.length) out.push(toWord(piece));
  }
  return out;
}
