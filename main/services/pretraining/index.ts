// Domain pretraining, masked-LM loss comparison, vocabulary learning and position extension: the
// pretrain.*, mlm.*, vocab.* and models.extendPositions methods. Texts come from the project;
// models are Hugging Face folders on disk, written whole when a run ends and recorded (path and
// hash) in the project in one transaction.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { bertParameterCount } from '../../../common/bertSize';
import { usesBaseModel, type Handlers, type HeldOutLossInfo, type MlmModelScore, type ModelInfo, type PretrainConfig, type PretrainEstimate, type PretrainPoint, type PretrainResult } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32, permutation } from '../../../common/random';
import { extendPositions } from '../../ml/pretrain/positions';
import { tokenizerFiles } from '../../ml/train/export';
import { estimate } from '../../ml/models/estimate';
import { parseModelConfig } from '../../ml/models/index';
import { bertConfigJson } from '../../ml/pretrain/scratch';
import { encodeSafetensors, type WritableTensor } from '../../ml/weights/safetensorsWrite';
import { modelHash, openWeights, readConfig, requireModelDir } from '../../modelFolders/modelFolder';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';
import { createAndLaunch, launchRun, provenance, type RunKindService } from '../runs';
import type { WorkflowService } from '../workflow';

type PretrainHandlers = Pick<Handlers, 'pretrain.start' | 'pretrain.estimate' | 'mlm.evaluate' | 'mlm.evaluations' | 'vocab.learn' | 'models.extendPositions'>;

/** Where a run keeps its checkpoint until it ends: inside its output folder. */
export const checkpointFile = (outputDir: string) => join(outputDir, '.shirabe-checkpoint', 'checkpoint.safetensors');

/** A folder the caller may write into: new, or existing and empty. */
function requireEmptyFolder(path: string): string {
  const target = resolve(path);
  if (existsSync(target) && readdirSync(target).length > 0) throw new ShirabeError('exportTargetNotEmpty', { path: target });
  return target;
}

interface PretrainData {
  train: { id: number; text: string }[];
  heldOut: { id: number; text: string }[];
  dataHash: string;
}

/**
 * Training text: the corpus's train split, each distinct text once, empty ones left out; held-out
 * text: its dev split, or a seeded share of the training documents.
 */
export function pretrainData(store: ProjectStore, config: Pick<PretrainConfig, 'corpusId' | 'heldOut' | 'seed'>): PretrainData {
  const name = store.corpora.name(config.corpusId);
  const seen = new Set<string>();
  const docs = store.documents.labelled(config.corpusId).filter((d) => {
    if (d.text.trim() === '' || seen.has(d.textHash)) return false;
    seen.add(d.textHash);
    return true;
  });
  let train = docs.filter((d) => d.split === 'train');
  let heldOut = docs.filter((d) => d.split === 'dev');
  if (config.heldOut.source === 'holdout') {
    const n = Math.round(train.length * config.heldOut.fraction);
    const held = new Set(permutation(train.length, mulberry32(deriveSeed(config.seed, 23))).slice(0, n));
    heldOut = train.filter((_, i) => held.has(i));
    train = train.filter((_, i) => !held.has(i));
  }
  if (heldOut.length === 0) throw new ShirabeError('pretrainNoHeldOut', { name });
  if (train.length === 0) throw new ShirabeError('splitNoText', { split: 'train' });
  const hash = createHash('sha256');
  for (const [part, list] of [['train', train], ['heldOut', heldOut]] as const) for (const d of list) hash.update(`${part}\u0000${d.id}\u0000${d.text}\u0001`);
  const pick = (d: { id: number; text: string }) => ({ id: d.id, text: d.text });
  return { train: train.map(pick), heldOut: heldOut.map(pick), dataHash: hash.digest('hex') };
}

/** Texts of one split of a corpus (each distinct text once). */
function splitTexts(store: ProjectStore, corpusId: number, split: 'train' | 'dev' | 'test'): string[] {
  const seen = new Set<string>();
  return store
    .documents.labelled(corpusId)
    .filter((d) => d.split === split && d.text.trim() !== '' && !seen.has(d.textHash) && Boolean(seen.add(d.textHash)))
    .map((d) => d.text);
}

/** SHA-256 over a model folder's tokenizer files (name and contents): equal tokenizers, equal hash. */
export function tokenizerHash(dir: string): string {
  const hash = createHash('sha256');
  for (const f of tokenizerFiles) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    let contents = readFileSync(p);
    // model_max_length and the like do not change tokens: compare tokenizer_config.json without them.
    if (f === 'tokenizer_config.json') {
      const { model_max_length: _m, name_or_path: _n, ...rest } = JSON.parse(contents.toString('utf8')) as Record<string, unknown>;
      contents = Buffer.from(JSON.stringify(rest, Object.keys(rest).sort()));
    }
    hash.update(`${f}\u0000`).update(contents).update('\u0001');
  }
  return hash.digest('hex');
}

/** A model card for a pretrained folder: what it was trained on and how, and its held-out loss. */
function modelCard(name: string, c: PretrainConfig, run: { dataHash: string; corpus: string; initial: HeldOutLossInfo; final: HeldOutLossInfo; steps: number; parameters: number; base: string | null; version: string }): string {
  return [
    `# ${name}`,
    '',
    c.mode === 'simcse'
      ? `${run.base} trained for sentence embeddings by unsupervised SimCSE (Gao et al. 2021) in Shirabe ${run.version}: each sentence twice through dropout, the other sentences of its batch as negatives, a training-time MLP over [CLS] (not saved: use [CLS] pooling without it), temperature ${c.temperature}.`
      : c.mode === 'scratch'
      ? `A BERT (${c.scratch.numLayers} layers, hidden ${c.scratch.hiddenSize}, ${c.scratch.numHeads} heads, ${run.parameters.toLocaleString('en')} parameters) pretrained from scratch by Shirabe ${run.version} with masked language modelling, its WordPiece vocabulary learned from the same text (${c.scratch.wordSplitter === 'mecab' ? 'MeCab-IPADIC words' : 'BERT basic-tokenizer words'}).`
      : `${run.base} with masked-language-model pretraining continued by Shirabe ${run.version}.`,
    '',
    `- Corpus: ${run.corpus} (train split; data SHA-256 ${run.dataHash})`,
    `- ${run.steps.toLocaleString('en')} optimizer steps: ${c.epochs} epoch${c.epochs === 1 ? '' : 's'}, batch ${c.batchSize} × ${c.gradientAccumulation}, sequences of ${c.maxLength} tokens, learning rate ${c.learningRate} (AdamW, warm-up ${c.warmupRatio}, weight decay ${c.weightDecay}), seed ${c.seed}`,
    ...(c.mode === 'simcse'
      ? [`- Held-out contrastive loss (mean over ${c.evalSeeds} dropout seeds): ${run.initial.loss.toFixed(4)} before training, ${run.final.loss.toFixed(4)} after`]
      : [
          `- Masking: ${c.mlmProbability * 100}% of tokens${c.wholeWordMasking ? ', whole words' : ''}, 80% [MASK] / 10% random / 10% kept, drawn anew every epoch${c.nsp ? '; with next-sentence prediction on sentence pairs' : ''}`,
          `- Held-out masked-LM loss (mean over ${c.evalSeeds} mask seeds): ${run.initial.loss.toFixed(4)} before training, ${run.final.loss.toFixed(4)} after`,
        ]),
    '',
  ].join('\n');
}

export function pretrainService(deps: ServiceContext): WorkflowService<PretrainHandlers, 'pretrain'> {
  const launch = async (store: ProjectStore, runId: number, config: PretrainConfig, resume: boolean, ready?: { data: PretrainData; base: ModelInfo | null }): Promise<string> => {
    const data = ready?.data ?? pretrainData(store, config);
    const base = ready?.base ?? (usesBaseModel(config.mode) ? await deps.inspect(config.modelPath) : null);
    const run = store.pretraining.get(runId);
    if (resume) {
      if (run.dataHash !== data.dataHash) throw new ShirabeError('runDataChanged', { id: runId, expected: run.dataHash.slice(0, 12), found: data.dataHash.slice(0, 12) });
      if (run.base && base && run.base.hash !== base.hash) throw new ShirabeError('runBaseModelChanged', { id: runId, path: base.path, expected: run.base.hash.slice(0, 12), found: base.hash.slice(0, 12) });
    }
    const outputDir = resolve(config.outputDir);
    const points: PretrainPoint[] = [];
    const jobId = launchRun(deps.jobs, {
      kind: 'pretrain',
      runId,
      title: run.name,
      unit: 'steps',
      setStatus: (status, error) => store.pretraining.setStatus(runId, status, error),
      keep: () => store.pretraining.addPoints(runId, points.splice(0)),
      body: async (ctx): Promise<PretrainResult> => {
        const started = Date.now();
        let backend = '';
        const { output: outcome, backend: used } = await deps.compute.run(
          'pretrain',
          {
            config,
            train: data.train.map((d) => d.text),
            heldOut: data.heldOut.map((d) => d.text),
            checkpointPath: checkpointFile(outputDir),
            resume,
            provenance: { shirabe: { createdBy: `Shirabe ${deps.version}`, mode: config.mode, corpus: store.corpora.name(config.corpusId), dataHash: data.dataHash, seed: config.seed } },
          },
          {
            signal: ctx.signal,
            onProgress: ctx.progress,
            onEvent: (e) => {
              if (e.type === 'checkpoint') {
                backend ||= 'compute worker';
                store.pretraining.checkpointed(runId, e.step, points.splice(0), backend);
                return;
              }
              const p: PretrainPoint =
                e.type === 'step'
                  ? { kind: 'step', step: e.step, epoch: e.epoch, loss: e.loss, learningRate: e.learningRate, seconds: null }
                  : { kind: 'eval', step: e.step, epoch: e.epoch, loss: e.heldOut.loss, learningRate: null, seconds: e.seconds };
              points.push(p);
              deps.emit('pretrain.progress', { runId, ...p });
            },
          },
        );
        backend = used;
        // The folder: weights and config from the worker, the tokenizer (copied from the base, or learned), a model card.
        mkdirSync(outputDir, { recursive: true });
        for (const [name, contents] of outcome.files) writeFileSync(join(outputDir, name), contents);
        if (outcome.copyTokenizerFiles && base) {
          for (const f of tokenizerFiles) if (existsSync(join(base.path, f)) && !outcome.files.some(([n]) => n === f)) copyFileSync(join(base.path, f), join(outputDir, f));
        }
        writeFileSync(
          join(outputDir, 'README.md'),
          modelCard(run.name, config, { dataHash: data.dataHash, corpus: store.corpora.name(config.corpusId), initial: outcome.initial, final: outcome.final, steps: outcome.steps, parameters: outcome.parameters, base: base?.name ?? null, version: deps.version }),
        );
        rmSync(join(outputDir, '.shirabe-checkpoint'), { recursive: true, force: true });
        const seconds = (Date.now() - started) / 1000;
        const hash = modelHash(outputDir, ['model.safetensors']);
        store.pretraining.finish(runId, {
          backend,
          seconds,
          output: { path: outputDir, hash, parameters: outcome.parameters, vocabSize: outcome.vocabSize },
          sequences: outcome.sequences,
          initialLoss: outcome.initial,
          finalLoss: outcome.final,
          points,
          memory: outcome.memory,
        });
        deps.projects.touched();
        return { runId, mode: config.mode, initialLoss: outcome.initial, finalLoss: outcome.final, outputDir, seconds };
      },
    });
    deps.remember(jobId, { runId, config, resume, baseHash: base?.hash ?? null, dataHash: data.dataHash, version: deps.version });
    return jobId;
  };

  const start = async (config: PretrainConfig) => {
    const store = deps.projects.require();
    const data = pretrainData(store, config);
    requireEmptyFolder(config.outputDir);
    const base = usesBaseModel(config.mode) ? await deps.inspect(config.modelPath) : null;
    if (base && (base.missing.length || base.misshaped.length)) throw new ShirabeError('modelTensorsMismatch', { missing: base.missing.join(', ') || '—', misshaped: base.misshaped.join('; ') || '—' });
    if (base && config.maxLength > base.maxPositions) throw new ShirabeError('modelSequenceTooLong', { maxLength: config.maxLength, limit: base.maxPositions });
    if (base && config.nsp && base.modelType !== 'bert') throw new ShirabeError('pretrainNspUnsupported', { name: base.name, modelType: base.modelType });
    const name = config.name.trim() || `${store.corpora.name(config.corpusId)} · ${base ? base.name : 'BERT'} · ${config.mode === 'scratch' ? 'scratch' : config.mode === 'simcse' ? 'SimCSE' : 'MLM'}`;
    const { runId, launched } = await createAndLaunch(
      () =>
        store.pretraining.create({
          corpusId: config.corpusId,
          name,
          config: { ...config, name, outputDir: resolve(config.outputDir), modelPath: base?.path ?? '' },
          base: base ? { name: base.name, path: base.path, hash: base.hash, modelType: base.modelType, ...(base.source ? { source: base.source } : {}) } : null,
          dataHash: data.dataHash,
          documents: { train: data.train.length, heldOut: data.heldOut.length },
          versions: provenance(deps.version),
        }),
      (id) => launch(store, id, store.pretraining.get(id).config, false, { data, base }),
      (id) => store.pretraining.delete(id),
    );
    return { jobId: launched, runId };
  };

  const runs: RunKindService<'pretrain'> = {
    list: (corpusId) => deps.projects.require().pretraining.list(corpusId),
    get(runId) {
      const store = deps.projects.require();
      return { ...store.pretraining.get(runId), points: store.pretraining.points(runId) };
    },
    async resume(runId) {
      const store = deps.projects.require();
      return { jobId: await launch(store, runId, store.pretraining.get(runId).config, true) };
    },
    /** The same config into another folder (the run's own holds its model): `outputDir`, new or empty. */
    rerun: (runId, { outputDir }) => start({ ...deps.projects.require().pretraining.get(runId).config, ...(outputDir ? { outputDir } : {}) }),
    delete: (runId) => deps.projects.require().pretraining.delete(runId),
  };

  const handlers: PretrainHandlers = {
    'pretrain.start': (config) => start(config),
    'pretrain.estimate': async (config): Promise<PretrainEstimate> => {
      const store = deps.projects.require();
      const data = pretrainData(store, config);
      const base = usesBaseModel(config.mode) ? await deps.inspect(config.modelPath) : null;
      // The model's shapes (the base's config.json, or the new BERT's) and one step of this batch:
      // weights, AdamW's moments, gradients and the activations tfjs keeps (ml/models/memory.ts).
      const { config: modelConfig } = parseModelConfig(base ? readConfig(base.path) : bertConfigJson(config.scratch));
      const batch = { batchSize: config.batchSize, maxLength: config.maxLength };
      const counts =
        config.mode === 'simcse'
          ? estimate(modelConfig, 'masked-lm', { batch, work: 'simcse' })
          : estimate(modelConfig, config.nsp ? ['masked-lm', 'next-sentence'] : 'masked-lm', { batch });
      return {
        parameters: base ? base.parameters : bertParameterCount(config.scratch, config.nsp),
        documents: { train: data.train.length, heldOut: data.heldOut.length },
        characters: data.train.reduce((a, d) => a + d.text.length, 0),
        memoryBytes: counts.memoryBytes,
      };
    },
    'mlm.evaluate': async (o) => {
      const store = deps.projects.require();
      const texts = splitTexts(store, o.corpusId, o.split);
      if (texts.length === 0) throw new ShirabeError('splitNoText', { split: o.split });
      const models: ModelInfo[] = [];
      for (const p of o.modelPaths) models.push(await deps.inspect(p));
      for (const m of models) if (!m.loadedHeads.mlm) throw new ShirabeError('modelNoMaskedLmHead', { name: m.name });
      const job = deps.jobs.submit({
        kind: 'mlm',
        title: `${store.corpora.name(o.corpusId)} · ${models.map((m) => m.name).join(', ')}`,
        unit: 'steps',
        body: async (ctx) => {
          const { output: outcome } = await deps.compute.run('mlmLoss', { ...o, modelPaths: models.map((m) => m.path), texts }, { signal: ctx.signal, onProgress: ctx.progress });
          const groups = new Map<string, number>();
          const scores: MlmModelScore[] = models.map((m, i) => {
            const th = tokenizerHash(m.path);
            if (!groups.has(th)) groups.set(th, groups.size);
            return { path: m.path, name: m.name, hash: m.hash, tokenizerHash: th, loss: outcome.losses[i], group: groups.get(th)! };
          });
          const evaluation = { corpusId: o.corpusId, split: o.split, maxLength: o.maxLength, seeds: o.seeds, documents: texts.length, models: scores };
          const id = store.pretraining.addEvaluation(evaluation);
          deps.projects.touched();
          return store.pretraining.evaluations(o.corpusId).find((e) => e.id === id)!;
        },
      });
      deps.remember(job.id, { ...o, models: models.map((m) => ({ path: m.path, hash: m.hash })), version: deps.version });
      return { jobId: job.id };
    },
    'mlm.evaluations': async ({ corpusId }) => deps.projects.require().pretraining.evaluations(corpusId),

    'vocab.learn': async (o) => {
      const store = deps.projects.require();
      const target = requireEmptyFolder(o.outDir);
      const texts = splitTexts(store, o.corpusId, 'train');
      if (texts.length === 0) throw new ShirabeError('splitNoText', { split: 'train' });
      const job = deps.jobs.submit({
        kind: 'vocab',
        title: `${store.corpora.name(o.corpusId)} · ${o.vocabSize.toLocaleString('en')}`,
        unit: 'steps',
        body: async (ctx) => {
          const { output: outcome } = await deps.compute.run('vocab', { texts, vocabSize: o.vocabSize, wordSplitter: o.wordSplitter, lowercase: o.lowercase, maxLength: 512 }, { signal: ctx.signal, onProgress: ctx.progress });
          requireEmptyFolder(target);
          mkdirSync(target, { recursive: true });
          for (const [name, contents] of outcome.files) writeFileSync(join(target, name), contents);
          return { path: target, files: outcome.files.map(([n]) => n).sort(), vocabSize: outcome.vocab.length, words: outcome.words };
        },
      });
      deps.remember(job.id, { ...o, version: deps.version });
      return { jobId: job.id };
    },

    'models.extendPositions': async ({ path, outDir, length }) => extendModelPositions(path, outDir, length),
  };
  return { handlers, runs: { pretrain: runs } };
}

/**
 * A copy of a model folder whose position-embedding table is stretched (or shrunk) to `length`
 * positions by cubic-spline interpolation; config.json's max_position_embeddings and the
 * tokenizer's model_max_length follow. Everything is read and built before the folder is written.
 */
export function extendModelPositions(path: string, outDir: string, length: number): { path: string; files: string[]; from: number; to: number } {
  const dir = requireModelDir(path);
  const raw = readConfig(dir);
  const { arch, config } = parseModelConfig(raw);
  const target = requireEmptyFolder(outDir);
  const from = config.maxPositions - config.positionOffset;
  if (length === from) throw new ShirabeError('positionsUnchanged', { length });
  const weights = openWeights(dir);
  const tensors = new Map<string, WritableTensor>();
  let found = false;
  try {
    const spec = arch.params(config).find((s) => s.key === 'embeddings.position');
    const names = new Set((spec?.names ?? []).flatMap((n) => arch.prefixes.map((p) => p + n)));
    for (const name of weights.reader.tensors.keys()) {
      const info = weights.reader.tensors.get(name)!;
      // The position-id buffer of older checkpoints is rebuilt by transformers at the new length.
      if (/(^|\.)embeddings\.position_ids$/.test(name)) continue;
      const data = weights.reader.read(name);
      if (names.has(name)) {
        found = true;
        const [rows, hidden] = info.shape;
        tensors.set(name, { shape: [length + config.positionOffset, hidden], data: extendPositions(data, rows, hidden, length + config.positionOffset, config.positionOffset) });
      } else tensors.set(name, { shape: info.shape, data });
    }
  } finally {
    weights.close();
  }
  if (!found) throw new ShirabeError('positionsUnsupported', { name: basename(dir), modelType: config.modelType });
  // Every supported architecture names it max_position_embeddings (RoBERTa's counts its reserved rows).
  const newConfig = { ...raw, max_position_embeddings: length + config.positionOffset, dtype: 'float32' };
  const files = new Map<string, string | Uint8Array>([
    ['config.json', `${JSON.stringify(newConfig, null, 2)}\n`],
    ['model.safetensors', encodeSafetensors(tensors, { format: 'pt' })],
  ]);
  const tokConfig = join(dir, 'tokenizer_config.json');
  if (existsSync(tokConfig)) files.set('tokenizer_config.json', `${JSON.stringify({ ...(JSON.parse(readFileSync(tokConfig, 'utf8')) as object), model_max_length: length }, null, 2)}\n`);
  mkdirSync(target, { recursive: true });
  for (const [name, contents] of files) writeFileSync(join(target, name), contents);
  for (const f of tokenizerFiles) if (!files.has(f) && existsSync(join(dir, f))) copyFileSync(join(dir, f), join(target, f));
  return { path: target, files: readdirSync(target).sort(), from, to: length };
}
