// brat standoff: English (whitespace and punctuation words) and Japanese (MeCab-IPADIC morphemes
// through Morphology), sentence splitting, words split at entity boundaries, and each bad pair's
// specific error.
import { describe, expect, it } from 'vitest';
import { Morphology } from '../morphology';
import { parseAnnotations, sentenceRanges } from './index';
import { failure } from './testSupport';

/** An .ann T line for `mention` (its n-th occurrence) in `text`, offsets computed, not hand-counted. */
function t(id: string, type: string, text: string, mention: string, nth = 0): string {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(mention, at + 1);
  if (at < 0) throw new Error(`${mention} not in the text`);
  return `${id}\t${type} ${at} ${at + mention.length}\t${mention}`;
}

const en = 'Mr. Smith works for Acme Corp. in Boston.\nHe lives in Cambridge!  Later text follows';
const enAnn = [
  t('T1', 'Peop', en, 'Mr. Smith'),
  t('T2', 'Org', en, 'Acme Corp'),
  t('T3', 'Loc', en, 'Boston'),
  t('T4', 'Loc', en, 'Cambridge'),
  'R1\tWork_For Arg1:T1 Arg2:T2',
  'R2\tOrgBased_In Arg1:T2 Arg2:T3',
  '#1\tAnnotatorNotes T1\tcheck',
  'A1\tNegated T1',
  'E1\tMove:T1',
  '',
].join('\n');

describe('brat (English)', () => {
  it('splits sentences at line breaks and final punctuation, but never inside an entity', () => {
    const r = parseAnnotations('brat', [{ name: 'doc1.txt', text: en }, { name: 'doc1.ann', text: enAnn }, { name: 'annotation.conf', text: '' }], {});
    expect(r.sentences.map((s) => s.text)).toEqual(['Mr. Smith works for Acme Corp. in Boston.', 'He lives in Cambridge!', 'Later text follows']);
    const [first, second] = r.sentences;
    // "Mr." keeps its dot (a title, as CoNLL04's tokens); "Corp." is cut where the entity "Acme Corp" ends.
    expect(first.words).toEqual(['Mr.', 'Smith', 'works', 'for', 'Acme', 'Corp', '.', 'in', 'Boston', '.']);
    expect(first.entities).toEqual([
      { start: 0, end: 2, type: 'Peop' },
      { start: 4, end: 6, type: 'Org' },
      { start: 8, end: 9, type: 'Loc' },
    ]);
    expect(first.relations).toEqual([
      { head: 0, tail: 1, type: 'Work_For' },
      { head: 1, tail: 2, type: 'OrgBased_In' },
    ]);
    expect(first.offsets?.[1]).toEqual([4, 9]);
    expect(first.source).toBe('doc1');
    expect(second.entities).toEqual([{ start: 3, end: 4, type: 'Loc' }]);
    // A word is the sentence's text at its offsets.
    for (const s of r.sentences) s.words.forEach((w, i) => expect(s.text!.slice(...s.offsets![i])).toBe(w));
    expect(r.schema).toEqual({ entityTypes: ['Peop', 'Org', 'Loc'], relationTypes: ['Work_For', 'OrgBased_In'] });
    expect(r.warnings).toEqual({ events: 1, attributes: 1, normalizations: 0, notes: 1, ignoredFiles: ['annotation.conf'] });
  });

  it('splits a word where an entity boundary falls inside it', () => {
    const text = 'The Kyoto-based firm grew.';
    const r = parseAnnotations('brat', [{ name: 'd.txt', text }, { name: 'd.ann', text: t('T1', 'Loc', text, 'Kyoto') }], {});
    expect(r.sentences[0].words).toEqual(['The', 'Kyoto', '-based', 'firm', 'grew', '.']);
    expect(r.sentences[0].entities).toEqual([{ start: 1, end: 2, type: 'Loc' }]);
  });

  it('cuts sentences after 。！？ and their closing brackets, and after . ! ? before a space and a word not in lower case', () => {
    const text = '「行く。」と言った。3.5 is fine. Next';
    expect(sentenceRanges(text).map(([s, e]) => text.slice(s, e))).toEqual(['「行く。」', 'と言った。', '3.5 is fine.', 'Next']);
    expect(sentenceRanges('Acme Corp. in Boston, e.g. here. Then stop').length).toBe(2);
  });
});

describe('brat (Japanese, MeCab-IPADIC morphemes)', () => {
  it('cuts Japanese into morphemes, splitting one where an entity ends inside it', async () => {
    const morphology = await Morphology.load();
    const text = '山田太郎は東京都のソニーに勤めている。\n彼は大阪府に住む。';
    const ann = [t('T1', 'Peop', text, '山田太郎'), t('T2', 'Org', text, 'ソニー'), t('T3', 'Loc', text, '東京'), t('T4', 'Loc', text, '大阪'), 'R1\tWork_For Arg1:T1 Arg2:T2', 'R2\tLocated_In Arg1:T2 Arg2:T3'].join('\n');
    const r = parseAnnotations('brat', [{ name: 'ja.txt', text }, { name: 'ja.ann', text: ann }], { segmenter: morphology });
    expect(r.sentences.map((s) => s.text)).toEqual(['山田太郎は東京都のソニーに勤めている。', '彼は大阪府に住む。']);
    const [a, b] = r.sentences;
    expect(a.words.join('')).toBe(a.text);
    expect(a.words).toEqual(expect.arrayContaining(['東京', 'ソニー', 'は', 'の']));
    const entityText = (s: typeof a, k: number) => s.words.slice(s.entities[k].start, s.entities[k].end).join('');
    expect(a.entities.map((_, k) => entityText(a, k))).toEqual(['山田太郎', '東京', 'ソニー']);
    expect(a.entities.map((e) => e.type)).toEqual(['Peop', 'Loc', 'Org']);
    // Relations index the sentence's entities in start order (T3 東京 comes before T2 ソニー).
    expect(a.relations).toEqual([
      { head: 0, tail: 2, type: 'Work_For' },
      { head: 2, tail: 1, type: 'Located_In' },
    ]);
    expect(entityText(b, 0)).toBe('大阪');
    expect(b.words).toContain('府');
  });
});

describe('brat errors', () => {
  const text = 'Ann met Bob in Paris.\nBob left.';
  const parse = (ann: string, extra: { name: string; text: string }[] = []) => () => parseAnnotations('brat', [{ name: 'd.txt', text }, { name: 'd.ann', text: ann }, ...extra], {});

  it.each([
    ['overlapping entities', [t('T1', 'Peop', text, 'Ann met'), t('T2', 'Peop', text, 'met Bob')].join('\n'), 'annotationBratOverlap', { file: 'd.ann', first: 'T1', firstText: 'Ann met', firstStart: 0, firstEnd: 7, second: 'T2', secondText: 'met Bob', secondStart: 4, secondEnd: 11 }],
    ['nested entities', [t('T1', 'Loc', text, 'in Paris'), t('T2', 'Loc', text, 'Paris')].join('\n'), 'annotationBratOverlap', { file: 'd.ann', first: 'T1', second: 'T2' }],
    ['a relation to a missing entity', [t('T1', 'Peop', text, 'Ann'), 'R1\tKnows Arg1:T1 Arg2:T9'].join('\n'), 'annotationBratRelationMissing', { file: 'd.ann', relation: 'R1', argument: 'T9' }],
    ['a relation across sentences', [t('T1', 'Peop', text, 'Ann'), t('T2', 'Peop', text, 'Bob', 1), 'R1\tKnows Arg1:T1 Arg2:T2'].join('\n'), 'annotationBratCrossSentence', { file: 'd.ann', relation: 'R1', head: 'T1', headText: 'Ann', tail: 'T2', tailText: 'Bob' }],
    ['a discontinuous entity', 'T1\tPeop 0 3;8 11\tAnn Bob', 'annotationBratDiscontinuous', { file: 'd.ann', entity: 'T1', spans: '0 3;8 11' }],
    ['a span outside the text', 'T1\tPeop 28 40\tleft.', 'annotationBratSpanOutside', { file: 'd.ann', entity: 'T1', start: 28, end: 40, length: text.length }],
    ['recorded text that does not match', 'T1\tPeop 0 3\tAnna', 'annotationBratTextMismatch', { file: 'd.ann', entity: 'T1', recorded: 'Anna', actual: 'Ann' }],
    ['an entity across a line break (brat writes the break as a space)', 'T1\tLoc 15 25\tParis. Bob', 'annotationBratEntityCrossesSentence', { file: 'd.ann', entity: 'T1', text: 'Paris. Bob' }],
    ['a line that is not an annotation', 'T1 Peop 0 3 Ann', 'annotationBratLineInvalid', { file: 'd.ann', line: 1, content: 'T1 Peop 0 3 Ann' }],
    ['an id used twice', [t('T1', 'Peop', text, 'Ann'), t('T1', 'Peop', text, 'Bob')].join('\n'), 'annotationBratDuplicateId', { file: 'd.ann', line: 2, id: 'T1' }],
  ])('refuses %s', (_, ann, code, params) => {
    const f = failure(parse(ann));
    expect(f.code).toBe(code);
    expect(f.params).toMatchObject(params);
  });

  it('refuses an .ann without its .txt and a .txt without its .ann', () => {
    expect(failure(() => parseAnnotations('brat', [{ name: 'a.ann', text: '' }], {}))).toEqual({ code: 'annotationBratMissingTxt', params: { annFile: 'a.ann', txtFile: 'a.txt' } });
    expect(failure(() => parseAnnotations('brat', [{ name: 'a.txt', text: 'x' }, { name: 'b.txt', text: 'y' }, { name: 'a.ann', text: '' }], {}))).toEqual({ code: 'annotationBratMissingAnn', params: { txtFile: 'b.txt', annFile: 'b.ann' } });
  });

  it('refuses documents without a sentence', () => {
    expect(failure(() => parseAnnotations('brat', [{ name: 'a.txt', text: ' \n\n' }, { name: 'a.ann', text: '' }], {}))).toEqual({ code: 'annotationEmpty', params: { file: 'a.txt, a.ann' } });
  });
});
