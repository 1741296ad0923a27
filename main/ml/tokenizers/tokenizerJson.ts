// A tokenizer.json (Hugging Face tokenizers: BPE incl. byte-level, Unigram/SentencePiece, WordPiece)
// run by @huggingface/tokenizers (tokenizers.js), which gives tokens but no offsets. Offsets are
// rebuilt stage by stage, as the Rust library's NormalizedString does:
//   1. added tokens are found in the raw text (leftmost-longest), so their spans are exact;
//   2. each normaliser (also inside a Sequence) runs through align.transform: per grapheme cluster
//      when that reproduces the whole-text result, else by growing prefixes; Prepend and Strip
//      are aligned directly (the prepended ▁ belongs to the first character, as in Rust);
//   3. each pre-token is found in the normalised text from a cursor: byte-level pre-tokens as
//      UTF-8 bytes (every byte of a character gets that character's span), Metaspace's ▁ also
//      matching a space, and a leading space or ▁ that is not in the text treated as prepended;
//   4. the model's tokens are laid end to end over their pre-token ("##" and "</w>" removed,
//      <0xNN> byte-fallback tokens sharing their character, an unknown token covering what lies
//      before the next token), then trimmed of spaces when the post-processor says trim_offsets.
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { identity, prepend, slice, spanOf, strip, transform, type Aligned } from './align';
import { assemble, splitOnAdded, type AddedToken, type SpecialToken } from './encode';
import type { EncodeOptions, Encoded, SpecialIds, Tokenizer, TokenSpan } from './types';
import type { SpecialTokenNames } from './wordpiece';

type Json = Record<string, unknown>;

export interface TokenizerJsonOptions {
  /** tokenizer_config.json, parsed ({} when absent). */
  config?: Json;
  /** Special token names from tokenizer_config.json / special_tokens_map.json / the model type. */
  names?: Partial<SpecialTokenNames>;
  modelMaxLength?: number | null;
  /**
   * When tokenizer.json has no post-processor: the specials to put around the text anyway
   * (from config.json's model_type, e.g. <s> … </s> for RoBERTa). Default none, as tokenizers does.
   */
  fallbackSpecials?: { prefix: string[]; suffix: string[] };
}

/** GPT-2's reversible byte ↔ printable character table (bytes_to_unicode). */
const byteOfChar: Map<string, number> = (() => {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCharCode(cs[i]), b]));
})();
const byteSpace = 'Ġ';

const encoder = new TextEncoder();

interface HfNormalizer {
  config: { type: string; prepend?: string; strip_left?: boolean; strip_right?: boolean };
  normalizers?: (HfNormalizer | null)[];
  normalize(text: string): string;
}
interface HfInternals {
  normalizer: HfNormalizer | null;
  pre_tokenizer: ((text: string, options?: { section_index?: number }) => string[]) | null;
  model: ((tokens: string[]) => string[]) & { unk_token_id?: number; unk_token?: string; vocab: string[] };
}

function normalize(al: Aligned, n: HfNormalizer | null): Aligned {
  if (!n) return al;
  switch (n.config.type) {
    case 'Sequence':
      return (n.normalizers ?? []).reduce((a, m) => normalize(a, m), al);
    case 'Prepend':
      return prepend(al, n.config.prepend ?? '');
    case 'Strip':
      return strip(al, n.config.strip_left ?? false, n.config.strip_right ?? false);
    default:
      return transform(al, (s) => n.normalize(s));
  }
}

/** Every (nested) config of a pre-tokenizer / post-processor / normaliser tree with its type. */
function flatten(config: unknown, children: string): Json[] {
  if (!config || typeof config !== 'object') return [];
  const c = config as Json;
  const list = Array.isArray(c[children]) ? (c[children] as unknown[]) : [];
  return [c, ...list.flatMap((x) => flatten(x, children))];
}

interface Template {
  prefix: SpecialToken[];
  suffix: SpecialToken[];
  typeId: number;
  trimOffsets: boolean;
  addPrefixSpace: boolean;
}

/** The specials a post-processor puts around a single sequence, and whether it trims offsets. */
function template(config: unknown, idOf: (t: string) => number | undefined): Template | null {
  const parts = flatten(config, 'processors');
  if (!parts.length) return null;
  const out: Template = { prefix: [], suffix: [], typeId: 0, trimOffsets: false, addPrefixSpace: false };
  for (const p of parts) {
    const pair = (v: unknown): SpecialToken | null => {
      if (!Array.isArray(v) || typeof v[0] !== 'string') return null;
      return { text: v[0], id: typeof v[1] === 'number' ? v[1] : (idOf(v[0]) ?? 0), typeId: 0 };
    };
    switch (p.type) {
      case 'BertProcessing':
      case 'RobertaProcessing': {
        const cls = pair(p.cls);
        const sep = pair(p.sep);
        if (cls) out.prefix.push(cls);
        if (sep) out.suffix.push(sep);
        if (p.type === 'RobertaProcessing') {
          out.trimOffsets ||= p.trim_offsets !== false;
          out.addPrefixSpace ||= p.add_prefix_space !== false;
        }
        break;
      }
      case 'ByteLevel':
        out.trimOffsets ||= p.trim_offsets !== false;
        out.addPrefixSpace ||= p.add_prefix_space !== false;
        break;
      case 'TemplateProcessing': {
        const specials = (p.special_tokens ?? {}) as Record<string, { ids?: number[]; tokens?: string[] }>;
        let seenSequence = false;
        for (const item of (p.single ?? []) as Json[]) {
          const sp = item.SpecialToken as { id: string; type_id?: number } | undefined;
          const seq = item.Sequence as { id: string; type_id?: number } | undefined;
          if (seq) {
            seenSequence = true;
            out.typeId = seq.type_id ?? 0;
          } else if (sp) {
            const def = specials[sp.id];
            const ids = def?.ids ?? [idOf(sp.id) ?? 0];
            const toks = def?.tokens ?? [sp.id];
            const list = ids.map((id, i) => ({ id, text: toks[i] ?? sp.id, typeId: sp.type_id ?? 0 }));
            (seenSequence ? out.suffix : out.prefix).push(...list);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** A token and the text it covers (its pre-token units, or what an added token matched). */
interface Laid {
  token: TokenSpan;
  covers: string;
}

interface Sym {
  v: number;
  s: number;
  e: number;
}

export class TokenizerJsonTokenizer implements Tokenizer {
  readonly kind = 'tokenizer.json' as const;
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  readonly modelMaxLength: number | null;
  /** What this tokenizer cannot reproduce exactly, for the check report. */
  readonly warnings: string[] = [];
  private readonly hf: HfTokenizer;
  private readonly inner: HfInternals;
  private readonly rawAdded: AddedToken[] = [];
  private readonly normAdded: AddedToken[] = [];
  private readonly byteLevel: boolean;
  private readonly metaspace: number | null;
  private readonly prefix: string | null;
  private readonly suffixes: string[];
  private readonly unkId: number | null;
  private readonly unkToken: string | null;
  private readonly post: Template;
  private readonly removeSpace: boolean;
  private readonly lowerAndStrip: boolean;

  constructor(json: Json, options: TokenizerJsonOptions = {}) {
    const config = options.config ?? {};
    // tokenizers.js requires the five keys; tokenizer.json files written by older libraries may omit some.
    const full: Json = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...json };
    this.hf = new HfTokenizer(full, config);
    this.inner = this.hf as unknown as HfInternals;
    const model = (full.model ?? {}) as Json;
    const modelType = typeof model.type === 'string' ? model.type : Array.isArray(model.vocab) ? 'Unigram' : model.merges ? 'BPE' : 'WordPiece';

    for (const a of (full.added_tokens ?? []) as Json[]) {
      if (typeof a.content !== 'string' || typeof a.id !== 'number') continue;
      const token: AddedToken = { content: a.content, id: a.id, special: a.special === true, lstrip: a.lstrip === true, rstrip: a.rstrip === true, normalized: a.normalized === true };
      if (token.normalized && this.inner.normalizer) this.normAdded.push({ ...token, content: this.inner.normalizer.normalize(token.content) });
      else this.rawAdded.push(token);
      if (a.single_word === true) this.warnings.push(`the added token "${a.content}" should match whole words only (single_word), which the JavaScript tokenizers library ignores`);
    }

    const pre = flatten(full.pre_tokenizer, 'pretokenizers');
    this.byteLevel = pre.some((p) => p.type === 'ByteLevel');
    const meta = pre.find((p) => p.type === 'Metaspace');
    this.metaspace = meta ? (typeof meta.replacement === 'string' ? meta.replacement : '▁').codePointAt(0)! : null;
    for (const p of pre) {
      const behavior = typeof p.behavior === 'string' ? p.behavior.toLowerCase() : '';
      if (p.type === 'Split' && /^(mergedwithprevious|mergedwithnext|contiguous)$/.test(behavior)) {
        this.warnings.push(`the pre-tokenizer splits with behaviour ${p.behavior}, which the JavaScript tokenizers library does not implement; tokens may differ`);
      }
    }
    const norms = flatten(full.normalizer, 'normalizers');
    if (norms.some((n) => n.type === 'Precompiled')) {
      this.warnings.push('the SentencePiece normalisation (precompiled_charsmap) is approximated by NFKC in the JavaScript tokenizers library; rare characters may normalise differently');
    }

    this.prefix = typeof model.continuing_subword_prefix === 'string' && model.continuing_subword_prefix !== '' ? model.continuing_subword_prefix : null;
    this.suffixes = [model.end_of_word_suffix, model.continuing_subword_suffix].filter((s): s is string => typeof s === 'string' && s !== '');
    this.unkId = this.inner.model.unk_token_id ?? null;
    this.unkToken = this.inner.model.unk_token ?? null;
    this.removeSpace = config.remove_space === true;
    this.lowerAndStrip = config.do_lowercase_and_remove_accent === true;

    const idOf = (t: string) => this.hf.token_to_id(t);
    let post = template(full.post_processor, idOf);
    if (!post || (!post.prefix.length && !post.suffix.length && options.fallbackSpecials)) {
      const fb = options.fallbackSpecials;
      const specials = (names: string[]) => names.flatMap((t) => (idOf(t) === undefined ? [] : [{ id: idOf(t)!, text: t, typeId: 0 }]));
      post = { prefix: fb ? specials(fb.prefix) : [], suffix: fb ? specials(fb.suffix) : [], typeId: 0, trimOffsets: post?.trimOffsets ?? false, addPrefixSpace: post?.addPrefixSpace ?? false };
      if (fb && (post.prefix.length || post.suffix.length)) {
        this.warnings.push(`tokenizer.json adds no special tokens; using ${[...post.prefix.map((s) => s.text), '…', ...post.suffix.map((s) => s.text)].join(' ')} as the model type suggests`);
      }
    }
    this.post = post;

    const names = options.names ?? {};
    const nameId = (n: string | undefined) => (n === undefined ? undefined : idOf(n));
    const padding = (full.padding ?? null) as Json | null;
    // Names from the configs first; else the usual spellings, when the vocabulary has them.
    const usual = (...list: string[]) => list.map((t) => idOf(t)).find((id) => id !== undefined);
    this.special = {
      pad: nameId(names.pad) ?? (typeof padding?.pad_id === 'number' ? padding.pad_id : undefined) ?? usual('<pad>', '[PAD]', '<|pad|>') ?? 0,
      unk: this.unkId ?? nameId(names.unk) ?? usual('<unk>', '[UNK]') ?? null,
      cls: nameId(names.cls) ?? post.prefix[0]?.id ?? null,
      sep: nameId(names.sep) ?? post.suffix[post.suffix.length - 1]?.id ?? null,
      mask: nameId(names.mask) ?? usual('<mask>', '[MASK]') ?? null,
    };
    this.vocabSize = [...this.hf.get_vocab(true).values()].reduce((m, id) => Math.max(m, id + 1), 0);
    this.modelMaxLength = options.modelMaxLength ?? null;

    const parts: string[] = [modelType === 'Unigram' ? 'Unigram (SentencePiece)' : modelType];
    if (this.byteLevel) parts[0] += ' (byte-level)';
    if (meta) parts.push('Metaspace ▁');
    const normNames = norms.map((n) => String(n.type)).filter((t) => t !== 'Sequence');
    if (normNames.length) parts.push(`normalised by ${normNames.join(', ')}`);
    this.description = `${parts.join(', ')} from tokenizer.json`;
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  private idOf(token: string): number {
    return this.hf.token_to_id(token) ?? this.unkId ?? 0;
  }

  /** Text tokens with their spans in `text`, without the post-processor's specials. */
  tokenize(text: string): TokenSpan[] {
    // Each token with the text it covers, for trim_offsets.
    const out: Laid[] = [];
    const pieces = splitOnAdded(text, this.rawAdded);
    pieces.forEach((piece, sectionIndex) => {
      if (piece.added) {
        // As in tokenizers, the token's text is what it matched, with any whitespace lstrip/rstrip took.
        const matched = text.slice(piece.start, piece.end);
        out.push({ token: { id: piece.added.id, text: matched, start: piece.start, end: piece.end, special: false }, covers: matched });
        return;
      }
      if (piece.end === piece.start) return;
      let al = identity(text.slice(piece.start, piece.end), piece.start);
      if (this.removeSpace) al = transform(al, (s) => s.trim().split(/\s+/).join(' '));
      if (this.lowerAndStrip) al = transform(al, (s) => s.toLowerCase().replace(/\p{M}/gu, ''));
      al = normalize(al, this.inner.normalizer);
      if (al.text === '') return;
      for (const sub of splitOnAdded(al.text, this.normAdded)) {
        if (sub.added) {
          const matched = al.text.slice(sub.start, sub.end);
          out.push({ token: { id: sub.added.id, text: matched, ...span(spanOf(al, sub.start, sub.end)), special: false }, covers: matched });
          continue;
        }
        if (sub.end === sub.start) continue;
        this.encodeSection(slice(al, sub.start, sub.end), sectionIndex, out);
      }
    });
    if (this.post.trimOffsets) out.forEach((t, i) => this.trim(t, i));
    return out.map((t) => t.token);
  }

  encode(text: string, options: EncodeOptions = {}): Encoded {
    return assemble(text, this.tokenize(text), this.post, options);
  }

  /** Pre-tokenizes and runs the model over one normalised section, appending tokens with original spans. */
  private encodeSection(al: Aligned, sectionIndex: number, out: Laid[]): void {
    const pres = this.inner.pre_tokenizer ? this.inner.pre_tokenizer(al.text, { section_index: sectionIndex }) : [al.text];
    const textSyms = this.symbols(al.text);
    let cursor = 0;
    for (const pre of pres) {
      if (pre === '') continue;
      const { units, next } = this.locate(pre, textSyms, cursor);
      cursor = next;
      const unitSpan = (a: number, b: number): [number, number] => {
        // Units [a, b) of the pre-token → units of the section → the original text.
        if (b <= a) {
          const at = a < units.length ? units[a][0] : units.length ? units[units.length - 1][1] : 0;
          return spanOf(al, at, at);
        }
        let s = units[a][0];
        let e = units[a][1];
        for (let i = a + 1; i < b; i++) {
          s = Math.min(s, units[i][0]);
          e = Math.max(e, units[i][1]);
        }
        return spanOf(al, s, e);
      };
      const toks = this.inner.model([pre]);
      for (const { token, a, b } of this.lay(pre, toks)) {
        out.push({ token: { id: this.idOf(token), text: token, ...span(unitSpan(a, b)), special: false }, covers: pre.slice(a, b) });
      }
    }
  }

  /** The section as symbols (UTF-8 bytes for byte-level, else code points), each with its span in the section. */
  private symbols(text: string): Sym[] {
    const out: Sym[] = [];
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      if (this.byteLevel) for (const b of encoder.encode(String.fromCodePoint(cp))) out.push({ v: b, s: i, e: i + n });
      else out.push({ v: cp, s: i, e: i + n });
      i += n;
    }
    return out;
  }

  /** Finds a pre-token in the section from `cursor`; returns, per UTF-16 unit of the pre-token, its span in the section. */
  private locate(pre: string, text: Sym[], cursor: number): { units: [number, number][]; next: number } {
    // The pre-token's symbols and the UTF-16 units each covers.
    const syms: number[] = [];
    const width: number[] = [];
    for (let i = 0; i < pre.length; ) {
      if (this.byteLevel) {
        syms.push(byteOfChar.get(pre[i]) ?? -1);
        width.push(1);
        i++;
      } else {
        const cp = pre.codePointAt(i)!;
        syms.push(cp);
        width.push(cp > 0xffff ? 2 : 1);
        i += cp > 0xffff ? 2 : 1;
      }
    }
    const space = (v: number) => v === 0x20 || (this.metaspace !== null && v === this.metaspace);
    const same = (p: number, t: number) => p === t || (this.metaspace !== null && p === this.metaspace && t === 0x20);
    const matches = (from: number, at: number) => {
      if (at + syms.length - from > text.length) return false;
      for (let k = from; k < syms.length; k++) if (!same(syms[k], text[at + k - from].v)) return false;
      return true;
    };
    let found: { at: number; synthetic: boolean } | null = null;
    for (let at = cursor; at <= text.length && !found; at++) {
      if (matches(0, at)) found = { at, synthetic: false };
      else if (syms.length > 1 && space(syms[0]) && matches(1, at)) found = { at, synthetic: true };
    }
    const units: [number, number][] = [];
    if (!found) {
      // Not found (a transformation we do not know): the rest of the section, coarse but safe.
      const s = cursor < text.length ? text[cursor].s : text.length ? text[text.length - 1].e : 0;
      const e = text.length ? text[text.length - 1].e : 0;
      for (let k = 0; k < syms.length; k++) for (let w = 0; w < width[k]; w++) units.push([s, e]);
      return { units, next: cursor };
    }
    let t = found.at;
    for (let k = 0; k < syms.length; k++) {
      let sp: [number, number];
      if (k === 0 && found.synthetic) {
        // A prepended space or ▁ belongs to the character after it, as in tokenizers.
        sp = t < text.length ? [text[t].s, text[t].e] : [text.length ? text[text.length - 1].e : 0, text.length ? text[text.length - 1].e : 0];
      } else {
        sp = [text[t].s, text[t].e];
        t++;
      }
      for (let w = 0; w < width[k]; w++) units.push(sp);
    }
    return { units, next: t };
  }

  /** Lays the model's tokens over their pre-token: [a, b) in UTF-16 units of the pre-token. */
  private lay(pre: string, toks: string[]): { token: string; a: number; b: number }[] {
    const out: { token: string; a: number; b: number }[] = [];
    const cores = (t: string, at: number): string[] => {
      const list = [t];
      for (const suf of this.suffixes) if (t.endsWith(suf) && t.length > suf.length) list.unshift(t.slice(0, -suf.length));
      if (this.prefix && at > 0 && t.startsWith(this.prefix) && t.length > this.prefix.length) list.unshift(...list.map((c) => (c.startsWith(this.prefix!) ? c.slice(this.prefix!.length) : c)));
      return list.filter((c) => c !== '');
    };
    const isUnk = (t: string) => this.hf.token_to_id(t) === undefined || (this.unkToken !== null && t === this.unkToken && this.hf.token_to_id(t) === this.unkId);
    const cpLen = (at: number) => (at < pre.length && pre.codePointAt(at)! > 0xffff ? 2 : 1);
    let u = 0;
    let bytesLeft = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      const direct = cores(t, u).find((c) => pre.startsWith(c, u));
      if (direct !== undefined) {
        out.push({ token: t, a: u, b: u + direct.length });
        u += direct.length;
        bytesLeft = 0;
        continue;
      }
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
      if (byte && u < pre.length) {
        // Byte fallback: the bytes of one character share its span.
        const n = cpLen(u);
        if (bytesLeft === 0) bytesLeft = encoder.encode(pre.slice(u, u + n)).length;
        out.push({ token: t, a: u, b: u + n });
        if (--bytesLeft === 0) u += n;
        continue;
      }
      if (isUnk(t)) {
        // Unknown: up to where the next token lies (the rest of the word when it is the last).
        let end = pre.length;
        const next = toks[i + 1];
        if (next !== undefined && !isUnk(next)) {
          for (let v = u + cpLen(u); v < pre.length; v += cpLen(v)) {
            if (cores(next, v).some((c) => pre.startsWith(c, v)) || /^<0x[0-9A-Fa-f]{2}>$/.test(next)) {
              end = v;
              break;
            }
          }
        } else if (next !== undefined) {
          end = Math.min(pre.length, u + cpLen(u));
        }
        out.push({ token: t, a: u, b: end });
        u = end;
        continue;
      }
      // A vocabulary token further on (the model dropped something unknown before it).
      let hit: { at: number; len: number } | null = null;
      for (const c of cores(t, u)) {
        const at = pre.indexOf(c, u);
        if (at >= 0 && (!hit || at < hit.at)) hit = { at, len: c.length };
      }
      if (hit) {
        out.push({ token: t, a: hit.at, b: hit.at + hit.len });
        u = hit.at + hit.len;
      } else out.push({ token: t, a: u, b: u });
    }
    return out;
  }

  /** Post-processor trim_offsets: spaces at the edges of a token leave its span (tokenizers' process_offsets). */
  private trim({ token, covers }: Laid, i: number): void {
    const isSpace = (c: string) => c === byteSpace || /\s/.test(c);
    let lead = 0;
    while (lead < covers.length && isSpace(covers[lead])) lead++;
    let trail = 0;
    while (trail < covers.length && isSpace(covers[covers.length - 1 - trail])) trail++;
    if (lead === 1 && (i === 0 || token.start === 0) && this.post.addPrefixSpace) lead = 0;
    // As in Rust, by arithmetic on the offsets: a space is one unit of the original here.
    if (lead > 0) token.start = Math.min(token.start + lead, token.end);
    if (trail > 0 && token.end >= trail) token.end = Math.max(token.end - trail, token.start);
  }
}

function span([start, end]: [number, number]): { start: number; end: number } {
  return { start, end };
}
