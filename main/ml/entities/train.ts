// Training and applying a table-filling extractor (Ma, Hiraoka & Okazaki 2022): the encoder
// (frozen, fully trained, or with LoRA adapters) and a TabERT / TabERT-CNN head trained with the
// shared learning-rate sweep (train/sweep.ts), the best epoch chosen by the dev score (the mean of
// NER and RE+ micro F1 as the CoNLL04 literature scores them), and sentences decoded from the
// table's probabilities. A frozen encoder's word vectors are computed once (in eval mode, as the
// study's frozen runs) and only the head trains on them.
import * as tf from '@tensorflow/tfjs-core';
import type { EntityTrainConfig } from '../../../common/contract';
import { entityTagLabels } from '../../../common/bilou';
import type { EntitySchema, EntitySpan, RelationTriple } from '../../../common/entities';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32 } from '../../../common/random';
import type { Dropout, EncoderModel } from '../models/encoder';
import { headOfKey } from '../models/keys';
import { readF32, readScalar, readTidy } from '../read';
import type { Tokenizer } from '../tokenizers/types';
import { attachLora, trainableValue } from '../train/lora';
import { Sweep, sweepStream, type SweepCheckpoint, type SweepEvent, type SweepOutcome } from '../train/sweep';
import { Trainer } from '../train/trainer';
import { decodeTable } from './decode';
import { goldTable, relationCellLabels, type TableLabels } from './labels';
import { entityMetrics } from './metrics';
import { TableFiller, TableHead, tableLossTerms, type TableHeadConfig } from './tableFiller';
import { encodeWords, wordBatch, type EncodedWords, type WordBatch } from './words';

/** A sentence as training reads it. */
export interface TrainSentence {
  words: string[];
  entities: EntitySpan[];
  relations: RelationTriple[];
}

/** A sentence's decoded prediction with probabilities. */
export interface Predicted {
  entities: (EntitySpan & { score: number })[];
  relations: (RelationTriple & { score: number })[];
}

/** Per-word entity-tag and per-cell relation probabilities of one sentence's kept words ([n × |E|], [n × n × |R|]). */
export interface TableProbabilities {
  entityProbs: Float32Array;
  relationProbs: Float32Array;
}

/** The fields an epoch adds to the curve: the dev loss and the three F1 scores. */
export interface DevScores {
  devLoss: number;
  nerF1: number;
  reF1: number;
  rePlusF1: number;
}

export type EntityEvent = SweepEvent<DevScores>;

/** The head a config describes, in the table filler's terms. */
export function headConfigOf(config: Pick<EntityTrainConfig, 'head' | 'cnn' | 'biaffine'>): TableHeadConfig {
  return config.head === 'cnn'
    ? { kind: 'cnn', numLayers: config.cnn.layers, channels: config.cnn.channels, kernel: config.cnn.kernel, activation: config.cnn.activation, dropout: config.cnn.dropout }
    : { kind: 'biaffine', size: config.biaffine.hidden, dropout: config.biaffine.dropout };
}

/** The hidden state the table is built from: the config's layer, or the last. */
export function layerOf(config: Pick<EntityTrainConfig, 'layer'>, model: EncoderModel): number {
  const layer = config.layer ?? model.config.numLayers;
  if (layer < 0 || layer > model.config.numLayers) throw new RangeError(`layer ${layer} is outside 0…${model.config.numLayers}`);
  return layer;
}

/** Whether an encoder parameter is used below `layer` (embeddings always; layer i's parameters when i < layer). */
function usedBelow(key: string, layer: number): boolean {
  const m = /^layer\.(\d+)\./.exec(key);
  return m ? Number(m[1]) < layer : key.startsWith('embeddings.');
}

/** One sentence ready for the model: its encoding and gold table. */
interface Item {
  index: number;
  encoded: EncodedWords;
  labels: TableLabels;
}

/** The model pieces of an extractor: encoder (with adapters for LoRA), head and layer. */
export class Extractor {
  readonly filler: TableFiller;
  readonly entityLabels: string[];
  readonly relationLabels: string[];

  constructor(
    readonly model: EncoderModel,
    readonly head: TableHead,
    readonly schema: EntitySchema,
    readonly config: EntityTrainConfig,
    readonly tokenizer: Tokenizer,
  ) {
    this.filler = new TableFiller(model, head, layerOf(config, model));
    this.entityLabels = entityTagLabels(schema.entityTypes);
    this.relationLabels = relationCellLabels(schema.relationTypes);
  }

  /** A new head (seeded) and, for LoRA, new adapters on the model. */
  static create(model: EncoderModel, tokenizer: Tokenizer, schema: EntitySchema, config: EntityTrainConfig): Extractor {
    const E = entityTagLabels(schema.entityTypes).length;
    const R = relationCellLabels(schema.relationTypes).length;
    const head = TableHead.init(headConfigOf(config), model.config.hiddenSize, E, R, config.seed);
    if (config.encoder === 'lora') attachLora(model, config.lora, mulberry32(deriveSeed(config.seed, sweepStream.lora)));
    return new Extractor(model, head, schema, config, tokenizer);
  }

  /** A trained extractor from a run's kept values (head "table.*", LoRA adapters or encoder weights). */
  static restore(model: EncoderModel, tokenizer: Tokenizer, schema: EntitySchema, config: EntityTrainConfig, values: ReadonlyMap<string, Float32Array>, runId = 0): Extractor {
    const E = entityTagLabels(schema.entityTypes).length;
    const R = relationCellLabels(schema.relationTypes).length;
    const headValues = new Map([...values].filter(([k]) => k.startsWith('table.')));
    const head = TableHead.fromValues(headConfigOf(config), model.config.hiddenSize, E, R, headValues);
    try {
      if (config.encoder === 'lora') attachLora(model, config.lora, () => 0.5);
      for (const [key, data] of values) {
        if (key.startsWith('table.')) continue;
        const v = trainableValue(model, key);
        if (!v || v.size !== data.length) throw new ShirabeError('entitiesRunNotFitting', { id: runId, key, path: config.modelPath });
        tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
      }
      return new Extractor(model, head, schema, config, tokenizer);
    } catch (err) {
      head.dispose();
      throw err;
    }
  }

  /** The variables the config trains, by key: the head's, and the encoder's or its adapters' below the chosen layer. */
  trainable(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>(this.head.variables);
    const layer = this.filler.layer;
    if (this.config.encoder === 'full') {
      for (const [key, v] of this.model.parameters()) if (headOfKey(key) === null && usedBelow(key, layer)) out.set(key, v);
    } else if (this.config.encoder === 'lora') {
      for (const [key, { a, b }] of this.model.lora!.layers) {
        if (!usedBelow(`${key}.weight`, layer)) continue;
        out.set(`lora:${key}.a`, a);
        out.set(`lora:${key}.b`, b);
      }
    }
    return out;
  }

  /** The shape of a trainable value. */
  shapeOf(key: string): number[] {
    return (this.head.variables.get(key) ?? trainableValue(this.model, key))!.shape;
  }

  encode(words: readonly string[]): EncodedWords {
    return encodeWords(this.tokenizer, words, this.config.maxLength);
  }

  batch(encoded: readonly EncodedWords[]): WordBatch {
    return wordBatch(encoded, this.tokenizer.special.pad);
  }

  /**
   * Probabilities, decoded sentences and (with labels) the mean loss per sentence of sentences in
   * length-sorted batches; `words` gives cached word vectors (frozen encoder) by sentence index.
   */
  async predict(encoded: readonly EncodedWords[], options: { batchSize: number; labels?: readonly TableLabels[]; words?: (indices: number[], batch: WordBatch) => tf.Tensor3D; onBatch?: (done: number) => Promise<void> | void; keepTables?: boolean }): Promise<{ predicted: Predicted[]; tables: TableProbabilities[] | null; loss: number }> {
    const order = encoded.map((e, i) => [e.ids.length, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    const predicted = new Array<Predicted>(encoded.length);
    const tables = options.keepTables ? new Array<TableProbabilities>(encoded.length) : null;
    const E = this.entityLabels.length;
    const R = this.relationLabels.length;
    // The loss over the whole set as training defines it: the entity term's mean plus the relation term's mean.
    const terms = { entity: 0, relation: 0, entityCount: 0, relationCount: 0 };
    for (let s = 0; s < order.length; s += options.batchSize) {
      const idx = order.slice(s, s + options.batchSize);
      const batch = this.batch(idx.map((i) => encoded[i]));
      const n = batch.maxWords;
      const [entityT, relationT, entitySumT, relationSumT] = tf.tidy(() => {
        const logits = this.filler.logits(batch, { words: options.words?.(idx, batch) });
        const out: tf.Tensor[] = [tf.softmax(logits.entity), tf.softmax(logits.relation)];
        if (options.labels) {
          const t = tableLossTerms(logits, idx.map((i) => options.labels![i]), batch.numWords);
          terms.entityCount += t.entityCount;
          terms.relationCount += t.relationCount;
          out.push(t.entitySum, t.relationSum);
        }
        return out;
      });
      try {
        const entity = await readF32(entityT);
        const relation = await readF32(relationT);
        if (entitySumT) terms.entity += await readScalar(entitySumT);
        if (relationSumT) terms.relation += await readScalar(relationSumT);
        idx.forEach((i, b) => {
          const k = batch.numWords[b];
          const ep = new Float32Array(k * E);
          const rp = new Float32Array(k * k * R);
          for (let w = 0; w < k; w++) {
            ep.set(entity.subarray((b * n + w) * E, (b * n + w + 1) * E), w * E);
            for (let j = 0; j < k; j++) if (j > w) rp.set(relation.subarray(((b * n + w) * n + j) * R, ((b * n + w) * n + j + 1) * R), (w * k + j) * R);
          }
          const d = decodeTable(ep, rp, k, this.schema);
          predicted[i] = { entities: d.entities, relations: d.relations };
          if (tables) tables[i] = { entityProbs: ep, relationProbs: rp };
        });
      } finally {
        tf.dispose([entityT, relationT, ...(entitySumT ? [entitySumT, relationSumT] : [])]);
      }
      await options.onBatch?.(Math.min(order.length, s + options.batchSize));
    }
    const mean = (sum: number, count: number) => (count === 0 ? 0 : sum / count);
    return { predicted, tables, loss: mean(terms.entity, terms.entityCount) + mean(terms.relation, terms.relationCount) };
  }

  dispose(): void {
    this.head.dispose();
  }
}

/** Word vectors of each sentence ([kept words × H]), computed once without dropout: the frozen encoder's input to the head. */
async function cacheWords(ex: Extractor, items: readonly Item[], batchSize: number, tick?: () => Promise<void>): Promise<Float32Array[]> {
  const H = ex.model.config.hiddenSize;
  const out = new Array<Float32Array>(items.length);
  const order = items.map((it, i) => [it.encoded.ids.length, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  for (let s = 0; s < order.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    const batch = ex.batch(idx.map((i) => items[i].encoded));
    const data = await readTidy(() => ex.filler.words(batch));
    const n = batch.maxWords;
    idx.forEach((i, b) => (out[i] = data.slice(b * n * H, (b * n + batch.numWords[b]) * H)));
    await tick?.();
  }
  return out;
}

/** Cached word vectors of a batch as [B, n, H], zero past each sentence's words (as pooling gives padding words). */
function cachedBatch(cache: readonly Float32Array[], indices: readonly number[], batch: WordBatch, H: number): tf.Tensor3D {
  const n = batch.maxWords;
  const data = new Float32Array(indices.length * n * H);
  indices.forEach((i, b) => data.set(cache[i], b * n * H));
  return tf.tensor3d(data, [indices.length, n, H]);
}

export interface EntityTrainData {
  train: TrainSentence[];
  dev: TrainSentence[];
}

/** The sweep over an extractor: created (fresh or resumed), run, checkpointed, disposed. */
export class EntityTraining {
  private sweep!: Sweep<Item>;
  private trainer!: Trainer<readonly Item[]>;
  private train: Item[] = [];
  private dev: Item[] = [];
  private trainCache: Float32Array[] | null = null;
  private devCache: Float32Array[] | null = null;
  /** Sentences with words past maxLength (in train and dev). */
  truncated = 0;

  private constructor(
    readonly extractor: Extractor,
    private readonly data: EntityTrainData,
    /** Lets cancel in between batches of the long passes (caching, evaluation). */
    private readonly tick?: () => Promise<void>,
  ) {}

  static async create(extractor: Extractor, data: EntityTrainData, resume?: SweepCheckpoint, tick?: () => Promise<void>): Promise<EntityTraining> {
    const t = new EntityTraining(extractor, data, tick);
    try {
      await t.prepare(resume, tick);
      return t;
    } catch (err) {
      t.dispose();
      throw err;
    }
  }

  private async prepare(resume: SweepCheckpoint | undefined, tick?: () => Promise<void>): Promise<void> {
    const ex = this.extractor;
    const config = ex.config;
    if (this.data.train.length === 0 || this.data.dev.length === 0) throw new Error('entity training needs train and dev sentences');
    const toItems = async (list: readonly TrainSentence[]) => {
      const out: Item[] = [];
      for (let i = 0; i < list.length; i++) {
        const encoded = ex.encode(list[i].words);
        if (encoded.wordsKept < encoded.numWords) this.truncated++;
        out.push({ index: i, encoded, labels: goldTable({ ...list[i] }, ex.schema) });
        if (i % 256 === 255) await tick?.();
      }
      return out;
    };
    this.train = await toItems(this.data.train);
    this.dev = await toItems(this.data.dev);
    const H = ex.model.config.hiddenSize;
    if (config.encoder === 'frozen') {
      this.trainCache = await cacheWords(ex, this.train, config.batchSize, tick);
      this.devCache = await cacheWords(ex, this.dev, config.batchSize, tick);
    }
    const trainCache = this.trainCache;
    const headKeys = new Set(ex.head.variables.keys());
    this.trainer = new Trainer<readonly Item[]>(ex.trainable(), {
      weightDecay: config.weightDecay,
      maxGradNorm: config.maxGradNorm,
      loss: (items, dropout?: Dropout) => {
        const batch = ex.batch(items.map((it) => it.encoded));
        const words = trainCache ? cachedBatch(trainCache, items.map((it) => it.index), batch, H) : undefined;
        return ex.filler.loss(batch, items.map((it) => it.labels), { dropout, words });
      },
    });
    // With the encoder training, the head keeps its own rate on the same schedule.
    const rateScale = config.encoder === 'frozen' ? undefined : (li: number) => (key: string) => (headKeys.has(key) ? config.headLearningRate / config.learningRates[li] : 1);
    this.sweep = await Sweep.create(this.trainer, this.train, { ...config, gradientAccumulation: 1, rateScale }, resume);
  }

  get totalSteps(): number {
    return this.sweep.totalSteps;
  }

  checkpoint(): Promise<SweepCheckpoint> {
    return this.sweep.checkpoint();
  }

  /** The dev sentences predicted with the current weights, scored. */
  async evaluateDev(): Promise<{ predicted: Predicted[]; scores: DevScores }> {
    const ex = this.extractor;
    const H = ex.model.config.hiddenSize;
    const devCache = this.devCache;
    const { predicted, loss } = await ex.predict(
      this.dev.map((d) => d.encoded),
      { batchSize: Math.max(ex.config.batchSize, 16), labels: this.dev.map((d) => d.labels), words: devCache ? (idx, batch) => cachedBatch(devCache, idx, batch, H) : undefined, onBatch: () => this.tick?.() },
    );
    const m = entityMetrics(ex.schema, this.data.dev, predicted);
    return { predicted, scores: { devLoss: loss, nerF1: m.ner.micro.f1, reF1: m.re.micro.f1, rePlusF1: m.rePlus.micro.f1 } };
  }

  /** The sweep, yielding steps, epochs (with dev scores) and checkpoint moments; returns the kept values (loaded). */
  run(): AsyncGenerator<EntityEvent, SweepOutcome> {
    return this.sweep.run(async () => {
      const { scores } = await this.evaluateDev();
      // Lower is better for the sweep: the negated mean of NER and RE+ micro F1.
      return { loss: -(scores.nerF1 + scores.rePlusF1) / 2, fields: scores };
    });
  }

  dispose(): void {
    this.trainer?.dispose();
  }
}
