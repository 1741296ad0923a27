// The embed job end to end through the services: the compute worker (a real worker thread),
// the default model, vectors stored per document in one transaction, cancel, a worker that dies.
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultImportOptions, type EmbedResult } from '../common/contract';
import { buildServices } from '../main/services';
import { fileSettings } from '../main/services/settings';
import { writeSyntheticCsv } from '../bench/common';
import { tempDir, writeShiftJisCsv } from './fixtures';
import { fontPath } from './paths';

const dir = tempDir();
const defaultModelPath = resolve(__dirname, '../resources/models/shirabe-tiny-ja');
const services = buildServices({ mode: 'browser', version: 'test', settings: fileSettings(join(dir, 's.json')), fontPath, defaultModelPath });
const h = services.handlers;
afterAll(() => services.shutdown());

const embedOptions = { modelPath: defaultModelPath, pooling: 'mean' as const, layer: -1, maxLength: 64, batchSize: 4, truncation: 'head' as const };

describe('embed job', () => {
  it('lists the bundled default model and inspects it', async () => {
    expect((await h['settings.get']({})).models).toEqual([defaultModelPath]);
    const info = await h['models.inspect']({ path: defaultModelPath });
    expect(info).toMatchObject({ modelType: 'bert', layers: 2, hiddenSize: 128, missing: [], misshaped: [], unexpected: [] });
    expect(info.tokenizer.kind).toBe('bert-japanese');
    const { tokens } = await h['models.tokenize']({ path: defaultModelPath, text: 'ｶﾞｽ代' });
    // NFKC turns ｶﾞ into ガ; the span of ガ covers both original characters. MeCab reads ガス and 代;
    // the learned vocabulary has no ガス, so WordPiece splits it into ガ ##ス.
    expect(tokens.map((t) => [t.token, t.start, t.end])).toEqual([
      ['[CLS]', 0, 0],
      ['ガ', 0, 2],
      ['##ス', 2, 3],
      ['代', 3, 4],
      ['[SEP]', 4, 4],
    ]);
  });

  it('embeds a corpus; vectors match the document order; the worker holds no extra tensors after', async () => {
    await h['project.create']({ path: join(dir, 'p.shirabe') });
    const csv = writeShiftJisCsv(dir);
    await services.jobs.wait((await h['import.start']({ path: csv, options: { ...defaultImportOptions, name: 'news', textColumn: '本文', labelColumn: 'カテゴリ' } })).jobId);
    const corpusId = (await h['corpus.list']({}))[0].id;
    const updates: number[] = [];
    const off = services.events.on('job.update', (j) => j.kind === 'embed' && updates.push(j.done));
    const job = await services.jobs.wait((await h['embed.start']({ corpusId, ...embedOptions })).jobId);
    off();
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    const result = job.result as EmbedResult;
    expect(result).toMatchObject({ documents: 8, dimensions: 128 });
    expect(updates.length).toBeGreaterThan(1);
    const tensorsAfterFirst = (await h['compute.status']({})).memory!.tensors;
    const again = await services.jobs.wait((await h['embed.start']({ corpusId, ...embedOptions, pooling: 'cls', layer: 0 })).jobId);
    expect(again.status).toBe('done');
    // The model's weights stay loaded; nothing else may remain from a job.
    expect((await h['compute.status']({})).memory!.tensors).toBe(tensorsAfterFirst);
    const runs = await h['embed.runs']({ corpusId });
    expect(runs.map((r) => [r.pooling, r.layer, r.documents, r.dimensions])).toEqual([
      ['cls', 0, 8, 128],
      ['mean', 2, 8, 128],
    ]);
    const stored = services.projects.require().embeddings.vectors(result.runId);
    expect(stored.vectors.length).toBe(8 * 128);
    expect(Number.isFinite(stored.vectors[0])).toBe(true);
    // Layer 0 with CLS pooling is LayerNorm(word + position + type) of [CLS]: the same for every document.
    const cls = services.projects.require().embeddings.vectors(runs[0].id).vectors;
    expect(Array.from(cls.subarray(0, 128))).toEqual(Array.from(cls.subarray(128, 256)));
    expect(services.projects.require().jobs.history()[0]).toMatchObject({ kind: 'embed', status: 'done' });
  });

  it('a cancelled embed stores nothing; a killed worker fails the job with the reason and comes back', async () => {
    const big = writeSyntheticCsv(dir, 3000, 5);
    await services.jobs.wait((await h['import.start']({ path: big, options: { ...defaultImportOptions, name: 'big', textColumn: 'text', labelColumn: 'label' } })).jobId);
    const corpusId = (await h['corpus.list']({})).find((c) => c.name === 'big')!.id;
    const { jobId } = await h['embed.start']({ corpusId, ...embedOptions });
    const off = services.events.on('job.update', (j) => {
      if (j.id === jobId && j.done > 0 && j.status === 'running') void h['jobs.cancel']({ jobId });
    });
    expect((await services.jobs.wait(jobId)).status).toBe('cancelled');
    off();
    expect(await h['embed.runs']({ corpusId })).toEqual([]);

    const second = await h['embed.start']({ corpusId, ...embedOptions });
    let killed = false;
    const kill = services.events.on('job.update', (j) => {
      if (j.id === second.jobId && j.done > 0 && j.status === 'running' && !killed) {
        killed = true;
        void services.compute.thread?.terminate();
      }
    });
    const died = await services.jobs.wait(second.jobId);
    kill();
    expect(died.status).toBe('failed');
    expect(died.error?.code).toBe('computeWorkerDied');
    expect(await h['embed.runs']({ corpusId })).toEqual([]);
    // The worker restarts: the next job runs.
    const small = (await h['corpus.list']({})).find((c) => c.name === 'news')!.id;
    const after = await services.jobs.wait((await h['embed.start']({ corpusId: small, ...embedOptions })).jobId);
    expect(after.error).toBeNull();
    expect(after.status).toBe('done');
  });

  it('refuses a folder that is not a model, and a max length past the model', async () => {
    const corpusId = (await h['corpus.list']({}))[0].id;
    await expect(h['embed.start']({ corpusId, ...embedOptions, modelPath: dir })).rejects.toMatchObject({ code: 'modelNotFound' });
    await expect(h['embed.start']({ corpusId, ...embedOptions, maxLength: 4096 })).rejects.toMatchObject({ code: 'modelSequenceTooLong' });
  });
});
