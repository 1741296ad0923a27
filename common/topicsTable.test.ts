import { describe, expect, it } from 'vitest';
import type { TopicInfo } from './contract/topics';
import { latexEscape, topicsCsv, topicsLatex } from './topicsTable';

const words = (...ws: string[]) => ws.map((word, i) => ({ word, score: 1 - i / 10 }));
const doc = (documentId: number, title: string | null, snippet = '') => ({ documentId, title, snippet });

// Built field by field (not as TopicInfo literals) so the table never depends on fields it does not read.
const topics = [
  { cluster: 0, size: 12, study: words('野球', '試合', '投手'), ctfidf: words('野球', '優勝', '選手'), representatives: [doc(1, '巨人が優勝'), doc(2, 'R&D: 50% off, "new"'), doc(3, 'x')], gold: [] },
  { cluster: 1, size: 7, study: words('C#', 'a_b'), ctfidf: words('{x}', '~^'), representatives: [doc(4, null, 'パソコンのメモリを増やした話です。とても長い本文がここから続きます。'), doc(5, '')], gold: [] },
  { cluster: -1, size: 3, study: words('の'), ctfidf: [], representatives: [], gold: [] },
] as unknown as TopicInfo[];

describe('topicsCsv', () => {
  it('writes one record per topic with both methods, examples in their own columns, noise named, RFC 4180 quoting', () => {
    expect(topicsCsv(topics, { words: 2, examples: 2 })).toBe(
      'cluster,name,size,study_words,ctfidf_words,example_1,example_2\r\n' +
        '0,,12,野球 試合,野球 優勝,巨人が優勝,"R&D: 50% off, ""new"""\r\n' +
        '1,,7,C# a_b,{x} ~^,パソコンのメモリを増やした話です。とても長い本文がここから続…,\r\n' +
        '-1,noise,3,の,,,\r\n',
    );
  });

  it("takes a topic's name from nameOf, the noise's too when it has one", () => {
    const csv = topicsCsv(topics, { words: 1, examples: 1, nameOf: (t) => (t.cluster === 0 ? 'Baseball, pro' : t.cluster === -1 ? 'misc' : null), noise: 'ノイズ' });
    expect(csv).toBe('cluster,name,size,study_words,ctfidf_words,example_1\r\n0,"Baseball, pro",12,野球,野球,巨人が優勝\r\n1,,7,C#,{x},パソコンのメモリを増やした話です。とても長い本文がここから続…\r\n-1,misc,3,の,,\r\n');
  });
});

describe('latexEscape', () => {
  it('escapes every special character so that it prints as itself', () => {
    expect(latexEscape('& % $ # _ { } ~ ^ \\')).toBe('\\& \\% \\$ \\# \\_ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    expect(latexEscape('a<b>c|d [1]')).toBe('a\\textless{}b\\textgreater{}c\\textbar{}d {[}1{]}');
    expect(latexEscape('two\r\nlines\tand\u0007bell')).toBe('two lines andbell');
    expect(latexEscape('日本語の題名')).toBe('日本語の題名');
  });
});

describe('topicsLatex', () => {
  it('writes a booktabs table with escaped cells, noise labelled as noise, N words per method', () => {
    expect(topicsLatex(topics, { words: 2, examples: 2 })).toBe(
      [
        '% Topics exported by Shirabe. Needs \\usepackage{booktabs}.',
        '% Japanese text needs XeLaTeX with \\usepackage{xeCJK} or LuaLaTeX with \\usepackage{luatexja}.',
        '\\begin{table}[htbp]',
        '\\centering',
        '\\small',
        '\\begin{tabular}{rrp{0.22\\linewidth}p{0.22\\linewidth}p{0.3\\linewidth}}',
        '\\toprule',
        'Cluster & Size & Study words & c-TF-IDF words & Example titles \\\\',
        '\\midrule',
        '0 & 12 & 野球, 試合 & 野球, 優勝 & 巨人が優勝; R\\&D: 50\\% off, "new" \\\\',
        '1 & 7 & C\\#, a\\_b & \\{x\\}, \\textasciitilde{}\\textasciicircum{} & パソコンのメモリを増やした話です。とても長い本文がここから続… \\\\',
        'noise & 3 & の &  &  \\\\',
        '\\bottomrule',
        '\\end{tabular}',
        '\\end{table}',
        '',
      ].join('\n'),
    );
  });

  it('adds a name column when a topic has a name, with headings and caption in the given language', () => {
    const tex = topicsLatex(topics, {
      words: 1,
      examples: 1,
      nameOf: (t) => (t.cluster === 1 ? 'PC_hardware' : null),
      noise: 'ノイズ',
      headings: { cluster: 'クラスタ', name: '名前', size: '文書数', study: '研究の語', ctfidf: 'c-TF-IDF の語', examples: '例' },
      caption: 'トピック（k = 2 & noise）',
    });
    expect(tex.split('\n').slice(5, 15)).toEqual([
      '\\begin{tabular}{rlrp{0.2\\linewidth}p{0.2\\linewidth}p{0.25\\linewidth}}',
      '\\toprule',
      'クラスタ & 名前 & 文書数 & 研究の語 & c-TF-IDF の語 & 例 \\\\',
      '\\midrule',
      '0 &  & 12 & 野球 & 野球 & 巨人が優勝 \\\\',
      '1 & PC\\_hardware & 7 & C\\# & \\{x\\} & パソコンのメモリを増やした話です。とても長い本文がここから続… \\\\',
      'ノイズ &  & 3 & の &  &  \\\\',
      '\\bottomrule',
      '\\end{tabular}',
      '\\caption{トピック（k = 2 \\& noise）}',
    ]);
  });
});

describe("a topic's own name and pinned words", () => {
  it('are exported without options: the name in its column, pinned words first in the study list', () => {
    const edited = [
      { ...topics[0], name: 'プロ野球', pinned: ['投手'] },
      { ...topics[1], name: null, pinned: ['メモリ', 'C#'] },
    ] as TopicInfo[];
    expect(topicsCsv(edited, { words: 2, examples: 0 })).toBe('cluster,name,size,study_words,ctfidf_words\r\n0,プロ野球,12,投手 野球,野球 優勝\r\n1,,7,メモリ C#,{x} ~^\r\n');
    expect(topicsLatex(edited, { words: 2, examples: 0 }).split('\n')[9]).toBe('0 & プロ野球 & 12 & 投手, 野球 & 野球, 優勝 &  \\\\');
  });
});
