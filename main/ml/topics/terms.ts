// Morphemes to label terms, as the LLM topic-extraction study's notebook cut its texts: base forms
// of nouns, proper nouns and verbs, Latin words lower-cased, stop words, numbers and lone kana
// dropped. Only whole morphemes become terms, never spans of text (BERTopic issue #1157: without a
// Japanese tokenizer its topic words come out as whole sentences).
import type { Morpheme } from '../../../common/contract';

/** The fields of a morpheme (main/corpus/morphology.ts) that decide its term. */
export type TermMorpheme = Pick<Morpheme, 'surface' | 'pos' | 'posDetail' | 'baseForm'>;

/**
 * IPADIC 名詞 sub-categories (posDetail[0]) kept as terms. The study keeps "nouns and proper nouns";
 * in IPADIC that is 一般 (サッカー), 固有名詞 (東京), サ変接続 (試合, 学習: nouns that take する),
 * 形容動詞語幹 (便利, 有名) and ナイ形容詞語幹 (申し訳). Left out, because they name no topic:
 * 数 (numbers), 非自立 (こと, もの), 代名詞 (私, それ), 接尾 (たち, 年, さん), 副詞可能 (今日, 最近),
 * 特殊, 接続詞的, 動詞非自立的, 引用文字列.
 */
export const defaultNounTypes: readonly string[] = ['一般', '固有名詞', 'サ変接続', '形容動詞語幹', 'ナイ形容詞語幹'];

/**
 * IPADIC 動詞 sub-categories kept: 自立 only (走る, 食べる). 非自立 (…ている, …てみる, …てしまう) and
 * 接尾 (れる, せる) are grammar, not content.
 */
export const defaultVerbTypes: readonly string[] = ['自立'];

/**
 * Japanese stop words: base forms that pass the part-of-speech rules but carry no topic: light
 * verbs and verbs of saying and thinking, and the commonest formal nouns IPADIC tags 一般.
 * Small on purpose, so a researcher can read and edit it.
 */
export const defaultJapaneseStopWords: readonly string[] = [
  // verbs
  'する', 'ある', 'いる', 'なる', 'できる', 'れる', 'られる', 'せる', 'させる', 'おる', 'くる', '来る',
  'やる', 'いう', '言う', '思う', '考える', 'よる', '行う', 'みる', 'おく', 'しまう', 'いく', '行く',
  'もらう', 'くれる', 'あげる', '持つ', '使う',
  // nouns
  'ため', 'よう', 'もの', 'こと', 'ところ', 'とき', '時', 'ほう', '方', '感じ', '場合', '自分', '以上',
  '以下', 'みたい',
];

/**
 * English stop words: function words and the commonest verbs of academic prose. Only words of two
 * or more letters are kept anyway (below), so single letters need no entry.
 */
export const defaultEnglishStopWords: readonly string[] = [
  'an', 'and', 'are', 'as', 'at', 'be', 'been', 'being', 'but', 'by', 'can', 'could', 'did', 'do',
  'does', 'for', 'from', 'had', 'has', 'have', 'he', 'her', 'his', 'how', 'if', 'in', 'into', 'is',
  'it', 'its', 'may', 'more', 'most', 'not', 'of', 'on', 'or', 'our', 'she', 'so', 'such', 'than',
  'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'using',
  'was', 'we', 'were', 'what', 'when', 'which', 'while', 'who', 'will', 'with', 'would', 'you',
  'your', 'also', 'all', 'about', 'between', 'both', 'each', 'other', 'some', 'use', 'used',
];

export interface TermOptions {
  /** 名詞 sub-categories kept (default defaultNounTypes). */
  nounTypes: readonly string[];
  /** 動詞 sub-categories kept (default defaultVerbTypes). */
  verbTypes: readonly string[];
  /** Words never kept, compared after normalisation (default: both lists above). */
  stopWords: readonly string[];
}

export const defaultTermOptions: TermOptions = {
  nounTypes: defaultNounTypes,
  verbTypes: defaultVerbTypes,
  stopWords: [...defaultJapaneseStopWords, ...defaultEnglishStopWords],
};

// A Latin word: letters, then letters, digits, and inner hyphens or apostrophes (e-mail, don't).
const LATIN_WORD = /^\p{Script=Latin}(?:[\p{Script=Latin}\p{Nd}]|['’-](?=[\p{Script=Latin}\p{Nd}]))*$/u;
// Digits, kanji numerals and number punctuation only: 2024, 3.5, 一, 二十, ２０２４ after NFKC.
const NUMBER = /^[\p{Nd}〇一二三四五六七八九十百千万億兆.,]+$/u;
// One kana (with or without a long-vowel mark): parsing debris such as る, ッ, ー.
const ONE_KANA = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]ー?$/u;
// Nothing but punctuation, symbols or spaces (kuromoji tags an unknown '.' as 名詞,サ変接続).
const NO_WORD = /^[\p{P}\p{S}\p{Z}\s]*$/u;

/**
 * One morpheme's term, or null when it is not one. The term is the base form (the surface for
 * unknown words, whose base form IPADIC leaves as *), NFKC-normalised so full-width Latin and
 * half-width katakana meet their usual forms (ＣＰＵ → CPU, ﾃﾞｰﾀ → データ); Latin words are
 * lower-cased and need two letters or more (scikit-learn's default token pattern \w\w+).
 */
export function morphemeTerm(m: TermMorpheme, stop: ReadonlySet<string>, options: TermOptions = defaultTermOptions): string | null {
  if (m.pos === '記号') return null;
  const surface = m.surface.normalize('NFKC');
  let term: string;
  if (LATIN_WORD.test(surface)) {
    // Latin words keep their surface (kuromoji has no English base forms) whatever tag an unknown
    // word got; their filter is the English stop-word list.
    if ([...surface].length < 2) return null;
    term = surface.toLowerCase();
  } else {
    const detail = m.posDetail[0] ?? '';
    const kept = (m.pos === '名詞' && options.nounTypes.includes(detail)) || (m.pos === '動詞' && options.verbTypes.includes(detail));
    if (!kept) return null;
    term = (m.baseForm === '' ? m.surface : m.baseForm).normalize('NFKC');
  }
  if (NO_WORD.test(term) || NUMBER.test(term) || ONE_KANA.test(term) || stop.has(term)) return null;
  return term;
}

/** The stop-word set morphemeTerm compares against, normalised as terms are. */
export function stopWordSet(words: readonly string[]): Set<string> {
  return new Set(words.map((w) => w.normalize('NFKC').toLowerCase()));
}

function termsWith(morphemes: readonly TermMorpheme[], stop: ReadonlySet<string>, options: TermOptions): string[] {
  const out: string[] = [];
  for (const m of morphemes) {
    const t = morphemeTerm(m, stop, options);
    if (t !== null) out.push(t);
  }
  return out;
}

/** A document's terms in text order, repeats kept (TF counts them). */
export function documentTerms(morphemes: readonly TermMorpheme[], options: TermOptions = defaultTermOptions): string[] {
  return termsWith(morphemes, stopWordSet(options.stopWords), options);
}

/** documentTerms for every document, the stop-word set built once. */
export function corpusTerms(documents: readonly (readonly TermMorpheme[])[], options: TermOptions = defaultTermOptions): string[][] {
  const stop = stopWordSet(options.stopWords);
  return documents.map((morphemes) => termsWith(morphemes, stop, options));
}
