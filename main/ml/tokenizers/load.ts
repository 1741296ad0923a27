// Picks and builds a model folder's tokenizer from its files (contents passed in: main/ml reads
// no files). BertJapaneseTokenizer per tokenizer_config.json; otherwise vocab.txt WordPiece.
import { BertJapaneseTokenizer } from './bertJapanese';
import { withSpecials } from './encode';
import type { EncodeOptions, Encoded, SpecialIds, Tokenizer, WordSegmenter } from './types';
import { WordPieceTokenizer } from './wordpiece';

export type TokenizerFiles = Partial<Record<'tokenizer.json' | 'vocab.txt' | 'tokenizer_config.json' | 'special_tokens_map.json' | 'config.json', string>>;

export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerError';
  }
}

type Json = Record<string, unknown>;

function parse(files: TokenizerFiles, name: keyof TokenizerFiles): Json {
  const text = files[name];
  if (text === undefined) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
  } catch (err) {
    throw new TokenizerError(`${name} is not valid JSON (${(err as Error).message})`);
  }
}

/** A special token's text from tokenizer_config.json / special_tokens_map.json (string or {content}). */
function tokenName(configs: Json[], key: string, fallback: string): string {
  for (const c of configs) {
    const v = c[key];
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  }
  return fallback;
}

/** model_max_length, unless it is transformers' "no limit" sentinel (VERY_LARGE_INTEGER ≈ 1e30). */
function maxLength(config: Json): number | null {
  const v = config.model_max_length;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1e12 ? v : null;
}

function vocabLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

class WordPieceAdapter implements Tokenizer {
  readonly kind = 'wordpiece' as const;
  readonly description: string;
  readonly vocabSize: number;
  readonly special: SpecialIds;
  constructor(
    private readonly inner: WordPieceTokenizer,
    readonly modelMaxLength: number | null,
    lowercase: boolean,
  ) {
    this.vocabSize = inner.idToToken.length;
    const s = inner.special;
    const opt = (id: number) => (id >= 0 ? id : null);
    this.special = { pad: s.pad >= 0 ? s.pad : 0, unk: opt(s.unk), cls: opt(s.cls), sep: opt(s.sep), mask: opt(s.mask) };
    this.description = `BERT basic tokenization${lowercase ? ' (lower-cased)' : ''} + WordPiece`;
  }
  idToToken(id: number): string | undefined {
    return this.inner.idToToken[id];
  }
  tokenToId(token: string): number | undefined {
    return this.inner.vocab.get(token);
  }
  encode(text: string, options: EncodeOptions = {}): Encoded {
    const tokens = this.inner.tokenize(text).map((t) => ({ ...t, special: false }));
    const cls = this.special.cls === null ? null : { id: this.special.cls, text: this.inner.idToToken[this.special.cls], start: 0, end: 0, special: true };
    const sep = this.special.sep === null ? null : { id: this.special.sep, text: this.inner.idToToken[this.special.sep], start: 0, end: 0, special: true };
    return withSpecials(text, tokens, cls, sep, options);
  }
}

export function loadTokenizer(files: TokenizerFiles, deps: { segmenter?: WordSegmenter } = {}): { tokenizer: Tokenizer; warnings: string[] } {
  const config = parse(files, 'tokenizer_config.json');
  const map = parse(files, 'special_tokens_map.json');
  const warnings: string[] = [];
  const names = {
    unk: tokenName([config, map], 'unk_token', '[UNK]'),
    cls: tokenName([config, map], 'cls_token', '[CLS]'),
    sep: tokenName([config, map], 'sep_token', '[SEP]'),
    pad: tokenName([config, map], 'pad_token', '[PAD]'),
    mask: tokenName([config, map], 'mask_token', '[MASK]'),
  };
  if (config.tokenizer_class === 'BertJapaneseTokenizer') {
    if (files['vocab.txt'] === undefined) throw new TokenizerError('BertJapaneseTokenizer needs vocab.txt, which is not in the folder');
    const word = (config.word_tokenizer_type ?? 'mecab') as string;
    const sub = (config.subword_tokenizer_type ?? 'wordpiece') as string;
    if (!['mecab', 'basic', 'whitespace'].includes(word)) throw new TokenizerError(`word_tokenizer_type "${word}" is not supported (mecab, basic, whitespace)`);
    if (!['wordpiece', 'character'].includes(sub)) throw new TokenizerError(`subword_tokenizer_type "${sub}" is not supported (wordpiece, character)`);
    const kwargs = config.mecab_kwargs as Json | undefined;
    if (word === 'mecab' && kwargs && typeof kwargs.mecab_dic === 'string' && kwargs.mecab_dic !== 'ipadic') {
      warnings.push(`the model was made with the MeCab dictionary "${kwargs.mecab_dic}"; Shirabe segments with IPADIC (kuromoji), so some words may split differently`);
    }
    const tokenizer = new BertJapaneseTokenizer({
      vocab: vocabLines(files['vocab.txt']),
      wordTokenizer: word as 'mecab',
      subwordTokenizer: sub as 'wordpiece',
      doLowerCase: config.do_lower_case === true,
      segmenter: deps.segmenter,
      modelMaxLength: maxLength(config),
      tokens: names,
    });
    return { tokenizer, warnings };
  }
  if (files['vocab.txt'] !== undefined) {
    const lowercase = config.do_lower_case !== false;
    const stripAccents = typeof config.strip_accents === 'boolean' ? config.strip_accents : null;
    const inner = WordPieceTokenizer.fromVocabText(files['vocab.txt'], {
      lowercase,
      stripAccents,
      splitCjk: config.tokenize_chinese_chars !== false,
      unkToken: names.unk,
      clsToken: names.cls,
      sepToken: names.sep,
      padToken: names.pad,
      maskToken: names.mask,
    });
    return { tokenizer: new WordPieceAdapter(inner, maxLength(config), lowercase), warnings };
  }
  if (files['tokenizer.json'] !== undefined) {
    throw new TokenizerError('this model has only tokenizer.json (SentencePiece/BPE); this version of Shirabe reads vocab.txt (WordPiece) tokenizers');
  }
  throw new TokenizerError('no tokenizer found: the folder has no vocab.txt or tokenizer.json');
}
