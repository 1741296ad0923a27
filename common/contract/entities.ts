// Entities and relations: annotated sentences imported as a corpus (CoNLL04 JSON, CoNLL columns,
// brat standoff), joint NER and relation extraction by table filling (Ma et al. 2022: the bi-affine
// TabERT and the 2-D CNN TabERT-CNN heads over a BERT-family encoder's word-pair table), trained as
// runs of the shared lifecycle, scored with the CoNLL04 literature's NER / RE / RE+ F1, applied to a
// corpus, and viewed as spans, arcs and the sentence's table.
import { z } from 'zod';
import type { EntitySchema, EntitySpan, RelationTriple } from '../entities';
import { event, id, job, limit, method, path, run, section } from './define';
import type { SplitName } from './corpus';
import type { ModelSourceRef } from './hub';
import type { RunStatus } from './jobs';
import type { RunCommon } from './runs';
import { loraTargetNames, type LoraSettings } from './training';

export type { AnnotatedSentence, EntitySchema, EntitySpan, RelationTriple } from '../entities';

export const annotationFormats = ['conll04', 'conll', 'brat'] as const;
export type AnnotationFormat = (typeof annotationFormats)[number];

export const entityHeads = ['biaffine', 'cnn'] as const;
export type EntityHead = (typeof entityHeads)[number];
/** frozen: only the head trains (the encoder's layer outputs are computed once); full: every encoder weight too; lora: adapters on the encoder. */
export const encoderModes = ['frozen', 'full', 'lora'] as const;
export type EncoderMode = (typeof encoderModes)[number];
export const cnnActivations = ['gelu', 'relu', 'tanh'] as const;
export type CnnActivation = (typeof cnnActivations)[number];

export interface CnnSettings {
  layers: number;
  channels: number;
  /** d_h × d_w */
  kernel: [number, number];
  activation: CnnActivation;
  dropout: number;
}

export interface BiaffineSettings {
  /** Size of the head and tail projections (h_head, h_tail). */
  hidden: number;
  dropout: number;
}

export interface EntityTrainConfig {
  /** A corpus imported from annotations (entities.import). */
  corpusId: number;
  modelPath: string;
  head: EntityHead;
  cnn: CnnSettings;
  biaffine: BiaffineSettings;
  /** Encoder hidden state the table is built from: 0 = embeddings … L; null = the last layer. */
  layer: number | null;
  encoder: EncoderMode;
  lora: LoraSettings;
  /**
   * One run per learning rate: the encoder's (full, LoRA) or, with a frozen encoder, the head's. The
   * epoch with the best dev score — the mean of NER and RE+ micro F1, both tasks counting — is kept.
   */
  learningRates: number[];
  /** The head's rate while the encoder trains (the study's code: 1e-3 for the head, 5e-5 for BERT), on the same warm-up and decay. */
  headLearningRate: number;
  epochs: number;
  batchSize: number;
  /** Subwords per sentence including [CLS]/[SEP]; words past it are reported, never dropped silently. */
  maxLength: number;
  seed: number;
  weightDecay: number;
  warmupRatio: number;
  maxGradNorm: number;
  checkpointEvery: number;
  name: string;
}

/**
 * What a config may leave out, with why. The CNN head's are the study's (the authors' TablERT-CNN
 * code and CoNLL04 config: 2 conv layers, 512 channels, 3 × 3 kernels, ReLU, dropout 0.3; head
 * rate 1e-3, BERT 5e-5, batch 8); the bi-affine head's size 150 follows Dozat & Manning's label MLPs.
 */
export const entityTrainDefaults = {
  head: 'cnn' as EntityHead,
  cnn: { layers: 2, channels: 512, kernel: [3, 3] as [number, number], activation: 'relu' as CnnActivation, dropout: 0.3 },
  biaffine: { hidden: 150, dropout: 0.1 },
  layer: null as number | null,
  encoder: 'full' as EncoderMode,
  lora: { rank: 8, alpha: 16, dropout: 0.1, targets: ['query', 'value'] as LoraSettings['targets'] },
  learningRatesTrained: [5e-5],
  learningRatesFrozen: [1e-3],
  headLearningRate: 1e-3,
  epochs: 10,
  batchSize: 8,
  maxLength: 128,
  seed: 42,
  weightDecay: 0.01,
  warmupRatio: 0.1,
  maxGradNorm: 1.0,
  checkpointEvery: 100,
};

/**
 * A layer sweep (the study's Figure 2 and Tables 2–3): the same head trained on encoder layers
 * 0, 2, 4, … L, frozen and trained, as one job of entities runs, one per (encoder, layer, head).
 */
export interface LayerSweepConfig {
  corpusId: number;
  modelPath: string;
  heads: EntityHead[];
  encoders: EncoderMode[];
  /** Hidden states to train on; null = 0, 2, 4, … and the last. */
  layers: number[] | null;
  /** The swept rates of the frozen-encoder runs (the head's) and of the trained ones (the encoder's). */
  learningRatesFrozen: number[];
  learningRatesTrained: number[];
  /** Every other setting of its runs, as an entities config's. */
  train: Omit<EntityTrainConfig, 'corpusId' | 'modelPath' | 'head' | 'encoder' | 'layer' | 'learningRates' | 'name'>;
  name: string;
}

export interface LayerSweepPoint {
  head: EntityHead;
  encoder: EncoderMode;
  layer: number;
  /** The entities run of this point once created (it is a run like any other: curves, viewer, extraction). */
  runId: number | null;
  status: RunStatus | 'pending';
  dev: EntityMetrics | null;
  test: EntityMetrics | null;
  seconds: number | null;
}

export interface LayerSweepRunInfo extends RunCommon<'layerSweep', LayerSweepConfig, { train: number; validation: number; test: number }, { step: number; savedAt: string }> {
  layers: number[];
  points: LayerSweepPoint[];
}

export interface LayerSweepResult {
  runId: number;
  points: LayerSweepPoint[];
  seconds: number;
}

/** The layers a sweep trains on: the given ones, or 0, 2, 4, … and the last of a model with `numLayers` layers. */
export function sweepLayers(layers: number[] | null, numLayers: number): number[] {
  if (layers) return [...new Set(layers)].sort((a, b) => a - b);
  const out: number[] = [];
  for (let l = 0; l < numLayers; l += 2) out.push(l);
  out.push(numLayers);
  return out;
}

/** True positives, false positives and false negatives with the ratios (an undefined ratio counts as 0). */
export interface ScoreCounts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TaskScores {
  micro: ScoreCounts;
  /** Mean of the per-type F1 (and P, R) over the types in the schema. */
  macro: { precision: number; recall: number; f1: number };
  perType: ({ type: string } & ScoreCounts)[];
}

/** The CoNLL04 literature's scores: NER strict (span and type), RE (argument spans and relation type), RE+ (argument types too). */
export interface EntityMetrics {
  sentences: number;
  ner: TaskScores;
  re: TaskScores;
  rePlus: TaskScores;
}

export interface EntityLearningRateSummary {
  learningRate: number;
  bestEpoch: number;
  bestDevF1: number;
}

export interface EntityRunInfo
  extends RunCommon<'entities', EntityTrainConfig, { train: number; validation: number; test: number }, { learningRateIndex: number; step: number; savedAt: string }> {
  schema: EntitySchema;
  model: { name: string; path: string; hash: string; modelType: string; source?: ModelSourceRef };
  /** The learning rate and epoch kept (best dev score). */
  best: { learningRate: number; epoch: number; devF1: number } | null;
  perLearningRate: EntityLearningRateSummary[];
  dev: EntityMetrics | null;
  test: EntityMetrics | null;
  /** Sentences whose words did not all fit in maxLength subwords (their last words were scored as missed). */
  truncatedSentences: number;
}

export interface EntityStepPoint {
  learningRateIndex: number;
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
}

export interface EntityEpochPoint {
  learningRateIndex: number;
  epoch: number;
  trainLoss: number;
  devLoss: number;
  nerF1: number;
  reF1: number;
  rePlusF1: number;
  seconds: number;
}

export interface EntityRunDetail extends EntityRunInfo {
  curves: { steps: EntityStepPoint[]; epochs: EntityEpochPoint[] };
}

export type EntityProgress = ({ runId: number; kind: 'step' } & EntityStepPoint) | ({ runId: number; kind: 'epoch' } & EntityEpochPoint);

export interface EntityTrainResult {
  runId: number;
  best: EntityRunInfo['best'];
  dev: EntityMetrics | null;
  test: EntityMetrics | null;
  seconds: number;
}

/** An extraction run: a finished entities run applied to the documents of a corpus. */
export interface ExtractConfig {
  /** The finished entities run whose extractor is applied. */
  runId: number;
  corpusId: number;
  split: SplitName | null;
  batchSize: number;
  name: string;
}

export interface ExtractRunInfo extends RunCommon<'extract', ExtractConfig, { documents: number }, { step: number; savedAt: string }> {
  source: { runId: number; name: string; schema: EntitySchema };
  /** Once done: how many sentences, entities and relations were found. */
  found: { sentences: number; entities: number; relations: number } | null;
}

export interface ExtractResult {
  runId: number;
  documents: number;
  entities: number;
  relations: number;
  seconds: number;
}

/** An entity with its character offsets in the document's text and (predicted) its probability. */
export interface FoundEntity extends EntitySpan {
  /** [start, end) in UTF-16 units of the document's text. */
  charStart: number;
  charEnd: number;
  text: string;
  score?: number;
}

export interface FoundRelation extends RelationTriple {
  score?: number;
}

/** One sentence of a document as the viewer shows it: words with offsets, gold and predicted annotations. */
export interface SentenceView {
  documentId: number;
  /** Sentence index in the document (annotated corpora: always 0, a document is one sentence). */
  sentence: number;
  text: string;
  words: string[];
  offsets: [number, number][];
  gold: { entities: FoundEntity[]; relations: FoundRelation[] } | null;
  predicted: { entities: FoundEntity[]; relations: FoundRelation[] } | null;
}

/** A sentence's table as the model fills it: per-word entity-tag and per-cell relation probabilities. */
export interface TableView {
  words: string[];
  entityLabels: string[];
  relationLabels: string[];
  /** [n × |E|] row-major. */
  entityProbs: number[];
  /** [n × n × |R|] row-major; cells with i >= j are 0. */
  relationProbs: number[];
  /** Gold labels where the sentence is annotated: [n] tag index, [n × n] cell index (−1 unscored). */
  gold: { entity: number[]; relation: number[] } | null;
  /** Words past the run's maxLength subwords, not in the table (0 for most sentences). */
  wordsCut: number;
}

export interface AnnotationImportReport {
  corpusId: number;
  name: string;
  format: AnnotationFormat;
  sentences: number;
  entities: number;
  relations: number;
  schema: EntitySchema;
  splits: Record<SplitName, number>;
  seconds: number;
}

export interface MentionRow {
  text: string;
  type: string;
  count: number;
  documents: number;
  /** A document it occurs in, to click through to. */
  documentId: number;
}

export interface RelationRow {
  head: string;
  headType: string;
  type: string;
  tail: string;
  tailType: string;
  count: number;
  documentId: number;
}

const loraSchema = z.object({
  rank: z.number().int().min(1).max(1024),
  alpha: z.number().positive().max(100_000),
  dropout: z.number().min(0).max(0.99),
  targets: z.array(z.enum(loraTargetNames)).min(1),
});

/** An entities config's fields, each with its default (the sweep below shares them). */
const entityTrainFields = z.object({
  corpusId: id,
  modelPath: path,
  head: z.enum(entityHeads).default(entityTrainDefaults.head),
  cnn: z
    .object({
      layers: z.number().int().min(1).max(16),
      channels: z.number().int().min(1).max(4096),
      // Odd sizes: 'same' padding keeps the table n × n.
      kernel: z.tuple([z.number().int().min(1).max(15).refine((k) => k % 2 === 1, 'an odd size'), z.number().int().min(1).max(15).refine((k) => k % 2 === 1, 'an odd size')]),
      activation: z.enum(cnnActivations),
      dropout: z.number().min(0).max(0.99),
    })
    .partial()
    .default({}),
  biaffine: z.object({ hidden: z.number().int().min(1).max(4096), dropout: z.number().min(0).max(0.99) }).partial().default({}),
  layer: z.number().int().min(0).max(1000).nullable().default(entityTrainDefaults.layer),
  encoder: z.enum(encoderModes).default(entityTrainDefaults.encoder),
  lora: loraSchema.partial().default({}),
  learningRates: z.array(z.number().positive().max(1)).min(1).max(20).optional(),
  headLearningRate: z.number().positive().max(1).default(entityTrainDefaults.headLearningRate),
  epochs: z.number().int().min(1).max(1000).default(entityTrainDefaults.epochs),
  batchSize: z.number().int().min(1).max(4096).default(entityTrainDefaults.batchSize),
  maxLength: z.number().int().min(4).max(100_000).default(entityTrainDefaults.maxLength),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(entityTrainDefaults.seed),
  weightDecay: z.number().min(0).max(1).default(entityTrainDefaults.weightDecay),
  warmupRatio: z.number().min(0).max(1).default(entityTrainDefaults.warmupRatio),
  maxGradNorm: z.number().positive().default(entityTrainDefaults.maxGradNorm),
  checkpointEvery: z.number().int().min(1).default(entityTrainDefaults.checkpointEvery),
  name: z.string().max(200).default(''),
});

export const entityTrainConfigSchema = entityTrainFields
  .strict()
  .transform(
    (c): EntityTrainConfig => ({
      ...c,
      cnn: { ...entityTrainDefaults.cnn, ...c.cnn },
      biaffine: { ...entityTrainDefaults.biaffine, ...c.biaffine },
      lora: { ...entityTrainDefaults.lora, ...c.lora },
      learningRates: c.learningRates ?? (c.encoder === 'frozen' ? entityTrainDefaults.learningRatesFrozen : entityTrainDefaults.learningRatesTrained),
    }),
  );

export const layerSweepConfigSchema = entityTrainFields
  .omit({ head: true, encoder: true, layer: true, learningRates: true })
  .extend({
    heads: z.array(z.enum(entityHeads)).min(1).max(2).default(['biaffine', 'cnn']),
    encoders: z.array(z.enum(encoderModes)).min(1).max(3).default(['frozen', 'full']),
    layers: z.array(z.number().int().min(0).max(1000)).min(1).max(100).nullable().default(null),
    learningRatesFrozen: z.array(z.number().positive().max(1)).min(1).max(20).default(entityTrainDefaults.learningRatesFrozen),
    learningRatesTrained: z.array(z.number().positive().max(1)).min(1).max(20).default(entityTrainDefaults.learningRatesTrained),
  })
  .strict()
  .transform((c): LayerSweepConfig => {
    const { corpusId, modelPath, heads, encoders, layers, learningRatesFrozen, learningRatesTrained, name, ...rest } = c;
    return {
      corpusId,
      modelPath,
      heads,
      encoders,
      layers,
      learningRatesFrozen,
      learningRatesTrained,
      name,
      train: { ...rest, cnn: { ...entityTrainDefaults.cnn, ...rest.cnn }, biaffine: { ...entityTrainDefaults.biaffine, ...rest.biaffine }, lora: { ...entityTrainDefaults.lora, ...rest.lora } },
    };
  });

/** The entities config of one point of a sweep. */
export function sweepPointConfig(sweep: LayerSweepConfig, point: { head: EntityHead; encoder: EncoderMode; layer: number }): EntityTrainConfig {
  const headName = point.head === 'cnn' ? 'TabERT-CNN' : 'TabERT';
  return {
    ...sweep.train,
    corpusId: sweep.corpusId,
    modelPath: sweep.modelPath,
    head: point.head,
    encoder: point.encoder,
    layer: point.layer,
    learningRates: point.encoder === 'frozen' ? sweep.learningRatesFrozen : sweep.learningRatesTrained,
    name: `${sweep.name} · ${headName} · ${point.encoder} · layer ${point.layer}`,
  };
}

export const extractConfigSchema = z
  .object({
    runId: id,
    corpusId: id,
    split: z.enum(['train', 'dev', 'test']).nullable().default(null),
    batchSize: z.number().int().min(1).max(4096).default(16),
    name: z.string().max(200).default(''),
  })
  .strict();

export const entities = section({
  methods: {
    /** Reads annotation files (every file is checked before anything is written) into a new corpus, one document per sentence; the split is taken from each file's name (train/dev/test) or `split`. */
    'entities.import': method<AnnotationImportReport>()(
      z.object({
        paths: z.array(path).min(1).max(10_000),
        format: z.enum(annotationFormats),
        name: z.string().min(1).max(200),
        split: z.enum(['train', 'dev', 'test']).nullable().default(null),
      }),
    ),
    /** The entity and relation types of an annotated corpus with their counts; null when the corpus has no annotations. */
    'entities.schema': method<{ schema: EntitySchema; entities: Record<string, number>; relations: Record<string, number>; sentences: number } | null>()(z.object({ corpusId: id })),
    /** A document's sentences with gold annotations (annotated corpora) and a run's predictions (an entities run scores it; an extract run's stored result). */
    'entities.sentences': method<SentenceView[]>()(z.object({ documentId: id, runId: id.nullable().default(null) })),
    /** A sentence's table filled by an entities run (computed on demand), with the gold table where annotated. */
    'entities.table': method<TableView>()(z.object({ runId: id, documentId: id, sentence: z.number().int().min(0).default(0) })),
    'entities.start': method<{ jobId: string; runId: number }>()(entityTrainConfigSchema),
    /** A layer sweep: one job training an entities run per (encoder, layer, head), resumable from the points done. */
    'entities.layerSweep': method<{ jobId: string; runId: number }>()(layerSweepConfigSchema),
    'entities.extract': method<{ jobId: string; runId: number }>()(extractConfigSchema),
    /** An extract run's entity mentions grouped by text and type, most frequent first. */
    'entities.mentions': method<{ total: number; rows: MentionRow[] }>()(z.object({ runId: id, type: z.string().nullable().default(null), offset: z.number().int().nonnegative().default(0), limit: limit.default(100) })),
    /** An extract run's relations grouped by (head, type, tail), most frequent first. */
    'entities.relations': method<{ total: number; rows: RelationRow[] }>()(z.object({ runId: id, type: z.string().nullable().default(null), offset: z.number().int().nonnegative().default(0), limit: limit.default(100) })),
    /** Writes an extract run's (or an entities run's test predictions') entities and relations as CSV (two files) or JSONL (one sentence per line). */
    'entities.export': method<{ files: string[] }>()(z.object({ runId: id, format: z.enum(['csv', 'jsonl']), outPath: path })),
  },
  events: { 'entities.progress': event<EntityProgress>() },
  jobs: { entities: job<EntityTrainResult>(), extract: job<ExtractResult>(), layerSweep: job<LayerSweepResult>() },
  runs: { entities: run<EntityRunInfo, EntityRunDetail>(), extract: run<ExtractRunInfo>(), layerSweep: run<LayerSweepRunInfo>() },
});

