// Offsets through text transformations (lower-casing, NFKC, tokenizer.json normalisers): every
// UTF-16 unit of a transformed text remembers the [start, end) of the original text it came
// from, the way Hugging Face tokenizers' NormalizedString keeps its alignments.

export interface Aligned {
  text: string;
  /** Per UTF-16 unit of `text`: where in the original it came from, [start[i], end[i]). */
  start: number[];
  end: number[];
  /** The original span this text stands for (where an empty result sits). */
  from: number;
  to: number;
}

/** `text` as it is, lying at `offset` in the original. */
export function identity(text: string, offset = 0): Aligned {
  const start = new Array<number>(text.length);
  const end = new Array<number>(text.length);
  for (let i = 0; i < text.length; i++) {
    // A surrogate pair moves as one character.
    const pair = i + 1 < text.length && isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1));
    const back = i > 0 && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1));
    start[i] = offset + (back ? i - 1 : i);
    end[i] = offset + (pair ? i + 2 : i + 1);
  }
  return { text, start, end, from: offset, to: offset + text.length };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Where the grapheme clusters of `text` start, plus text.length. A cluster keeps a base
 * character with its combining marks (e\u0301, ｶﾞ), which normalisation may merge into one.
 */
export function graphemeBounds(text: string): number[] {
  const out: number[] = [];
  for (const s of graphemes.segment(text)) out.push(s.index);
  out.push(text.length);
  return out;
}

/** Code point starts of `text`, plus text.length. */
export function codePointBounds(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += text.codePointAt(i)! > 0xffff ? 2 : 1) out.push(i);
  out.push(text.length);
  return out;
}

/** The original span of units [a, b) of an aligned text; an empty range sits where unit a came from. */
export function spanOf(al: Aligned, a: number, b: number): [number, number] {
  if (b <= a) {
    const at = a < al.text.length ? al.start[a] : a > 0 ? al.end[a - 1] : al.from;
    return [at, at];
  }
  let s = al.start[a];
  let e = al.end[a];
  for (let i = a + 1; i < b; i++) {
    if (al.start[i] < s) s = al.start[i];
    if (al.end[i] > e) e = al.end[i];
  }
  return [s, e];
}

/** Texts longer than this (in clusters) whose transformation is context-dependent get coarse offsets. */
const INCREMENTAL_LIMIT = 4096;

/**
 * Applies `fn` to an aligned text and keeps the alignment. Each grapheme cluster is transformed
 * on its own; when that reproduces fn(whole text), each output unit belongs to its cluster. When
 * it does not (a transformation that looks across clusters: stripping, collapsing spaces,
 * context-dependent casing), clusters are grouped by growing prefixes: fn(prefix) is compared
 * with fn(text), and the output that appears when a cluster joins the prefix belongs to it.
 */
export function transform(al: Aligned, fn: (s: string) => string): Aligned {
  const src = al.text;
  const whole = fn(src);
  if (whole === src) return al;
  const bounds = graphemeBounds(src);
  const n = bounds.length - 1;
  const pieces: string[] = [];
  for (let k = 0; k < n; k++) pieces.push(fn(src.slice(bounds[k], bounds[k + 1])));
  const out: Aligned = { text: whole, start: new Array(whole.length), end: new Array(whole.length), from: al.from, to: al.to };
  const assign = (u0: number, u1: number, c0: number, c1: number) => {
    // Output units [u0, u1) come from clusters [c0, c1). When the clusters' own results, from some
    // cluster c on, spell exactly those units, each cluster keeps its units and the ones before c
    // produced nothing (e.g. collapsed spaces); otherwise all units get the span of all clusters.
    for (let c = c0; c < c1; c++) {
      let at = u0;
      let fits = true;
      for (let k = c; k < c1 && fits; k++) {
        fits = whole.startsWith(pieces[k], at);
        at += pieces[k].length;
      }
      if (!fits || at !== u1) continue;
      at = u0;
      for (let k = c; k < c1; k++) {
        const [s, e] = spanOf(al, bounds[k], bounds[k + 1]);
        for (let i = 0; i < pieces[k].length; i++, at++) {
          out.start[at] = s;
          out.end[at] = e;
        }
      }
      return;
    }
    const [s, e] = spanOf(al, bounds[c0], bounds[c1]);
    for (let i = u0; i < u1; i++) {
      out.start[i] = s;
      out.end[i] = e;
    }
  };
  if (n === 0) {
    // Output from nothing (a transformation that adds text to an empty string).
    for (let i = 0; i < whole.length; i++) {
      out.start[i] = al.from;
      out.end[i] = al.from;
    }
    return out;
  }
  if (pieces.join('') === whole) {
    assign(0, whole.length, 0, n);
    return out;
  }
  if (n > INCREMENTAL_LIMIT) {
    assign(0, whole.length, 0, n);
    return out;
  }
  let done = 0; // output units assigned so far
  let pending = 0; // first cluster not yet given output
  for (let k = 1; k <= n; k++) {
    const prefix = fn(src.slice(0, bounds[k]));
    let common = 0;
    const limit = Math.min(prefix.length, whole.length);
    while (common < limit && prefix.charCodeAt(common) === whole.charCodeAt(common)) common++;
    // Never split a surrogate pair between two clusters.
    if (common < whole.length && common > 0 && isLow(whole.charCodeAt(common)) && isHigh(whole.charCodeAt(common - 1))) common--;
    if (common > done) {
      assign(done, common, pending, k);
      done = common;
      pending = k;
    }
  }
  if (done < whole.length) assign(done, whole.length, Math.min(pending, n - 1), n);
  return out;
}

/** Prepends `prefix`, aligned with the first unit (as tokenizers' NormalizedString.prepend does). */
export function prepend(al: Aligned, prefix: string): Aligned {
  if (al.text === '' || prefix === '') return al;
  const s = al.start[0];
  const e = al.end[0];
  return {
    text: prefix + al.text,
    start: [...new Array<number>(prefix.length).fill(s), ...al.start],
    end: [...new Array<number>(prefix.length).fill(e), ...al.end],
    from: al.from,
    to: al.to,
  };
}

/** Units [a, b) of an aligned text. */
export function slice(al: Aligned, a: number, b: number): Aligned {
  const [from, to] = b > a ? spanOf(al, a, b) : spanOf(al, a, a);
  return { text: al.text.slice(a, b), start: al.start.slice(a, b), end: al.end.slice(a, b), from, to };
}

/** Strips whitespace on the left and/or right, keeping the alignment of what stays. */
export function strip(al: Aligned, left: boolean, right: boolean): Aligned {
  let a = 0;
  let b = al.text.length;
  if (left) while (a < b && /\s/.test(al.text[a])) a++;
  if (right) while (b > a && /\s/.test(al.text[b - 1])) b--;
  return a === 0 && b === al.text.length ? al : slice(al, a, b);
}
