// The morphemes below are kuromoji 0.1.2's IPADIC output (main/corpus/morphology.ts) for the quoted
// sentences, copied as it gave them (surface, pos, posDetail, baseForm; '*' as '').
import { describe, expect, it } from 'vitest';
import { corpusTerms, defaultTermOptions, documentTerms, morphemeTerm, stopWordSet, type TermMorpheme } from './terms';

function m(surface: string, pos: string, posDetail: string[], baseForm: string): TermMorpheme {
  return { surface, pos, posDetail, baseForm };
}

// 東京でサッカーの試合を見た。選手たちが走っている。
const sports: TermMorpheme[] = [
  m('東京', '名詞', ['固有名詞', '地域', '一般'], '東京'),
  m('で', '助詞', ['格助詞', '一般'], 'で'),
  m('サッカー', '名詞', ['一般'], 'サッカー'),
  m('の', '助詞', ['連体化'], 'の'),
  m('試合', '名詞', ['サ変接続'], '試合'),
  m('を', '助詞', ['格助詞', '一般'], 'を'),
  m('見', '動詞', ['自立'], '見る'),
  m('た', '助動詞', [], 'た'),
  m('。', '記号', ['句点'], '。'),
  m('選手', '名詞', ['一般'], '選手'),
  m('たち', '名詞', ['接尾', '一般'], 'たち'),
  m('が', '助詞', ['格助詞', '一般'], 'が'),
  m('走っ', '動詞', ['自立'], '走る'),
  m('て', '助詞', ['接続助詞'], 'て'),
  m('いる', '動詞', ['非自立'], 'いる'),
  m('。', '記号', ['句点'], '。'),
];

// PythonとＧＰＵで機械学習のプログラムを書きました。3つの本がある
const computing: TermMorpheme[] = [
  m('Python', '名詞', ['固有名詞', '組織'], ''),
  m('と', '助詞', ['並立助詞'], 'と'),
  m('ＧＰＵ', '名詞', ['一般'], ''),
  m('で', '助詞', ['格助詞', '一般'], 'で'),
  m('機械', '名詞', ['一般'], '機械'),
  m('学習', '名詞', ['サ変接続'], '学習'),
  m('の', '助詞', ['連体化'], 'の'),
  m('プログラム', '名詞', ['サ変接続'], 'プログラム'),
  m('を', '助詞', ['格助詞', '一般'], 'を'),
  m('書き', '動詞', ['自立'], '書く'),
  m('まし', '助動詞', [], 'ます'),
  m('た', '助動詞', [], 'た'),
  m('。', '記号', ['句点'], '。'),
  m('3', '名詞', ['数'], ''),
  m('つ', '助動詞', [], 'つ'),
  m('の', '助詞', ['連体化'], 'の'),
  m('本', '名詞', ['一般'], '本'),
  m('が', '助詞', ['格助詞', '一般'], 'が'),
  m('ある', '動詞', ['自立'], 'ある'),
];

// 私はカレーを食べることが好きです。彼はそれをしまった。
const food: TermMorpheme[] = [
  m('私', '名詞', ['代名詞', '一般'], '私'),
  m('は', '助詞', ['係助詞'], 'は'),
  m('カレー', '名詞', ['一般'], 'カレー'),
  m('を', '助詞', ['格助詞', '一般'], 'を'),
  m('食べる', '動詞', ['自立'], '食べる'),
  m('こと', '名詞', ['非自立', '一般'], 'こと'),
  m('が', '助詞', ['格助詞', '一般'], 'が'),
  m('好き', '名詞', ['形容動詞語幹'], '好き'),
  m('です', '助動詞', [], 'です'),
  m('。', '記号', ['句点'], '。'),
  m('彼', '名詞', ['代名詞', '一般'], '彼'),
  m('は', '助詞', ['係助詞'], 'は'),
  m('それ', '名詞', ['代名詞', '一般'], 'それ'),
  m('を', '助詞', ['格助詞', '一般'], 'を'),
  m('しまっ', '動詞', ['自立'], 'しまう'),
  m('た', '助動詞', [], 'た'),
  m('。', '記号', ['句点'], '。'),
];

// Deep learning models are trained on GPUs.
const english: TermMorpheme[] = [
  m('Deep', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('learning', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('models', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('are', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('trained', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('on', '名詞', ['固有名詞', '組織'], ''),
  m(' ', '記号', ['空白'], ''),
  m('GPUs', '名詞', ['固有名詞', '組織'], ''),
  m('.', '名詞', ['サ変接続'], ''),
];

// ＣＰＵとメモリ、ｉＰｈｏｎｅ。2024年のオリンピック / ｶﾀｶﾅのﾃﾞｰﾀを処理する
const widths: TermMorpheme[] = [
  m('ＣＰＵ', '名詞', ['一般'], 'ＣＰＵ'),
  m('と', '助詞', ['並立助詞'], 'と'),
  m('メモリ', '名詞', ['一般'], 'メモリ'),
  m('、', '記号', ['読点'], '、'),
  m('ｉＰｈｏｎｅ', '名詞', ['一般'], ''),
  m('。', '記号', ['句点'], '。'),
  m('2024', '名詞', ['数'], ''),
  m('年', '名詞', ['接尾', '助数詞'], '年'),
  m('の', '助詞', ['連体化'], 'の'),
  m('オリンピック', '名詞', ['一般'], 'オリンピック'),
  m('ｶﾀｶﾅ', '名詞', ['一般'], ''),
  m('の', '助詞', ['連体化'], 'の'),
  m('ﾃﾞｰﾀ', '名詞', ['一般'], ''),
  m('を', '助詞', ['格助詞', '一般'], 'を'),
  m('処理', '名詞', ['サ変接続'], '処理'),
  m('する', '動詞', ['自立'], 'する'),
];

describe('documentTerms', () => {
  it('keeps base forms of nouns, proper nouns and independent verbs', () => {
    // 見る stays (no stop word); たち (接尾) and いる (非自立) go.
    expect(documentTerms(sports)).toEqual(['東京', 'サッカー', '試合', '見る', '選手', '走る']);
  });

  it('lower-cases Latin words, normalises full width, drops numbers and stop verbs', () => {
    // 3 (数) and ある (stop word) go; ＧＰＵ's unknown base form falls back to its surface.
    expect(documentTerms(computing)).toEqual(['python', 'gpu', '機械', '学習', 'プログラム', '書く', '本']);
  });

  it('drops pronouns, formal nouns and light verbs, keeps 形容動詞語幹', () => {
    expect(documentTerms(food)).toEqual(['カレー', '食べる', '好き']);
  });

  it('keeps English content words and drops English stop words and punctuation', () => {
    expect(documentTerms(english)).toEqual(['deep', 'learning', 'models', 'trained', 'gpus']);
  });

  it('meets full-width Latin and half-width katakana in their usual forms', () => {
    expect(documentTerms(widths)).toEqual(['cpu', 'メモリ', 'iphone', 'オリンピック', 'カタカナ', 'データ', '処理']);
  });

  it('returns whole morphemes only: every term is one morpheme’s (normalised) base form or surface', () => {
    const all = [sports, computing, food, english, widths];
    const forms = new Set(all.flat().flatMap((x) => [x.baseForm, x.surface].map((s) => s.normalize('NFKC').toLowerCase())));
    for (const doc of corpusTerms(all)) for (const t of doc) expect(forms.has(t), t).toBe(true);
    // No term spans two morphemes, e.g. a sentence or the noun phrase 機械学習.
    expect(corpusTerms(all).flat()).not.toContain('機械学習');
  });

  it('drops one-character kana and numbers, keeps one-character kanji', () => {
    const stop = stopWordSet([]);
    expect(morphemeTerm(m('ア', '名詞', ['一般'], 'ア'), stop)).toBeNull();
    expect(morphemeTerm(m('ッー', '名詞', ['一般'], ''), stop)).toBeNull();
    expect(morphemeTerm(m('る', '動詞', ['自立'], 'る'), stop)).toBeNull();
    expect(morphemeTerm(m('二十', '名詞', ['一般'], '二十'), stop)).toBeNull();
    expect(morphemeTerm(m('３．５', '名詞', ['一般'], ''), stop)).toBeNull();
    expect(morphemeTerm(m('x', '名詞', ['固有名詞', '組織'], ''), stop)).toBeNull();
    expect(morphemeTerm(m('車', '名詞', ['一般'], '車'), stop)).toBe('車');
    expect(morphemeTerm(m('covid-19', '名詞', ['固有名詞', '組織'], ''), stop)).toBe('covid-19');
  });

  it('takes its rules and stop words as parameters', () => {
    const options = { ...defaultTermOptions, stopWords: ['サッカー'], nounTypes: [...defaultTermOptions.nounTypes, '接尾'] };
    // With the lists replaced, いる's verb type still fails, 見る and 東京 stay, たち is now kept.
    expect(documentTerms(sports, options)).toEqual(['東京', '試合', '見る', '選手', 'たち', '走る']);
    // Stop words compare after normalisation ('ＧＰＵ' removes gpu); ある is no longer one.
    expect(documentTerms(computing, { ...defaultTermOptions, stopWords: ['ＧＰＵ', 'PYTHON'] })).toEqual(['機械', '学習', 'プログラム', '書く', '本', 'ある']);
  });
});
