// The Transformer encoder shared by BERT, RoBERTa, XLM-R and DistilBERT (Vaswani et al. 2017;
// post-LayerNorm as in Devlin et al. 2019), written in @tensorflow/tfjs-core ops only so every
// backend runs the same graph. Matrix products are kept 2-D and untransposed ([N, in]·[in, out]):
// Linear weights are transposed once at load, because tfjs-backend-wasm only reaches XNNPACK's
// fast kernel for that form (a transposed or batched matMul falls back to a plain loop).
import * as tf from '@tensorflow/tfjs-core';
import { selfAttention, paddingMaskBias, type AttentionShape } from './blocks/attention';
import { maybeDrop, type Dropout } from './blocks/dropout';
import { layerNorm, linear, type Adapter, type LoraLayer } from './blocks/linear';
import { feedForward } from './blocks/mlp';
import type { Layers } from './blocks/types';
import type { EncoderConfig } from './config';
import type { EncoderTask } from './family';
import type { Backbone, BackboneBatch, BackboneOptions, Head, HeadOptions } from './heads/head';
import { pooled } from './heads/pooler';
import { biasKey, layerKey, layerLinearKey, weightKey } from './keys';
import { cacheForSyncReads, transposed } from '../read';
import type { LoadedParam } from './load';
import { paramsFor, taskHead, type Architecture, type ClassifierStyle, type ParamGroup, type ParamSpec } from './spec';

export { drop, type Dropout } from './blocks/dropout';
export type { LoraLayer } from './blocks/linear';
export { firstToken } from './heads/pooler';

/** [B·T] row-major token ids, attention mask (1 = token, 0 = padding) and token types. */
export type EncoderBatch = BackboneBatch;
export type ForwardOptions = BackboneOptions;

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

export interface LoraAttachment {
  /** Linear keys ("layer.3.query") to their adapters. */
  layers: Map<string, LoraLayer>;
  /** α / r */
  scale: number;
  dropout: number;
}

/**
 * One post-LayerNorm encoder layer (BERT's BertLayer, DistilBERT's TransformerBlock):
 * y = norm(x + drop(attention(x))), out = norm(y + drop(feedForward(y))). x [B·T, H].
 */
export function encoderLayer(layers: Layers, i: number, x: tf.Tensor2D, s: AttentionShape, maskBias: tf.Tensor, c: EncoderConfig, d?: Dropout): tf.Tensor2D {
  const hidden = (t: tf.Tensor2D) => maybeDrop(t, c.dropout.hidden, d);
  const k = (name: Parameters<typeof layerLinearKey>[1]) => layerLinearKey(i, name);
  let attended = selfAttention(layers, { query: k('query'), key: k('key'), value: k('value'), output: k('attentionOutput') }, x, s, maskBias, c.dropout.attention, d);
  if (c.dropout.attentionOutput) attended = hidden(attended);
  const y = layers.layerNorm(layerKey(i, 'attentionNorm'), tf.add(attended, x) as tf.Tensor2D);
  const ff = feedForward(layers, { inner: k('intermediate'), outer: k('output') }, y, c.hiddenAct, d); // [B·T, H]
  return layers.layerNorm(layerKey(i, 'outputNorm'), tf.add(hidden(ff), y) as tf.Tensor2D);
}

export class EncoderModel implements Backbone {
  private readonly weights = new Map<string, tf.Variable>();
  /** The parameters this model is built from: the backbone's and its loaded heads'. */
  readonly specs: readonly ParamSpec[];
  /** Keys of torch Linear weights, stored here transposed ([in, out]). */
  readonly linearKeys: ReadonlySet<string>;
  /** The masked-LM decoder is the word-embedding matrix (training updates both as one). */
  readonly tiedDecoder: boolean;
  /** LoRA adapters, attached and detached through attachAdapters / detachAdapters (train/lora.ts). */
  private adapters: LoraAttachment | null = null;

  constructor(
    readonly config: EncoderConfig,
    readonly arch: Architecture,
    params: ReadonlyMap<string, LoadedParam>,
    /** The tasks whose heads' parameters this model holds (default: the architecture's loaded ones). */
    readonly tasks: readonly EncoderTask[] = arch.loads,
  ) {
    this.specs = paramsFor(arch, config, tasks);
    this.linearKeys = new Set(this.specs.filter((s) => s.linear).map((s) => s.key));
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
        this.weights.set('mlm.decoder.weightT', tf.variable(tf.transpose(this.weight('embeddings.word')), false));
      }
    });
  }

  /** Which heads' parameters are in the model. */
  get heads(): { pooler: boolean; mlm: boolean; classifier: boolean } {
    return { pooler: this.weights.has('pooler.weight'), mlm: this.weights.has('mlm.bias'), classifier: this.weights.has('classifier.weight') };
  }

  /** The sequence classifier's variant (whether it reads BERT's pooler). */
  get classifierStyle(): ClassifierStyle {
    return this.head('sequence-classification').name as ClassifierStyle;
  }

  /** The LoRA adapters attached, or null. */
  get lora(): Readonly<LoraAttachment> | null {
    return this.adapters;
  }

  /** Puts adapters on the Linears they name; the model owns (and disposes) them until detached. */
  attachAdapters(attachment: LoraAttachment): void {
    if (this.adapters) throw new Error('the model already has LoRA adapters');
    for (const key of attachment.layers.keys()) if (!this.linearKeys.has(weightKey(key))) throw new Error(`no Linear ${key} to put an adapter on`);
    this.adapters = attachment;
  }

  /** Takes the adapters off (the caller owns them again), or null when none are attached. */
  detachAdapters(): LoraAttachment | null {
    const a = this.adapters;
    this.adapters = null;
    return a;
  }

  /** The head this architecture declares for `task`. */
  head(task: EncoderTask): Head {
    const h = taskHead(this.arch, task);
    if (!h) throw new Error(`${this.arch.displayName} has no ${task} head`);
    return h.head;
  }

  /** The task's logits from the last hidden state (see each head for its shape). */
  logits(task: EncoderTask, hidden: tf.Tensor3D, options?: HeadOptions): tf.Tensor {
    return this.head(task).logits(this, hidden, options);
  }

  /** Stores a parameter given in the checkpoint's layout (torch [out, in] for Linear weights). */
  private set(key: string, t: tf.Tensor): void {
    this.weights.get(key)?.dispose();
    this.weights.set(key, tf.variable(this.linearKeys.has(key) ? tf.transpose(t) : t, false));
  }

  weight(key: string): tf.Tensor {
    const t = this.weights.get(key);
    if (!t) throw new Error(`parameter ${key} is not loaded`);
    return t;
  }

  has(key: string): boolean {
    return this.weights.has(key);
  }

  /** Every parameter by key (Linear weights as [in, out]); the model keeps ownership. */
  parameters(): ReadonlyMap<string, tf.Variable> {
    return this.weights;
  }

  /** A parameter in the checkpoint's layout (torch [out, in] for Linear weights), as plain data. */
  exportParam(key: string): LoadedParam {
    const v = this.weight(key);
    const data = v.dataSync() as Float32Array;
    if (!this.linearKeys.has(key)) return { shape: v.shape, data };
    const [rows, cols] = v.shape;
    return { shape: [cols, rows], data: transposed(data, rows, cols) };
  }

  /** Every parameter and adapter made readable by exportParam on any backend (see cacheForSyncReads). */
  cacheForExport(): Promise<void> {
    const adapters = [...(this.lora?.layers.values() ?? [])].flatMap((l) => [l.a, l.b]);
    return cacheForSyncReads([...this.weights.values(), ...adapters]);
  }

  /**
   * Creates the parameters of a head group the checkpoint lacked (a new classifier, or BERT's
   * pooler under it), as transformers' _init_weights does: Linear weights ~ N(0, initializer_range),
   * biases 0, LayerNorm 1/0. `normal` draws standard normals (seeded by the caller).
   */
  initHead(group: Exclude<ParamGroup, 'encoder'>, normal: () => number): string[] {
    const created: string[] = [];
    for (const spec of this.specs.filter((s) => s.group === group)) {
      if (this.weights.has(spec.key) || spec.optional) continue;
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (spec.linear) for (let i = 0; i < size; i++) data[i] = normal() * this.config.initializerRange;
      else if (/norm\.weight$/i.test(spec.key)) data.fill(1);
      tf.tidy(() => this.set(spec.key, tf.tensor(data, spec.shape, 'float32')));
      created.push(spec.key);
    }
    return created;
  }

  /** Replaces a parameter's values (given in the checkpoint's layout), e.g. from a training checkpoint. */
  assignParam(key: string, p: LoadedParam): void {
    const v = this.weights.get(key);
    if (!v) {
      tf.tidy(() => this.set(key, tf.tensor(p.data, p.shape, 'float32')));
      return;
    }
    tf.tidy(() => {
      const t = tf.tensor(p.data, p.shape, 'float32');
      v.assign(this.linearKeys.has(key) ? tf.transpose(t) : t);
    });
  }

  /** [N, in] -> [N, out], with the LoRA update when an adapter sits on this Linear. */
  linear(key: string, x: tf.Tensor2D, dropout?: Dropout): tf.Tensor2D {
    const layer = this.adapters?.layers.get(key);
    const adapter: Adapter | undefined = layer && { ...layer, scale: this.adapters!.scale, dropout: this.adapters!.dropout };
    return linear(x, this.weight(weightKey(key)), this.weight(biasKey(key)), adapter, dropout);
  }

  layerNorm(key: string, x: tf.Tensor2D): tf.Tensor2D {
    return layerNorm(x, this.weight(weightKey(key)), this.weight(biasKey(key)), this.config.layerNormEps);
  }

  outputEmbedding(): tf.Tensor2D {
    return (this.tiedDecoder ? tf.transpose(this.weight('embeddings.word')) : this.weight('mlm.decoder.weightT')) as tf.Tensor2D; // [H, V], materialised
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
    const shape: AttentionShape = { batchSize: B, length: T, numHeads: c.numHeads, headSize: H / c.numHeads };
    const keep = options.keep ?? Array.from({ length: c.numLayers + 1 }, (_, i) => i);
    const d = options.dropout;
    for (const k of keep) if (!Number.isInteger(k) || k < 0 || k > c.numLayers) throw new RangeError(`layer ${k} is outside 0…${c.numLayers}`);
    if (T > c.maxPositions - c.positionOffset) throw new RangeError(`sequence length ${T} exceeds the model's ${c.maxPositions - c.positionOffset} positions`);
    // Returned from tidy (not tf.keep'd), so an enclosing tidy or gradient tape still owns them.
    return tf.tidy(() => {
      const kept = new Map<number, tf.Tensor3D>();
      const ids = tf.tensor1d(batch.ids, 'int32');
      const pos = tf.tensor1d(positionIds(c, batch), 'int32');
      const words = options.inputEmbeddings ?? (tf.gather(this.weight('embeddings.word'), ids) as tf.Tensor2D); // [B·T, H]
      if (words.shape[0] !== B * T || words.shape[1] !== H) throw new RangeError(`input embeddings of shape [${words.shape}] for a batch of ${B} × ${T} and hidden size ${H}`);
      let x = tf.add(words, tf.gather(this.weight('embeddings.position'), pos)) as tf.Tensor2D; // [B·T, H]
      if (c.typeVocabSize > 0) {
        const types = tf.tensor1d(batch.tokenTypeIds ?? new Int32Array(B * T), 'int32');
        x = tf.add(x, tf.gather(this.weight('embeddings.tokenType'), types));
      }
      x = maybeDrop(this.layerNorm('embeddings.norm', x), c.dropout.hidden, d);
      if (keep.includes(0)) kept.set(0, tf.reshape(x, [B, T, H]));
      const maskBias = paddingMaskBias(batch.attentionMask, B, T); // [B, 1, 1, T]
      // Layers above the highest one kept are not run (a table built on layer 4 of 12 needs 4).
      const last = Math.max(...keep);
      for (let i = 0; i < last; i++) {
        // One tidy per layer: its intermediates (~400 MiB for BERT-base at 16 × 128) are freed as
        // soon as the layer is done, not at the end of the pass (wasm's heap is 4 GiB). Under a
        // gradient tape the tensors the backward pass needs are kept by the tape itself.
        const input = x;
        x = tf.tidy(() => encoderLayer(this, i, input, shape, maskBias, c, d));
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

  /** Masked-LM logits [M, V] at the flat positions b·T + t given (all when omitted); the masked-LM head. */
  mlmLogitsAt(hidden: tf.Tensor3D, positions?: Int32Array): tf.Tensor2D {
    return this.logits('masked-lm', hidden, { positions }) as tf.Tensor2D;
  }

  /** BERT's pooler: tanh(dense(h[:, 0])). [B, H] */
  pooled(hidden: tf.Tensor3D): tf.Tensor2D {
    return pooled(this, hidden);
  }

  /** Next-sentence-prediction logits [B, 2] (0 = B follows A, 1 = random) from the last hidden state: BertForPreTraining's seq_relationship over the pooler. */
  nextSentenceLogits(hidden: tf.Tensor3D): tf.Tensor2D {
    return this.logits('next-sentence', hidden) as tf.Tensor2D;
  }

  /** Sequence-classification logits [B, numLabels] from the last hidden state (dropout in training, as transformers' heads). */
  classify(hidden: tf.Tensor3D, dropout?: Dropout): tf.Tensor2D {
    return this.logits('sequence-classification', hidden, { dropout }) as tf.Tensor2D;
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
    this.weights.clear();
    const lora = this.detachAdapters();
    if (lora) for (const l of lora.layers.values()) {
      l.a.dispose();
      l.b.dispose();
    }
  }
}
