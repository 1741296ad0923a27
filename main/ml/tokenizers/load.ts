// Picks and builds a model folder's tokenizer from its files (contents passed in: main/ml reads
// no files), as transformers' AutoTokenizer would: BertJapaneseTokenizer when tokenizer_config.json
// names it, else tokenizer.json, else a vocab.txt WordPiece.
import { BertJapaneseTokenizer, type JapaneseSubwordTokenizer, type JapaneseWordTokenizer } from './bertJapanese';
import type { AddedToken } from './encode';
import { TokenizerJsonTokenizer } from './tokenizerJson';
import type { Tokenizer, WordSegmenter } from './types';
import { bertSpecialNames, WordPieceTokenizer, type SpecialTokenNames } from './wordpiece';

export type TokenizerFileName = 'tokenizer.json' | 'vocab.txt' | 'tokenizer_config.json' | 'special_tokens_map.json' | 'config.json';
/** SentencePiece models: binary, never read; present only so the error can name them. */
export type SentencePieceFileName = 'spiece.model' | 'sentencepiece.bpe.model' | 'tokenizer.model';
/** File name → text content (absent files left out). */
export type TokenizerFiles = Partial<Record<TokenizerFileName | SentencePieceFileName, string>>;

export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerError';
  }
}

type Json = Record<string, unknown>;

function parse(files: TokenizerFiles, name: TokenizerFileName): Json {
  const text = files[name];
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new TokenizerError(`${name} is not valid JSON (${(err as Error).message})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new TokenizerError(`${name} is not a JSON object`);
  return v as Json;
}

/** A token's text in a config: a string or an AddedToken object {content}. */
function content(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  return undefined;
}

/** Model types whose tokenizers use RoBERTa's <s> … </s> (transformers' defaults for these classes). */
const robertaStyle = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'longformer', 'bart', 'mbart', 'mpnet', 'data2vec-text', 'luke', 'ibert']);
/** Model types whose tokenizers use BERT's [CLS] … [SEP]. */
const bertStyle = new Set(['bert', 'distilbert', 'electra', 'mobilebert', 'squeezebert', 'layoutlm', 'convbert', 'megatron-bert', 'funnel', 'retribert', 'lxmert', 'roc_bert', 'nezha', 'ernie']);
/** Model types that ship a SentencePiece model and need tokenizer.json here. */
const sentencePieceTypes = new Set(['xlm-roberta', 'xlm-roberta-xl', 'camembert', 't5', 'mt5', 'albert', 'xlnet', 'llama', 'deberta-v2', 'mbart', 'rembert', 'big_bird', 'marian', 'pegasus', 'reformer', 'barthez', 'plbart']);

const robertaNames: SpecialTokenNames = { unk: '<unk>', cls: '<s>', sep: '</s>', pad: '<pad>', mask: '<mask>' };

/** model_max_length, unless it is transformers' "no limit" sentinel (VERY_LARGE_INTEGER ≈ 1e30). */
function maxLength(config: Json): number | null {
  const v = config.model_max_length;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 1e12 ? Math.floor(v) : null;
}

function vocabLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** added_tokens_decoder of tokenizer_config.json ({"id": {content, special, lstrip, rstrip, normalized}}). */
function addedTokens(config: Json): AddedToken[] {
  const decoder = config.added_tokens_decoder;
  if (!decoder || typeof decoder !== 'object') return [];
  const out: AddedToken[] = [];
  for (const [key, v] of Object.entries(decoder as Record<string, Json>)) {
    const id = Number(key);
    const text = content(v);
    if (!Number.isInteger(id) || id < 0 || text === undefined) continue;
    out.push({ content: text, id, special: v.special === true, lstrip: v.lstrip === true, rstrip: v.rstrip === true, normalized: v.normalized === true });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** additional_special_tokens (config or map) that the vocabulary knows, as added tokens. */
function additionalSpecials(configs: Json[], vocab: readonly string[]): AddedToken[] {
  const index = new Map<string, number>();
  vocab.forEach((t, i) => index.set(t, i));
  const out: AddedToken[] = [];
  for (const c of configs) {
    const list = Array.isArray(c.additional_special_tokens) ? c.additional_special_tokens : [];
    for (const v of list) {
      const text = content(v);
      const id = text === undefined ? undefined : index.get(text);
      if (text !== undefined && id !== undefined) out.push({ content: text, id, special: true });
    }
  }
  return out;
}

function kwargs(config: Json, key: string): Json {
  const v = config[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

/** Whether loadTokenizer will need a MeCab-style word segmenter for these files (BertJapaneseTokenizer with MeCab, Sudachi or Juman++ words). */
export function needsWordSegmenter(files: TokenizerFiles): boolean {
  const config = parse(files, 'tokenizer_config.json');
  if (config.tokenizer_class !== 'BertJapaneseTokenizer' || config.do_word_tokenize === false) return false;
  return ['mecab', 'sudachi', 'jumanpp'].includes(String(config.word_tokenizer_type ?? 'basic'));
}

export function loadTokenizer(files: TokenizerFiles, deps: { segmenter?: WordSegmenter } = {}): { tokenizer: Tokenizer; warnings: string[] } {
  const config = parse(files, 'tokenizer_config.json');
  const map = parse(files, 'special_tokens_map.json');
  const modelConfig = parse(files, 'config.json');
  const modelType = typeof modelConfig.model_type === 'string' ? modelConfig.model_type : '';
  const tokenizerClass = typeof config.tokenizer_class === 'string' ? config.tokenizer_class : '';
  const warnings: string[] = [];
  const defaults = robertaStyle.has(modelType) ? robertaNames : bertSpecialNames;
  // Names given in tokenizer_config.json or special_tokens_map.json; defaults by model type.
  const given: Partial<SpecialTokenNames> = {};
  for (const key of ['unk', 'cls', 'sep', 'pad', 'mask'] as const) {
    const v = content(config[`${key}_token`]) ?? content(map[`${key}_token`]);
    if (v !== undefined) given[key] = v;
  }
  const names: SpecialTokenNames = { ...defaults, ...given };
  const neverSplit = Array.isArray(config.never_split) ? config.never_split.filter((s): s is string => typeof s === 'string') : [];
  const modelMaxLength = maxLength(config);

  if (tokenizerClass === 'BertJapaneseTokenizer') {
    const word = config.do_word_tokenize === false ? null : String(config.word_tokenizer_type ?? 'basic');
    const sub = config.do_subword_tokenize === false ? null : String(config.subword_tokenizer_type ?? 'wordpiece');
    if (sub === 'sentencepiece') throw new TokenizerError('BertJapaneseTokenizer with subword_tokenizer_type "sentencepiece" needs a SentencePiece model, which is not supported');
    if (sub !== null && sub !== 'wordpiece' && sub !== 'character') throw new TokenizerError(`BertJapaneseTokenizer: subword_tokenizer_type "${sub}" is not supported (wordpiece, character)`);
    if (files['vocab.txt'] === undefined) throw new TokenizerError('BertJapaneseTokenizer needs vocab.txt, which is not in the folder');
    let wordTokenizer: JapaneseWordTokenizer | null;
    let normalizeText = true;
    if (word === null || word === 'basic' || word === 'whitespace') wordTokenizer = word;
    else if (word === 'mecab' || word === 'sudachi' || word === 'jumanpp') {
      wordTokenizer = 'mecab';
      const kw = kwargs(config, `${word}_kwargs`);
      if (kw.normalize_text === false) normalizeText = false;
      if (word !== 'mecab') {
        warnings.push(`the model's words come from ${word === 'sudachi' ? 'Sudachi' : 'Juman++'}; Shirabe segments with MeCab's IPADIC dictionary (kuromoji) instead, so words and tokens will differ from the model's training`);
      } else {
        const dic = kw.mecab_dic === undefined ? 'ipadic' : kw.mecab_dic;
        if (dic !== 'ipadic') {
          const named = typeof dic === 'string' ? `the MeCab dictionary "${dic}"` : `a system MeCab dictionary${typeof kw.mecab_option === 'string' ? ` (${kw.mecab_option})` : ''}`;
          warnings.push(`the model was made with ${named}; Shirabe segments with IPADIC (kuromoji), so some words split differently and tokens may differ from the model's training`);
        }
      }
      if (!deps.segmenter) throw new TokenizerError(`BertJapaneseTokenizer with word_tokenizer_type "${word}" needs a MeCab-style word segmenter (kuromoji), and none was given`);
    } else throw new TokenizerError(`BertJapaneseTokenizer: word_tokenizer_type "${word}" is not supported (mecab, basic, whitespace)`);
    const vocab = vocabLines(files['vocab.txt']);
    const tokenizer = new BertJapaneseTokenizer({
      vocab,
      wordTokenizer,
      subwordTokenizer: sub as JapaneseSubwordTokenizer | null,
      doLowerCase: config.do_lower_case === true,
      normalizeText,
      neverSplit,
      segmenter: deps.segmenter,
      modelMaxLength,
      names,
      addedTokens: [...addedTokens(config), ...additionalSpecials([config, map], vocab)],
    });
    return { tokenizer, warnings };
  }

  if (files['tokenizer.json'] !== undefined) {
    const json = parse(files, 'tokenizer.json');
    if (!json.model || typeof json.model !== 'object') throw new TokenizerError('tokenizer.json has no "model" section');
    const fallbackSpecials = robertaStyle.has(modelType) ? { prefix: ['<s>'], suffix: ['</s>'] } : bertStyle.has(modelType) ? { prefix: [names.cls], suffix: [names.sep] } : undefined;
    let tokenizer: TokenizerJsonTokenizer;
    try {
      tokenizer = new TokenizerJsonTokenizer(json, { config, names: robertaStyle.has(modelType) || bertStyle.has(modelType) ? names : given, modelMaxLength, fallbackSpecials });
    } catch (err) {
      throw new TokenizerError(`tokenizer.json could not be read by the JavaScript tokenizers library: ${(err as Error).message}`);
    }
    return { tokenizer, warnings: [...warnings, ...tokenizer.warnings] };
  }

  if (files['vocab.txt'] !== undefined) {
    const vocab = vocabLines(files['vocab.txt']);
    if (!vocab.length) throw new TokenizerError('vocab.txt is empty');
    if (files['tokenizer_config.json'] === undefined) warnings.push('no tokenizer_config.json: lower-casing and stripping accents, as BertTokenizer does by default');
    const tokenizer = new WordPieceTokenizer(vocab, {
      lowercase: config.do_lower_case !== false,
      stripAccents: typeof config.strip_accents === 'boolean' ? config.strip_accents : null,
      splitCjk: config.tokenize_chinese_chars !== false,
      neverSplit,
      names,
      addedTokens: [...addedTokens(config), ...additionalSpecials([config, map], vocab)],
      modelMaxLength,
    });
    return { tokenizer, warnings };
  }

  const spm = (['spiece.model', 'sentencepiece.bpe.model', 'tokenizer.model'] as const).filter((f) => files[f] !== undefined);
  if (spm.length) {
    throw new TokenizerError(`${spm.join(' and ')} alone is not supported: SentencePiece models (spiece.model, sentencepiece.bpe.model) need the tokenizer.json made from them (in Python: AutoTokenizer.from_pretrained(folder).save_pretrained(folder))`);
  }
  if (sentencePieceTypes.has(modelType) || /^(XLMRoberta|Camembert|T5|MT5|Albert|XLNet|Llama|DebertaV2|MBart|Rembert|BigBird|Marian|Pegasus)Tokenizer/.test(tokenizerClass)) {
    throw new TokenizerError(`no tokenizer.json or vocab.txt found; this ${tokenizerClass || modelType} model uses a SentencePiece model (spiece.model or sentencepiece.bpe.model), which is not supported without tokenizer.json`);
  }
  throw new TokenizerError('no tokenizer.json, vocab.txt or sentencepiece model found');
}
