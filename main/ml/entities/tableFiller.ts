// Table filling for joint NER and relation extraction (Ma, Hiraoka & Okazaki 2022, "Named entity
// recognition and relation extraction using enhanced table filling by contextualized
// representations": TabERT bi-affine and TabERT-CNN) over word vectors max-pooled from a chosen
// encoder layer.
//  - bi-affine: Dozat & Manning (2017) style, h_i = ReLU(W_head e_i + b), h_j = ReLU(W_tail e_j + b),
//    s(i, j)_r = h_iᵀ U_r h_j + W_r [h_i; h_j] + b_r; the diagonal's entity tags from a linear layer
//    on e_i. The authors' TablERT code (github.com/YoumiMa/TablERT, table_filling/) differs: it
//    scores s_r(i, j) = (Q_r e_i + b)·(K_r e_j + b) (one query/key projection per label, i.e. a
//    low-rank bilinear form without the linear term, which this head contains as U_r = Q_rᵀK_r) and
//    tags entities left to right with the previous tag's embedding; the tags here are
//    non-autoregressive so the whole table is one forward pass;
//  - CNN: as the authors' TablERT-CNN code (github.com/YoumiMa/TablERT-CNN, src/models.py): cell
//    (i, j) = [e_i; e_j] through conv2d layers ('same' zero padding, here as shifted 2-D matMuls;
//    activation and dropout between), the last with |R| channels; entity tags of word i =
//    W_ent · out(i, i) + b_ent. Unlike that code, cells outside a sentence are zeroed after every
//    layer so that padding in a batch does not leak into a sentence's edge cells;
//  - loss: mean cross-entropy over real words' tags + mean cross-entropy over the upper-triangle
//    cells (i < j) of real words (means, so the two terms weigh alike whatever the sentence length
//    and batch size). The authors' code (TablERT-CNN src/loss.py) sums both terms over the batch
//    (its learning rates, 1e-3 head / 5e-5 BERT, assume that); reduction 'sum' gives that.
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mulberry32, normals } from '../../../common/random';
import type { Dropout, EncoderModel } from '../models/encoder';
import { drop } from '../models/blocks/dropout';
import { readMap } from '../read';
import type { TableLabels } from './labels';
import type { WordBatch } from './words';

export type TableActivation = 'gelu' | 'relu' | 'tanh';

export interface BiaffineConfig {
  kind: 'biaffine';
  /** Size of h_head / h_tail. 150 (below H, as Dozat & Manning's 100–500 arc/label MLPs): enough for a few dozen labels. */
  size: number;
  /** Dropout on e and on h in training (0.1, BERT's own hidden dropout). */
  dropout: number;
}

export interface CnnConfig {
  kind: 'cnn';
  // Defaults from the authors' TablERT-CNN code (github.com/YoumiMa/TablERT-CNN, src/models.py and
  // configs/train_conll04.conf): conv_layers = 2, encoder_hidden = 512, kernel_size = 3, ReLU,
  // prop_drop = 0.3 (on the [e_i; e_j] table, and channel-wise Dropout2d between conv layers).
  /** Conv layers, the last giving |R| channels (2, the paper's CoNLL04 setting; its code also has 3). */
  numLayers: number;
  /** Channels of the hidden layers (512, the paper's encoder_hidden). */
  channels: number;
  /** Kernel [d_h, d_w], odd (3 × 3, the paper's kernel_size 3: each cell sees its neighbouring rows and columns). */
  kernel: [number, number];
  /** Between layers (ReLU, as the paper's code). */
  activation: TableActivation;
  /** Dropout in training on the input table (elementwise) and between layers (whole channels, as torch's Dropout2d): 0.3, the paper's prop_drop. */
  dropout: number;
}

export type TableHeadConfig = BiaffineConfig | CnnConfig;

export const defaultBiaffine: BiaffineConfig = { kind: 'biaffine', size: 150, dropout: 0.1 };
export const defaultCnn: CnnConfig = { kind: 'cnn', numLayers: 2, channels: 512, kernel: [3, 3], activation: 'relu', dropout: 0.3 };

/** Shapes of each head parameter (Linear weights as [in, out], conv filters [d_h, d_w, in, out]). */
export function tableParamShapes(config: TableHeadConfig, hiddenSize: number, numEntityLabels: number, numRelationLabels: number): Map<string, number[]> {
  const H = hiddenSize;
  const E = numEntityLabels;
  const R = numRelationLabels;
  const out = new Map<string, number[]>();
  if (config.kind === 'biaffine') {
    const d = config.size;
    out.set('table.biaffine.head.weight', [H, d]);
    out.set('table.biaffine.head.bias', [d]);
    out.set('table.biaffine.tail.weight', [H, d]);
    out.set('table.biaffine.tail.bias', [d]);
    out.set('table.biaffine.bilinear', [d, R * d]); // U_r side by side: column r·d + k is U_r[:, k]
    out.set('table.biaffine.linearHead', [d, R]);
    out.set('table.biaffine.linearTail', [d, R]);
    out.set('table.biaffine.bias', [R]);
    out.set('table.entity.weight', [H, E]);
    out.set('table.entity.bias', [E]);
  } else {
    const [kh, kw] = config.kernel;
    for (let l = 0; l < config.numLayers; l++) {
      const cin = l === 0 ? 2 * H : config.channels;
      const cout = l === config.numLayers - 1 ? R : config.channels;
      out.set(`table.cnn.layer.${l}.weight`, [kh, kw, cin, cout]);
      out.set(`table.cnn.layer.${l}.bias`, [cout]);
    }
    out.set('table.entity.weight', [R, E]);
    out.set('table.entity.bias', [E]);
  }
  return out;
}

/** The head's parameters as variables (owned: dispose()). */
export class TableHead {
  readonly variables = new Map<string, tf.Variable>();

  private constructor(
    readonly config: TableHeadConfig,
    readonly hiddenSize: number,
    readonly numEntityLabels: number,
    readonly numRelationLabels: number,
  ) {}

  /** Weights ~ N(0, 0.02²) (BERT's initializer_range) from the seed, biases 0. */
  static init(config: TableHeadConfig, hiddenSize: number, numEntityLabels: number, numRelationLabels: number, seed: number): TableHead {
    const head = new TableHead(config, hiddenSize, numEntityLabels, numRelationLabels);
    const normal = normals(mulberry32(deriveSeed(seed, 0x7ab1e)));
    for (const [key, shape] of tableParamShapes(config, hiddenSize, numEntityLabels, numRelationLabels)) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      if (!key.endsWith('bias')) for (let i = 0; i < size; i++) values[i] = 0.02 * normal();
      head.variables.set(key, tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32'), true)));
    }
    return head;
  }

  /** A head with the given values (every key of the config's shapes, checked). */
  static fromValues(config: TableHeadConfig, hiddenSize: number, numEntityLabels: number, numRelationLabels: number, values: ReadonlyMap<string, Float32Array>): TableHead {
    const head = TableHead.init(config, hiddenSize, numEntityLabels, numRelationLabels, 0);
    try {
      head.load(values);
    } catch (e) {
      head.dispose();
      throw e;
    }
    return head;
  }

  /** Overwrites every parameter from values (same keys and sizes). */
  load(values: ReadonlyMap<string, Float32Array>): void {
    for (const [key, v] of this.variables) {
      const data = values.get(key);
      if (!data) throw new Error(`table head parameter ${key} is missing`);
      if (data.length !== v.size) throw new RangeError(`table head parameter ${key} has ${data.length} values, not ${v.size}`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
    }
  }

  /** Every parameter's values (async: readable on every backend). */
  read(): Promise<Map<string, Float32Array>> {
    return readMap(this.variables);
  }

  weight(key: string): tf.Tensor {
    const v = this.variables.get(key);
    if (!v) throw new Error(`table head parameter ${key} is not there`);
    return v;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}

/** Word vectors [B, n, H]: the max over each word's subwords of hidden state `layer` (0 = embeddings); padding words are 0. */
export function wordRepresentations(model: EncoderModel, batch: WordBatch, layer: number, dropout?: Dropout): tf.Tensor3D {
  return tf.tidy(() => {
    const [hidden] = model.forward(batch.encoder, { keep: [layer], dropout }); // [B, T, H]
    return poolWords(hidden, batch);
  });
}

/** Max-pools subword vectors [B, T, H] into word vectors [B, n, H] (gather + max: gradients on every backend). */
export function poolWords(hidden: tf.Tensor3D, batch: WordBatch): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, H] = hidden.shape;
    const n = batch.maxWords;
    const S = batch.maxSubwords;
    const rows = tf.concat([tf.reshape(hidden, [B * T, H]), tf.fill([1, H], -1e9)], 0); // [B·T + 1, H]
    const picked = tf.gather(rows, tf.tensor1d(batch.subwordIndex, 'int32')); // [B·n·S, H]
    const pooled = tf.max(tf.reshape(picked, [B * n, S, H]), 1); // [B·n, S, H] -> [B·n, H]
    const mask = tf.tensor2d(batch.wordMask, [B * n, 1]);
    return tf.reshape(tf.mul(pooled, mask), [B, n, H]) as tf.Tensor3D; // [B·n, H] -> [B, n, H]
  });
}

// A type (not an interface) so that tf.tidy may return it.
export type TableLogits = {
  /** [B, n, |E|] */
  entity: tf.Tensor3D;
  /** [B, n, n, |R|] (cell (i, j) at [b, i, j]). */
  relation: tf.Tensor4D;
};

function activate(x: tf.Tensor, a: TableActivation): tf.Tensor {
  if (a === 'relu') return tf.relu(x);
  if (a === 'tanh') return tf.tanh(x);
  // erf GELU as BERT's "gelu": x·Φ(x), Φ through erf.
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

function linear2d(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b) as tf.Tensor2D; // [N, in]·[in, out] -> [N, out]
}

/** The kernel's tap (dy, dx) as a [cin, cout] matrix. */
function tapOf(filter: tf.Tensor4D, dy: number, dx: number): tf.Tensor2D {
  const [, kw, cin, cout] = filter.shape;
  return tf.reshape(tf.slice(tf.reshape(filter, [-1, cin, cout]), [dy * kw + dx, 0, 0], [1, cin, cout]), [cin, cout]); // [kh·kw, cin, cout] -> [cin, cout]
}

/** The input seen by tap (dy, dx) of a 'same' convolution: x shifted by (dy − ph, dx − pw), zeros outside, as [B·h·w, c]. */
function shiftedRows(x: tf.Tensor4D, dy: number, dx: number, ph: number, pw: number): tf.Tensor2D {
  const [B, h, w, c] = x.shape;
  const padded = tf.pad(x, [[0, 0], [ph, ph], [pw, pw], [0, 0]]); // [B, h + 2ph, w + 2pw, c]
  return tf.reshape(tf.slice(padded, [0, dy, dx, 0], [B, h, w, c]), [B * h * w, c]); // [B, h, w, c] -> [B·h·w, c]
}

/**
 * Σ over taps of f(tap), each tap in its own tidy so that only the running sum outlives it: the
 * shifted copies of a table (the CNN head's n × n × 2H input) never exist all at once.
 */
function sumOverTaps(kh: number, kw: number, f: (dy: number, dx: number) => tf.Tensor): tf.Tensor {
  let sum: tf.Tensor | null = null;
  for (let dy = 0; dy < kh; dy++) {
    for (let dx = 0; dx < kw; dx++) {
      const prev: tf.Tensor | null = sum;
      sum = tf.tidy(() => (prev ? tf.add(prev, f(dy, dx)) : f(dy, dx)));
      prev?.dispose();
    }
  }
  return sum!;
}

/**
 * y = Σ_tap shift(x)·W_tap + b with its own gradient, recomputing each shifted input in the
 * backward pass instead of keeping nine copies of the table for it: dW_tap = shift(x)ᵀ·dy,
 * dx = Σ_tap unshift(dy·W_tapᵀ), db = Σ dy. The tape keeps x and the filter only.
 */
const convSameWithGrad = tf.customGrad(((x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, filter]);
  const [B, h, w, cin] = x.shape;
  const [kh, kw, , cout] = filter.shape;
  const ph = (kh - 1) / 2;
  const pw = (kw - 1) / 2;
  const value = tf.tidy(() => {
    const sum = sumOverTaps(kh, kw, (dy, dx) => tf.matMul(shiftedRows(x, dy, dx, ph, pw), tapOf(filter, dy, dx))); // [B·h·w, cin]·[cin, cout] -> [B·h·w, cout]
    return tf.reshape(tf.add(sum, bias), [B, h, w, cout]); // [B·h·w, cout] -> [B, h, w, cout]
  });
  return {
    value,
    gradFunc: (dy: tf.Tensor4D, [sx, sf]: tf.Tensor[]) =>
      tf.tidy(() => {
        const dyRows = tf.reshape(dy, [B * h * w, cout]) as tf.Tensor2D; // [B, h, w, cout] -> [B·h·w, cout]
        // The tap (dy, dx) read x at (i + dy − ph, j + dx − pw): its gradient goes back there, which is
        // the product dy·W_tapᵀ shifted the other way, i.e. read at offset (2ph − dy, 2pw − dx).
        const dxSum = sumOverTaps(kh, kw, (ty, tx) => {
          const back = tf.reshape(tf.matMul(dyRows, tf.transpose(tapOf(sf as tf.Tensor4D, ty, tx))), [B, h, w, cin]); // [B·h·w, cout]·[cout, cin] -> [B, h, w, cin]
          return shiftedRows(back as tf.Tensor4D, 2 * ph - ty, 2 * pw - tx, ph, pw);
        });
        const dfTaps: tf.Tensor[] = [];
        for (let ty = 0; ty < kh; ty++) {
          for (let tx = 0; tx < kw; tx++) {
            dfTaps.push(tf.tidy(() => tf.matMul(tf.transpose(shiftedRows(sx as tf.Tensor4D, ty, tx, ph, pw)), dyRows))); // [cin, B·h·w]·[B·h·w, cout] -> [cin, cout]
          }
        }
        const df = tf.reshape(tf.stack(dfTaps), [kh, kw, cin, cout]); // [kh·kw, cin, cout] -> [kh, kw, cin, cout]
        return [tf.reshape(dxSum, [B, h, w, cin]), df, tf.sum(dyRows, 0)];
      }),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D;

/**
 * tf.conv2d(x, filter, 1, 'same') + bias for odd kernels, as a sum over the kernel's offsets of
 * 2-D untransposed matMuls of the zero-padded, shifted input: tfjs-backend-wasm has no
 * Conv2DBackpropFilter kernel (the filters could not be trained there) and is fastest on plain 2-D
 * matMuls; every op used (pad, slice, reshape, matMul, add, transpose) runs on cpu, wasm and webgpu.
 * Memory: one shifted copy of the input at a time, in the forward and the backward pass (the
 * gradient is written out, see convSameWithGrad), so a training step holds a few tables, not nine.
 */
export function conv2dSame(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor): tf.Tensor4D {
  const [, , , cin] = x.shape;
  const [kh, kw, fin] = filter.shape;
  if (fin !== cin) throw new RangeError(`a ${fin}-channel filter for ${cin} channels`);
  if (kh % 2 === 0 || kw % 2 === 0) throw new RangeError(`'same' padding needs an odd kernel, not ${kh} × ${kw}`);
  return convSameWithGrad(x, filter, bias as tf.Tensor1D);
}

/** Entity and relation logits from word vectors [B, n, H] (from wordRepresentations, or cached ones when the encoder is frozen). */
export function tableLogits(head: TableHead, words: tf.Tensor3D, wordMask: Float32Array, dropout?: Dropout): TableLogits {
  return tf.tidy(() => {
    const [B, n, H] = words.shape;
    const R = head.numRelationLabels;
    const E = head.numEntityLabels;
    const c = head.config;
    const w = (k: string) => head.weight(k);
    const maybe = <T extends tf.Tensor>(t: T, rate: number) => (dropout ? drop(t, rate, dropout) : t);
    const mask = tf.tensor3d(wordMask, [B, n, 1]);
    if (c.kind === 'biaffine') {
      const e = maybe(tf.reshape(words, [B * n, H]) as tf.Tensor2D, c.dropout); // [B, n, H] -> [B·n, H]
      const d = c.size;
      const hHead = maybe(tf.relu(linear2d(e, w('table.biaffine.head.weight'), w('table.biaffine.head.bias'))), c.dropout); // [B·n, d]
      const hTail = maybe(tf.relu(linear2d(e, w('table.biaffine.tail.weight'), w('table.biaffine.tail.bias'))), c.dropout); // [B·n, d]
      const left = tf.reshape(tf.matMul(hHead, w('table.biaffine.bilinear') as tf.Tensor2D), [B, n * R, d]); // [B·n, d]·[d, R·d] -> [B, n·R, d]
      const tailT = tf.transpose(tf.reshape(hTail, [B, n, d]), [0, 2, 1]); // [B, d, n]
      const bilinear = tf.transpose(tf.reshape(tf.matMul(left, tailT), [B, n, R, n]), [0, 1, 3, 2]); // [B, n·R, n] -> [B, n(i), n(j), R]
      const fromHead = tf.reshape(tf.matMul(hHead, w('table.biaffine.linearHead') as tf.Tensor2D), [B, n, 1, R]); // [B·n, R] -> [B, n, 1, R]
      const fromTail = tf.reshape(tf.matMul(hTail, w('table.biaffine.linearTail') as tf.Tensor2D), [B, 1, n, R]); // [B·n, R] -> [B, 1, n, R]
      const relation = tf.add(tf.add(tf.add(bilinear, fromHead), fromTail), w('table.biaffine.bias')) as tf.Tensor4D;
      const entity = tf.reshape(linear2d(e, w('table.entity.weight'), w('table.entity.bias')), [B, n, E]) as tf.Tensor3D; // [B·n, E] -> [B, n, E]
      return { entity, relation };
    }
    // Cells outside the sentence are zeroed after every layer, so 'same' padding at the sentence's
    // edge sees zeros as it would with the sentence alone: a padded batch gives the same logits.
    const cellMask = tf.reshape(tf.mul(tf.reshape(mask, [B, n, 1, 1]), tf.reshape(mask, [B, 1, n, 1])), [B, n, n, 1]); // [B, n, n, 1]
    const rowsE = tf.tile(tf.reshape(words, [B, n, 1, H]), [1, 1, n, 1]); // e_i: [B, n, n, H]
    const colsE = tf.tile(tf.reshape(words, [B, 1, n, H]), [1, n, 1, 1]); // e_j: [B, n, n, H]
    let x = maybe(tf.mul(tf.concat([rowsE, colsE], 3), cellMask) as tf.Tensor4D, c.dropout); // [B, n, n, 2H]
    for (let l = 0; l < c.numLayers; l++) {
      x = conv2dSame(x, w(`table.cnn.layer.${l}.weight`) as tf.Tensor4D, w(`table.cnn.layer.${l}.bias`)); // [B, n, n, C]
      if (l < c.numLayers - 1) {
        x = activate(x, c.activation) as tf.Tensor4D;
        // Whole channels of a sentence's table dropped, as torch's Dropout2d in the paper's code.
        if (dropout && c.dropout > 0) x = tf.dropout(x, c.dropout, [B, 1, 1, x.shape[3]], dropout.seed()) as tf.Tensor4D;
      }
      x = tf.mul(x, cellMask) as tf.Tensor4D;
    }
    const diagonal = new Int32Array(B * n);
    for (let b = 0; b < B; b++) for (let i = 0; i < n; i++) diagonal[b * n + i] = (b * n + i) * n + i;
    const diag = tf.gather(tf.reshape(x, [B * n * n, R]), tf.tensor1d(diagonal, 'int32')) as tf.Tensor2D; // [B·n·n, R] -> [B·n, R]
    const entity = tf.reshape(linear2d(diag, w('table.entity.weight'), w('table.entity.bias')), [B, n, E]) as tf.Tensor3D; // [B·n, E] -> [B, n, E]
    return { entity, relation: x };
  });
}

/** 'mean': each term averaged over its words / cells; 'sum': summed over the batch (the authors' code). */
export type TableLossReduction = 'mean' | 'sum';

/** Targets of a batch as one-hot rows (all 0 where not scored), with the counts the means divide by. */
export function tableTargets(labels: readonly TableLabels[], numWords: readonly number[], n: number, numEntityLabels: number, numRelationLabels: number): { entity: Float32Array; relation: Float32Array; entityCount: number; relationCount: number } {
  const B = labels.length;
  if (numWords.length !== B) throw new RangeError(`${B} label tables for ${numWords.length} sentences`);
  const E = numEntityLabels;
  const R = numRelationLabels;
  const entity = new Float32Array(B * n * E);
  const relation = new Float32Array(B * n * n * R);
  let entityCount = 0;
  let relationCount = 0;
  labels.forEach((l, b) => {
    const m = l.entity.length;
    const kept = Math.min(m, numWords[b], n);
    for (let i = 0; i < kept; i++) {
      const t = l.entity[i];
      if (t < 0 || t >= E) throw new RangeError(`entity label ${t} outside 0…${E - 1}`);
      entity[(b * n + i) * E + t] = 1;
      entityCount++;
      for (let j = i + 1; j < kept; j++) {
        const r = l.relation[i * m + j];
        if (r < 0) continue;
        if (r >= R) throw new RangeError(`relation label ${r} outside 0…${R - 1}`);
        relation[((b * n + i) * n + j) * R + r] = 1;
        relationCount++;
      }
    }
  });
  return { entity, relation, entityCount, relationCount };
}

/**
 * Mean cross-entropy of the entity tags of real words plus mean cross-entropy of the relation
 * labels of the upper-triangle cells (i < j) of real words. Labels are each sentence's full gold
 * table; `numWords` are the words the batch kept of each (WordBatch.numWords): those that
 * truncation cut are not scored.
 */
export function tableLoss(logits: TableLogits, labels: readonly TableLabels[], numWords: readonly number[], reduction: TableLossReduction = 'mean'): tf.Scalar {
  return tf.tidy(() => {
    const t = tableLossTerms(logits, labels, numWords);
    const term = (sum: tf.Scalar, count: number) => (count === 0 ? tf.scalar(0) : reduction === 'mean' ? tf.div(sum, count) : sum);
    return tf.add(term(t.entitySum, t.entityCount), term(t.relationSum, t.relationCount)) as tf.Scalar;
  });
}

/** The two cross-entropy terms summed over their words and cells, with the counts (means over a whole set are sums over counts). */
export function tableLossTerms(logits: TableLogits, labels: readonly TableLabels[], numWords: readonly number[]): { entitySum: tf.Scalar; relationSum: tf.Scalar; entityCount: number; relationCount: number } {
  const [B, n, E] = logits.entity.shape;
  const R = logits.relation.shape[3];
  const t = tableTargets(labels, numWords, n, E, R);
  const sum = (x: tf.Tensor, target: Float32Array, rows: number, k: number) =>
    tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(tf.reshape(x, [rows, k]) as tf.Tensor2D), tf.tensor2d(target, [rows, k])))) as tf.Scalar); // [rows, k]
  return { entitySum: sum(logits.entity, t.entity, B * n, E), relationSum: sum(logits.relation, t.relation, B * n * n, R), entityCount: t.entityCount, relationCount: t.relationCount };
}

/** The whole model: encoder layer → word vectors → head. */
export class TableFiller {
  constructor(
    readonly model: EncoderModel,
    readonly head: TableHead,
    /** Hidden state index: 0 = embeddings … L = last layer. */
    readonly layer: number,
  ) {}

  /** Word vectors [B, n, H] (call outside a gradient tape and keep them to train the head on a frozen encoder). */
  words(batch: WordBatch, dropout?: Dropout): tf.Tensor3D {
    return wordRepresentations(this.model, batch, this.layer, dropout);
  }

  /** Logits, from cached word vectors when given (frozen encoder), else through the encoder. */
  logits(batch: WordBatch, options: { dropout?: Dropout; words?: tf.Tensor3D } = {}): TableLogits {
    return tf.tidy(() => tableLogits(this.head, options.words ?? this.words(batch, options.dropout), batch.wordMask, options.dropout));
  }

  loss(batch: WordBatch, labels: readonly TableLabels[], options: { dropout?: Dropout; words?: tf.Tensor3D; reduction?: TableLossReduction } = {}): tf.Scalar {
    return tf.tidy(() => tableLoss(this.logits(batch, options), labels, batch.numWords, options.reduction));
  }
}
