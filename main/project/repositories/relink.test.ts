// A model found elsewhere (a shared project, a model downloaded again): the runs that recorded it
// are pointed at the new folder, matched by folder and content hash; others stay as they were.
import { describe, expect, it } from 'vitest';
import { doc, importDocs, useTempProjects } from '../../../test/projectStore';

const { create } = useTempProjects();
const source = { endpoint: 'https://huggingface.co', id: 'org/model', revision: 'main', sha: 'a'.repeat(40) };

describe('relinkModel', () => {
  it('moves the embedding, attribution and prediction runs of a model (folder and hash), the config naming the folder too, and nothing else', () => {
    const s = create();
    importDocs(s, 'c', [doc('一つ目'), doc('二つ目')]);
    const corpusId = s.corpora.list()[0].id;
    const ids = s.documents.texts(corpusId).map((d) => d.id);
    const model = { name: 'm', path: '/old/m', hash: 'h1', source };
    const embedding = s.embeddings.save(
      { corpusId, model: { ...model, modelType: 'bert' }, pooling: 'mean', layer: -1, maxLength: 8, batchSize: 2, truncation: 'head', seed: 0, dimensions: 2, truncatedDocuments: 0, backend: 'cpu', versions: {}, seconds: 0 },
      ids,
      new Float32Array(4),
    );
    const other = s.embeddings.save(
      { corpusId, model: { ...model, hash: 'h2', modelType: 'bert' }, pooling: 'mean', layer: -1, maxLength: 8, batchSize: 2, truncation: 'head', seed: 0, dimensions: 2, truncatedDocuments: 0, backend: 'cpu', versions: {}, seconds: 0 },
      ids,
      new Float32Array(4),
    );
    const run = { corpusId, name: 'r', dataHash: 'd', documents: { documents: 2 }, versions: {} };
    const attribution = s.attribution.create({ ...run, config: { source: { kind: 'model', path: '/old/m' } } as never, model, signed: false });
    const prediction = s.prediction.create({ ...run, config: { source: { kind: 'run', runId: 1 } } as never, model, labels: ['a'], task: 'single-label', threshold: 0.5 });

    expect(s.embeddings.relinkModel('/old/m', '/new/m', 'h1')).toBe(1);
    expect(s.attribution.relinkModel('/old/m', '/new/m', 'h1')).toBe(1);
    expect(s.prediction.relinkModel('/old/m', '/new/m', 'h1')).toBe(1);
    const embeddings = s.embeddings.list(null);
    expect(embeddings.find((r) => r.id === embedding)?.model).toEqual({ ...model, path: '/new/m', modelType: 'bert' });
    expect(embeddings.find((r) => r.id === other)?.model.path).toBe('/old/m');
    const a = s.attribution.get(attribution);
    expect(a.model).toEqual({ ...model, path: '/new/m' });
    expect(a.config.source).toEqual({ kind: 'model', path: '/new/m' });
    const p = s.prediction.get(prediction);
    expect(p.model).toEqual({ ...model, path: '/new/m' });
    // A run source names no folder: left as it was.
    expect(p.config.source).toEqual({ kind: 'run', runId: 1 });
    // Another hash at the same folder is another model.
    expect(s.attribution.relinkModel('/new/m', '/x', 'h2')).toBe(0);
  });
});
