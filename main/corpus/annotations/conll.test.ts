// CoNLL columns: BIO (strict IOB2) and BILOU, detected per file; errors carry the file's line.
import { describe, expect, it } from 'vitest';
import { detectScheme, parseAnnotations } from './index';
import { failure } from './testSupport';

const bio = ['-DOCSTART- -X- O O', '', 'EU NNP B-NP B-ORG', 'rejects VBZ B-VP O', 'German JJ B-NP B-MISC', 'call NN I-NP O', '', 'Peter\tB-PER', 'Blackburn\tI-PER', 'of\tO', 'New\tB-LOC', 'York\tI-LOC', ''].join('\n');
const bilou = ['Peter B-PER', 'Blackburn L-PER', 'visited O', 'Osaka U-LOC', '', '', 'Kyoto U-LOC'].join('\r\n');

describe('CoNLL columns', () => {
  it('reads BIO (the last column the tag, -DOCSTART- skipped, tabs or spaces)', () => {
    const r = parseAnnotations('conll', [{ name: 'eng.train', text: bio }], {});
    expect(r.sentences).toEqual([
      { words: ['EU', 'rejects', 'German', 'call'], entities: [{ start: 0, end: 1, type: 'ORG' }, { start: 2, end: 3, type: 'MISC' }], relations: [], source: 'eng.train' },
      { words: ['Peter', 'Blackburn', 'of', 'New', 'York'], entities: [{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 5, type: 'LOC' }], relations: [], source: 'eng.train' },
    ]);
    expect(r.schema).toEqual({ entityTypes: ['ORG', 'MISC', 'PER', 'LOC'], relationTypes: [] });
  });

  it('reads BILOU (CRLF lines, several blank lines)', () => {
    const r = parseAnnotations('conll', [{ name: 'b.conll', text: bilou }], {});
    expect(r.sentences.map((s) => s.entities)).toEqual([[{ start: 0, end: 2, type: 'PER' }, { start: 3, end: 4, type: 'LOC' }], [{ start: 0, end: 1, type: 'LOC' }]]);
  });

  it('detects the scheme from L- and U- tags', () => {
    expect(detectScheme(['B-X', 'I-X', 'O'])).toBe('BIO');
    expect(detectScheme(['B-X', 'L-X', 'O'])).toBe('BILOU');
  });

  it.each([
    ['I- after O in BIO (IOB1 is not guessed)', 'a O\nb I-PER\n', 'annotationTagUnexpected', { line: 2, tag: 'I-PER', scheme: 'BIO' }],
    ['I- opening a sentence in BIO', 'a O\n\nb I-PER\n', 'annotationTagUnexpected', { line: 3, tag: 'I-PER', scheme: 'BIO' }],
    ['a type change in BIO', 'a B-PER\nb I-LOC\n', 'annotationTagTypeChanged', { line: 2, tag: 'I-LOC', scheme: 'BIO' }],
    ['a malformed tag', 'a B-PER\nb PER\n', 'annotationTagMalformed', { line: 2, tag: 'PER' }],
    ['B- not closed in BILOU', 'a B-PER\nb O\nc U-LOC\n', 'annotationTagUnexpected', { line: 2, tag: 'O', scheme: 'BILOU' }],
    ['a type change in BILOU', 'a B-PER\nb L-LOC\n', 'annotationTagTypeChanged', { line: 2, tag: 'L-LOC', scheme: 'BILOU' }],
    ['a sentence ending inside an entity in BILOU', 'a U-LOC\nb B-PER\n\nc O\n', 'annotationTagUnfinished', { line: 2, tag: 'B-PER', scheme: 'BILOU' }],
    ['a line with one column', 'a O\nb\n', 'annotationColumnsTooFew', { line: 2 }],
  ])('refuses %s, with the line', (_, text, code, params) => {
    const f = failure(() => parseAnnotations('conll', [{ name: 'ok.conll', text: 'x O\n' }, { name: 'bad.conll', text }], {}));
    expect(f).toEqual({ code, params: { file: 'bad.conll', ...params } });
  });

  it('refuses files without a sentence', () => {
    expect(failure(() => parseAnnotations('conll', [{ name: 'e.conll', text: '-DOCSTART- O\n\n\n' }], {}))).toEqual({ code: 'annotationEmpty', params: { file: 'e.conll' } });
  });
});
