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

export class EncoderModel {
  private readonly weights = new Map<string, tf.Tensor>();
  readonly heads: { pooler: boolean; mlm: boolean; classifier: boolean };
  readonly classifierStyle: ClassifierStyle;

  constructor(
    readonly config: EncoderConfig,
    arch: Architecture,
    params: ReadonlyMap<string, LoadedParam>,
  ) {
    this.classifierStyle = arch.classifier;
    const linear = new Set(arch.params(config).filter((s) => s.linear).map((s) => s.key));
    tf.tidy(() => {
      for (const [key, p] of params) {
        let t: tf.Tensor = tf.tensor(p.data, p.shape, 'float32');
        if (linear.has(key)) t = tf.transpose(t); // [out, in] -> [in, out]
        this.weights.set(key, tf.keep(t));
      }
      if (this.weights.has('mlm.bias')) {
        // The decoder as [H, V] for hidden·W; tied to the word embeddings when the checkpoint has no separate tensor.
        const decoder = this.weights.get('mlm.decoder.weight') ?? this.weights.get('embeddings.word')!;
        const old = this.weights.get('mlm.decoder.weight');
        this.weights.set('mlm.decoder.weightT', tf.keep(tf.transpose(decoder)));
        if (old) {
          old.dispose();
          this.weights.delete('mlm.decoder.weight');
        }
      }
    });
    this.heads = {
      pooler: this.weights.has('pooler.weight'),
      mlm: this.weights.has('mlm.bias'),
      classifier: this.weights.has('classifier.weight'),
    };
  }

  private w(key: string): tf.Tensor {
    const t = this.weights.get(key);
    if (!t) throw new Error(`parameter ${key} is not loaded`);
    return t;
  }

  /** [N, in] -> [N, out] */
  private dense(x: tf.Tensor2D, key: string): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w(`${key}.weight`) as tf.Tensor2D), this.w(`${key}.bias`));
  }

  private norm(x: tf.Tensor2D, key: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.w(`${key}.weight`)), this.w(`${key}.bias`));
  }

  /**
   * Hidden states [B, T, H] after the embeddings (index 0) and after each layer (1…L); only
   * those in `keep` are returned (and kept out of tidy), in `keep`'s order.
   */
  forward(batch: EncoderBatch, options: ForwardOptions = {}): tf.Tensor3D[] {
    const c = this.config;
    const { batchSize: B, length: T } = batch;
    const H = c.hiddenSize;
    const nh = c.numHeads;
    const hs = H / nh;
    const keep = options.keep ?? Array.from({ length: c.numLayers + 1 }, (_, i) => i);
    for (const k of keep) if (!Number.isInteger(k) || k < 0 || k > c.numLayers) throw new RangeError(`layer ${k} is outside 0…${c.numLayers}`);
    if (T > c.maxPositions - c.positionOffset) throw new RangeError(`sequence length ${T} exceeds the model's ${c.maxPositions - c.positionOffset} positions`);
    const kept = new Map<number, tf.Tensor3D>();
    tf.tidy(() => {
      const ids = tf.tensor1d(batch.ids, 'int32');
      const pos = tf.tensor1d(positionIds(c, batch), 'int32');
      let x = tf.add(tf.gather(this.w('embeddings.word'), ids), tf.gather(this.w('embeddings.position'), pos)) as tf.Tensor2D; // [B·T, H]
      if (c.typeVocabSize > 0) {
        const types = tf.tensor1d(batch.tokenTypeIds ?? new Int32Array(B * T), 'int32');
        x = tf.add(x, tf.gather(this.w('embeddings.tokenType'), types));
      }
      x = this.norm(x, 'embeddings.norm');
      if (keep.includes(0)) kept.set(0, tf.keep(tf.reshape(x, [B, T, H])));
      // Additive mask: 0 for tokens, the float32 minimum for padding (as transformers does). [B, 1, 1, T]
      const maskBias = tf.reshape(tf.mul(tf.sub(1, tf.tensor1d(batch.attentionMask, 'float32')), -3.4028234663852886e38), [B, 1, 1, T]);
      const scale = 1 / Math.sqrt(hs);
      for (let i = 0; i < c.numLayers; i++) {
        const p = `layer.${i}`;
        const heads = (t: tf.Tensor2D, perm: number[]) => tf.transpose(tf.reshape(t, [B, T, nh, hs]), perm); // [B·T, H] -> [B, T, nh, hs] -> perm
        const q = heads(this.dense(x, `${p}.query`), [0, 2, 1, 3]); // [B, nh, T, hs]
        const kT = heads(this.dense(x, `${p}.key`), [0, 2, 3, 1]); // [B, nh, hs, T], materialised
        const v = heads(this.dense(x, `${p}.value`), [0, 2, 1, 3]); // [B, nh, T, hs]
        const scores = tf.add(tf.mul(tf.matMul(q, kT), scale), maskBias); // [B, nh, T, T]
        const probs = tf.softmax(scores, -1);
        const context = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [B * T, H]) as tf.Tensor2D; // [B, nh, T, hs] -> [B·T, H]
        x = this.norm(tf.add(this.dense(context, `${p}.attentionOutput`), x) as tf.Tensor2D, `${p}.attentionNorm`);
        const inner = activation(this.dense(x, `${p}.intermediate`), c.hiddenAct) as tf.Tensor2D; // [B·T, I]
        x = this.norm(tf.add(this.dense(inner, `${p}.output`), x) as tf.Tensor2D, `${p}.outputNorm`);
        if (keep.includes(i + 1)) kept.set(i + 1, tf.keep(tf.reshape(x, [B, T, H])));
      }
    });
    return keep.map((k) => kept.get(k)!);
  }

  /** Masked-LM logits [B, T, V] from the last hidden state. */
  mlmLogits(hidden: tf.Tensor3D): tf.Tensor3D {
    if (!this.heads.mlm) throw new Error('this model has no masked-LM head');
    const [B, T, H] = hidden.shape;
    return tf.tidy(() => {
      let h = this.dense(tf.reshape(hidden, [B * T, H]), 'mlm.transform');
      h = this.norm(activation(h, this.config.hiddenAct) as tf.Tensor2D, 'mlm.norm');
      const logits = tf.add(tf.matMul(h, this.w('mlm.decoder.weightT') as tf.Tensor2D), this.w('mlm.bias')); // [B·T, V]
      return tf.reshape(logits, [B, T, this.config.vocabSize]);
    });
  }

  /** BERT's pooler: tanh(dense(h[:, 0])). [B, H] */
  pooled(hidden: tf.Tensor3D): tf.Tensor2D {
    if (!this.heads.pooler) throw new Error('this model has no pooler');
    return tf.tidy(() => tf.tanh(this.dense(firstToken(hidden), 'pooler')));
  }

  /** Sequence-classification logits [B, numLabels] from the last hidden state. */
  classify(hidden: tf.Tensor3D): tf.Tensor2D {
    if (!this.heads.classifier) throw new Error('this model has no classification head');
    return tf.tidy(() => {
      const first = firstToken(hidden);
      switch (this.classifierStyle) {
        case 'pooler':
          return this.dense(tf.tanh(this.dense(first, 'pooler')), 'classifier');
        case 'roberta':
          return this.dense(tf.tanh(this.dense(first, 'classifier.dense')), 'classifier');
        case 'distilbert':
          return this.dense(tf.relu(this.dense(first, 'classifier.dense')), 'classifier');
      }
    });
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    this.weights.clear();
  }
}

/** h[:, 0, :] as [B, H]. */
export function firstToken(hidden: tf.Tensor3D): tf.Tensor2D {
  const [B, , H] = hidden.shape;
  return tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]);
}
