// The Transformer encoder shared by BERT, RoBERTa, XLM-R and DistilBERT (Vaswani et al. 2017;
// post-LayerNorm as in Devlin et al. 2019), written in @tensorflow/tfjs-core ops only so every
// backend runs the same graph. Matrix products are kept 2-D and untransposed ([N, in]·[in, out]):
// Linear weights are transposed once at load, because tfjs-backend-wasm only reaches XNNPACK's
// fast kernel for that form (a transposed or batched matMul falls back to a plain loop).
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderConfig, HiddenAct } from './config';
import type { LoadedParam } from './load';
import type { Architecture, ClassifierStyle } from './spec';

export interface EncoderBatch {
  /** [B·T] row-major token ids, attention mask (1 = token, 0 = padding) and token types. */
  ids: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds?: Int32Array;
  batchSize: number;
  length: number;
}

export interface ForwardOptions {
  /** Which hidden states to return: 0 = embeddings output, i = after layer i (default: all). */
  keep?: number[];
  /** Training mode: dropout with masks seeded from this stream. */
  dropout?: Dropout;
}

/** Positions per token: 0… for BERT; padding_idx+1… over non-padding tokens for RoBERTa. */
export function positionIds(config: EncoderConfig, batch: EncoderBatch): Int32Array {
  const { batchSize: B, length: T } = batch;
  const out = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    let seen = 0;
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      if (config.positionsSkipPadding) {
        // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad.
        const real = batch.ids[i] !== config.padTokenId ? 1 : 0;
        seen += real;
        out[i] = seen * real + config.padTokenId;
      } else {
        out[i] = t + config.positionOffset;
      }
    }
  }
  return out;
}

function activation(x: tf.Tensor, kind: HiddenAct): tf.Tensor {
  switch (kind) {
    case 'gelu':
      // Exact GELU: x·Φ(x) = ½x(1 + erf(x/√2)).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      // ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    case 'relu':
      return tf.relu(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'tanh':
      return tf.tanh(x);
  }
}

/** Where dropout draws its masks in training: one seed per call, so a step is reproducible. */
export interface Dropout {
  seed(): number;
}

/** A LoRA adapter on one Linear (Hu et al. 2021): W·x + (α/r)·B·A·dropout(x), A [in, r] and B [r, out] here. */
export interface LoraLayer {
  a: tf.Variable;
  b: tf.Variable;
}

export interface LoraAttachment {
  /** Linear keys ("layer.3.query") to their adapters. */
  layers: Map<string, LoraLayer>;
  /** α / r */
  scale: number;
  dropout: number;
}

export class EncoderModel {
  private readonly weights = new Map<string, tf.Variable>();
  /** Keys of torch Linear weights, stored here transposed ([in, out]). */
  readonly linearKeys: ReadonlySet<string>;
  heads: { pooler: boolean; mlm: boolean; classifier: boolean };
  readonly classifierStyle: ClassifierStyle;
  /** The masked-LM decoder is the word-embedding matrix (training updates both as one). */
  readonly tiedDecoder: boolean;
  lora: LoraAttachment | null = null;

  constructor(
    readonly config: EncoderConfig,
    readonly arch: Architecture,
    params: ReadonlyMap<string, LoadedParam>,
  ) {
    this.classifierStyle = arch.classifier;
    const linear = new Set(arch.params(config).filter((s) => s.linear).map((s) => s.key));
    this.linearKeys = linear;
    // transformers ties the masked-LM decoder to the word embeddings unless the config says not to
    // (tie_word_embeddings defaults to true), whatever tensor the checkpoint carries for it.
    this.tiedDecoder = config.raw.tie_word_embeddings !== false;
    tf.tidy(() => {
      for (const [key, p] of params) this.set(key, tf.tensor(p.data, p.shape, 'float32'));
      const own = this.weights.get('mlm.decoder.weight');
      if (own) {
        this.weights.delete('mlm.decoder.weight');
        // An untied decoder is kept as [H, V] for hidden·W; a tied one is the word embeddings themselves.
        if (!this.tiedDecoder) this.weights.set('mlm.decoder.weightT', tf.variable(tf.transpose(own), false));
        own.dispose();
      } else if (!this.tiedDecoder && this.weights.has('mlm.bias')) {
        this.weights.set('mlm.decoder.weightT', tf.variable(tf.transpose(this.w('embeddings.word')), false));
      }
    });
    this.heads = this.presentHeads();
  }

  private presentHeads(): EncoderModel['heads'] {
    return { pooler: this.weights.has('pooler.weight'), mlm: this.weights.has('mlm.bias'), classifier: this.weights.has('classifier.weight') };
  }

  /** Stores a parameter given in the checkpoint's layout (torch [out, in] for Linear weights). */
  private set(key: string, t: tf.Tensor): void {
    this.weights.get(key)?.dispose();
    this.weights.set(key, tf.variable(this.linearKeys.has(key) ? tf.transpose(t) : t, false));
  }

  private w(key: string): tf.Tensor {
    const t = this.weights.get(key);
    if (!t) throw new Error(`parameter ${key} is not loaded`);
    return t;
  }

  /** Every parameter by key (Linear weights as [in, out]); the model keeps ownership. */
  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.weights;
  }

  /** A parameter in the checkpoint's layout (torch [out, in] for Linear weights), as plain data. */
  exportParam(key: string): LoadedParam {
    const v = this.w(key);
    return tf.tidy(() => {
      const t = this.linearKeys.has(key) ? tf.transpose(v) : v;
      return { shape: t.shape, data: t.dataSync() as Float32Array };
    });
  }

  /**
   * Creates the parameters of a head group the checkpoint lacked (a new classifier, or BERT's
   * pooler under it), as transformers' _init_weights does: Linear weights ~ N(0, initializer_range),
   * biases 0, LayerNorm 1/0. `normal` draws standard normals (seeded by the caller).
   */
  initHead(group: 'pooler' | 'classifier' | 'mlm' | 'nsp', normal: () => number): string[] {
    const created: string[] = [];
    for (const spec of this.arch.params(this.config).filter((s) => s.group === group)) {
      if (this.weights.has(spec.key) || spec.optional) continue;
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (spec.linear) for (let i = 0; i < size; i++) data[i] = normal() * this.config.initializerRange;
      else if (/norm\.weight$/i.test(spec.key)) data.fill(1);
      tf.tidy(() => this.set(spec.key, tf.tensor(data, spec.shape, 'float32')));
      created.push(spec.key);
    }
    this.heads = this.presentHeads();
    return created;
  }

  /** Replaces a parameter's values (given in the checkpoint's layout), e.g. from a training checkpoint. */
  assignParam(key: string, p: LoadedParam): void {
    const v = this.weights.get(key);
    if (!v) {
      tf.tidy(() => this.set(key, tf.tensor(p.data, p.shape, 'float32')));
      this.heads = this.presentHeads();
      return;
    }
    tf.tidy(() => {
      const t = tf.tensor(p.data, p.shape, 'float32');
      v.assign(this.linearKeys.has(key) ? tf.transpose(t) : t);
    });
  }

  /** [N, in] -> [N, out], with the LoRA update when an adapter sits on this Linear. */
  private dense(x: tf.Tensor2D, key: string, dropout?: Dropout): tf.Tensor2D {
    const y = tf.add(tf.matMul(x, this.w(`${key}.weight`) as tf.Tensor2D), this.w(`${key}.bias`)) as tf.Tensor2D;
    const adapter = this.lora?.layers.get(key);
    if (!adapter) return y;
    const input = dropout ? drop(x, this.lora!.dropout, dropout) : x;
    const update = tf.matMul(tf.matMul(input, adapter.a as tf.Tensor2D), adapter.b as tf.Tensor2D); // [N, in]·[in, r]·[r, out]
    return tf.add(y, tf.mul(update, this.lora!.scale));
  }

  private norm(x: tf.Tensor2D, key: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.w(`${key}.weight`)), this.w(`${key}.bias`));
  }

  /**
   * Hidden states [B, T, H] after the embeddings (index 0) and after each layer (1…L); only
   * those in `keep` are returned, in `keep`'s order. With `dropout`
   * the model runs in training mode (dropout as the config's rates say).
   */
  forward(batch: EncoderBatch, options: ForwardOptions = {}): tf.Tensor3D[] {
    const c = this.config;
    const { batchSize: B, length: T } = batch;
    const H = c.hiddenSize;
    const nh = c.numHeads;
    const hs = H / nh;
    const keep = options.keep ?? Array.from({ length: c.numLayers + 1 }, (_, i) => i);
    const d = options.dropout;
    const hidden = (x: tf.Tensor2D) => (d ? drop(x, c.dropout.hidden, d) : x);
    for (const k of keep) if (!Number.isInteger(k) || k < 0 || k > c.numLayers) throw new RangeError(`layer ${k} is outside 0…${c.numLayers}`);
    if (T > c.maxPositions - c.positionOffset) throw new RangeError(`sequence length ${T} exceeds the model's ${c.maxPositions - c.positionOffset} positions`);
    // Returned from tidy (not tf.keep'd), so an enclosing tidy or gradient tape still owns them.
    return tf.tidy(() => {
      const kept = new Map<number, tf.Tensor3D>();
      const ids = tf.tensor1d(batch.ids, 'int32');
      const pos = tf.tensor1d(positionIds(c, batch), 'int32');
      let x = tf.add(tf.gather(this.w('embeddings.word'), ids), tf.gather(this.w('embeddings.position'), pos)) as tf.Tensor2D; // [B·T, H]
      if (c.typeVocabSize > 0) {
        const types = tf.tensor1d(batch.tokenTypeIds ?? new Int32Array(B * T), 'int32');
        x = tf.add(x, tf.gather(this.w('embeddings.tokenType'), types));
      }
      x = hidden(this.norm(x, 'embeddings.norm'));
      if (keep.includes(0)) kept.set(0, tf.reshape(x, [B, T, H]));
      // Additive mask: 0 for tokens, the float32 minimum for padding (as transformers does). [B, 1, 1, T]
      const maskBias = tf.reshape(tf.mul(tf.sub(1, tf.tensor1d(batch.attentionMask, 'float32')), -3.4028234663852886e38), [B, 1, 1, T]);
      const scale = 1 / Math.sqrt(hs);
      for (let i = 0; i < c.numLayers; i++) {
        // One tidy per layer: its intermediates (~400 MiB for BERT-base at 16 × 128) are freed as
        // soon as the layer is done, not at the end of the pass (wasm's heap is 4 GiB). Under a
        // gradient tape the tensors the backward pass needs are kept by the tape itself.
        const p = `layer.${i}`;
        const out = tf.tidy(() => {
          const heads = (t: tf.Tensor2D, perm: number[]) => tf.transpose(tf.reshape(t, [B, T, nh, hs]), perm); // [B·T, H] -> [B, T, nh, hs] -> perm
          const q = heads(this.dense(x, `${p}.query`, d), [0, 2, 1, 3]); // [B, nh, T, hs]
          const kT = heads(this.dense(x, `${p}.key`, d), [0, 2, 3, 1]); // [B, nh, hs, T], materialised
          const v = heads(this.dense(x, `${p}.value`, d), [0, 2, 1, 3]); // [B, nh, T, hs]
          const scores = tf.add(tf.mul(tf.matMul(q, kT), scale), maskBias); // [B, nh, T, T]
          let probs = tf.softmax(scores, -1);
          if (d) probs = drop(probs, c.dropout.attention, d);
          const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [B * T, H]) as tf.Tensor2D; // [B, nh, T, hs] -> [B·T, H]
          let attended = this.dense(context, `${p}.attentionOutput`, d);
          if (c.dropout.attentionOutput) attended = hidden(attended);
          const y = this.norm(tf.add(attended, x) as tf.Tensor2D, `${p}.attentionNorm`);
          const inner = activation(this.dense(y, `${p}.intermediate`, d), c.hiddenAct) as tf.Tensor2D; // [B·T, I]
          return this.norm(tf.add(hidden(this.dense(inner, `${p}.output`, d)), y) as tf.Tensor2D, `${p}.outputNorm`);
        });
        x = out;
        if (keep.includes(i + 1)) kept.set(i + 1, tf.reshape(x, [B, T, H]));
      }
      return keep.map((k) => kept.get(k)!);
    });
  }

  /** Masked-LM logits [B, T, V] from the last hidden state. */
  mlmLogits(hidden: tf.Tensor3D): tf.Tensor3D {
    const [B, T] = hidden.shape;
    return tf.tidy(() => tf.reshape(this.mlmLogitsAt(hidden), [B, T, this.config.vocabSize]));
  }

  /**
   * Masked-LM logits [M, V] at the flat positions b·T + t given (all when omitted): only the
   * predicted tokens go through the vocabulary-sized product. With a tied decoder the word
   * embeddings are transposed in the graph, so a gradient reaches them through both uses.
   */
  mlmLogitsAt(hidden: tf.Tensor3D, positions?: Int32Array): tf.Tensor2D {
    if (!this.heads.mlm) throw new Error('this model has no masked-LM head');
    const [B, T, H] = hidden.shape;
    return tf.tidy(() => {
      const flat = tf.reshape(hidden, [B * T, H]) as tf.Tensor2D;
      const rows = positions ? (tf.gather(flat, tf.tensor1d(positions, 'int32')) as tf.Tensor2D) : flat; // [M, H]
      let h = this.dense(rows, 'mlm.transform');
      h = this.norm(activation(h, this.config.hiddenAct) as tf.Tensor2D, 'mlm.norm');
      const decoder = this.tiedDecoder ? tf.transpose(this.w('embeddings.word')) : this.w('mlm.decoder.weightT'); // [H, V], materialised
      return tf.add(tf.matMul(h, decoder as tf.Tensor2D), this.w('mlm.bias')) as tf.Tensor2D; // [M, V]
    });
  }

  /** BERT's pooler: tanh(dense(h[:, 0])). [B, H] */
  pooled(hidden: tf.Tensor3D): tf.Tensor2D {
    if (!this.heads.pooler) throw new Error('this model has no pooler');
    return tf.tidy(() => tf.tanh(this.dense(firstToken(hidden), 'pooler')));
  }

  /** Next-sentence-prediction logits [B, 2] (0 = B follows A, 1 = random) from the last hidden state: BertForPreTraining's seq_relationship over the pooler. */
  nextSentenceLogits(hidden: tf.Tensor3D): tf.Tensor2D {
    if (!this.weights.has('nsp.weight')) throw new Error('this model has no next-sentence-prediction head');
    return tf.tidy(() => this.dense(this.pooled(hidden), 'nsp'));
  }

  /** Sequence-classification logits [B, numLabels] from the last hidden state (dropout in training, as transformers' heads). */
  classify(hidden: tf.Tensor3D, dropout?: Dropout): tf.Tensor2D {
    if (!this.heads.classifier) throw new Error('this model has no classification head');
    const rate = this.config.dropout.classifier;
    const dr = (x: tf.Tensor2D) => (dropout ? drop(x, rate, dropout) : x);
    return tf.tidy(() => {
      const first = firstToken(hidden);
      switch (this.classifierStyle) {
        case 'pooler':
          return this.dense(dr(tf.tanh(this.dense(first, 'pooler', dropout))), 'classifier', dropout);
        case 'roberta':
          return this.dense(dr(tf.tanh(this.dense(dr(first), 'classifier.dense', dropout))), 'classifier', dropout);
        case 'distilbert':
          return this.dense(dr(tf.relu(this.dense(first, 'classifier.dense', dropout))), 'classifier', dropout);
      }
    });
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    this.weights.clear();
    if (this.lora) for (const l of this.lora.layers.values()) {
      l.a.dispose();
      l.b.dispose();
    }
    this.lora = null;
  }
}

/** Inverted dropout (kept values scaled by 1/(1−rate)), its mask seeded from the stream. */
export function drop<T extends tf.Tensor>(x: T, rate: number, dropout: Dropout): T {
  return rate > 0 ? (tf.dropout(x, rate, undefined, dropout.seed()) as T) : x;
}

/** h[:, 0, :] as [B, H]. */
export function firstToken(hidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , H] = hidden.shape;
  return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]);
}
