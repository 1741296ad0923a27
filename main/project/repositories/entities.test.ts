import { describe, expect, it } from 'vitest';
import { doc, meta, useTempProjects } from '../../../test/projectStore';
import { groupMentions } from './entities';

const { create } = useTempProjects();

describe('entities repository', () => {
  it('keeps an annotated corpus: the splits the files gave, the schema and each sentence', () => {
    const s = create();
    const w = s.corpora.beginImport({ ...meta('conll'), format: 'conll04' });
    const a = w.add({ ...doc('John works for IBM .'), split: 'train' });
    const b = w.add({ ...doc('Mary lives in Paris .'), split: 'dev' });
    const c = w.add({ ...doc('Mary lives in Paris .'), split: 'test' });
    const sentence = (words: string[]) => ({
      words,
      entities: [
        { start: 0, end: 1, type: 'Peop' },
        { start: 3, end: 4, type: words[3] === 'IBM' ? 'Org' : 'Loc' },
      ],
      relations: [{ head: 0, tail: 1, type: words[3] === 'IBM' ? 'Work_For' : 'Live_In' }],
    });
    const offsets = (words: string[]) => {
      let at = 0;
      return words.map((x): [number, number] => [at, (at += x.length + 1) - 1]);
    };
    const rows = [a, b, c].map((documentId, i) => {
      const words = (i === 0 ? 'John works for IBM .' : 'Mary lives in Paris .').split(' ');
      return { documentId, sentence: sentence(words), offsets: offsets(words) };
    });
    s.entities.saveAnnotations(w.corpusId, { entityTypes: ['Peop', 'Org', 'Loc'], relationTypes: ['Work_For', 'Live_In'] }, rows);
    const summary = w.commit();
    // The split each document came with, not a drawn one (the duplicate text stays in test too).
    expect(summary.splits).toEqual({ train: 1, dev: 1, test: 1 });
    expect(s.corpora.list()[0].format).toBe('conll04');
    expect(s.entities.schema(w.corpusId)).toEqual({ entityTypes: ['Peop', 'Org', 'Loc'], relationTypes: ['Work_For', 'Live_In'] });
    const all = s.entities.annotations(w.corpusId);
    expect(all.map((x) => x.split)).toEqual(['train', 'dev', 'test']);
    expect(all[0].sentence.entities[1]).toEqual({ start: 3, end: 4, type: 'Org' });
    expect(all[0].sentence.offsets![3]).toEqual([15, 18]);
    expect(all[0].text.slice(15, 18)).toBe('IBM');
    expect(s.entities.annotation(b)!.sentence.relations).toEqual([{ head: 0, tail: 1, type: 'Live_In' }]);
  });

  it('a rolled-back import leaves no schema or annotation behind', () => {
    const s = create();
    const w = s.corpora.beginImport(meta('x'));
    const id = w.add(doc('a b'));
    s.entities.saveAnnotations(w.corpusId, { entityTypes: ['T'], relationTypes: [] }, [{ documentId: id, sentence: { words: ['a', 'b'], entities: [], relations: [] }, offsets: [[0, 1], [2, 3]] }]);
    w.rollback();
    expect(s.corpora.list()).toEqual([]);
    expect(s.entities.schema(1)).toBeNull();
    expect(s.entities.annotation(id)).toBeNull();
  });

  it('groups found mentions by text and type, and relations by their arguments, most frequent first', () => {
    const text = 'IBM hired John. John left IBM.';
    const sentences = [
      { words: ['IBM', 'hired', 'John', '.'], offsets: [[0, 3], [4, 9], [10, 14], [14, 15]] as [number, number][], entities: [{ start: 0, end: 1, type: 'Org', score: 0.9 }, { start: 2, end: 3, type: 'Peop', score: 0.8 }], relations: [{ head: 1, tail: 0, type: 'Work_For', score: 0.7 }] },
      { words: ['John', 'left', 'IBM', '.'], offsets: [[16, 20], [21, 25], [26, 29], [29, 30]] as [number, number][], entities: [{ start: 0, end: 1, type: 'Peop', score: 0.9 }, { start: 2, end: 3, type: 'Org', score: 0.9 }], relations: [{ head: 0, tail: 1, type: 'Work_For', score: 0.6 }] },
    ];
    const { mentions, relations } = groupMentions([
      { documentId: 7, text, sentences },
      { documentId: 8, text, sentences: [sentences[0]] },
    ]);
    expect(mentions).toEqual([
      { text: 'IBM', type: 'Org', count: 3, documents: 2, documentId: 7 },
      { text: 'John', type: 'Peop', count: 3, documents: 2, documentId: 7 },
    ]);
    expect(relations).toEqual([{ head: 'John', headType: 'Peop', type: 'Work_For', tail: 'IBM', tailType: 'Org', count: 3, documentId: 7 }]);
  });
});
