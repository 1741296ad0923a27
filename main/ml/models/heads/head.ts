// A head is a small module over a backbone: hidden states in, logits out. It owns no tensors;
// its parameters live in the model beside the backbone's (so one checkpoint loads, trains and
// exports them together) and it reads them by key through the Backbone interface.
import type * as tf from '@tensorflow/tfjs-core';
import type { Layers } from '../blocks/types';
import type { Dropout } from '../blocks/dropout';
import type { EncoderConfig } from '../config';
import type { Task } from '../family';
import type { ParamGroup } from '../spec';

export interface BackboneBatch {
  /** [B·T] row-major token ids, attention mask (1 = token, 0 = padding) and token types. */
  ids: Int32Array;
  attentionMask: Int32Array;
  tokenTypeIds?: Int32Array;
  batchSize: number;
  length: number;
}

export interface BackboneOptions {
  /** Which hidden states to return: 0 = embeddings output, i = after layer i (default: all). */
  keep?: number[];
  /** Training mode: dropout with masks seeded from this stream. */
  dropout?: Dropout;
  /**
   * [B·T, H] word embeddings to use instead of looking the ids up (position and token-type
   * embeddings are still added from the batch): attribution interpolates them, as Captum's
   * LayerIntegratedGradients on the word-embedding layer does.
   */
  inputEmbeddings?: tf.Tensor2D;
}

/** What heads see of a model: its config, its hidden states, and its parameters by key. */
export interface Backbone<C = EncoderConfig> extends Layers {
  readonly config: C;
  /** Hidden states [B, T, H] (0 = embeddings output, i = after layer i), those in `keep` in its order. */
  forward(batch: BackboneBatch, options?: BackboneOptions): tf.Tensor3D[];
  /** A parameter (Linear weights as [in, out]). */
  weight(key: string): tf.Tensor;
  has(key: string): boolean;
  /** The vocabulary projection [H, V]: the word embeddings transposed when tied, else the model's own decoder. */
  outputEmbedding(): tf.Tensor2D;
}

export interface HeadOptions {
  /** Training mode: dropout as the config's rates say. */
  dropout?: Dropout;
  /** Flat positions b·T + t to predict at (masked LM: only the masked tokens); all when omitted. */
  positions?: Int32Array;
}

export interface Head<C = EncoderConfig> {
  readonly task: Task;
  /** Which variant of the task's head ("pooler", "roberta", "distilbert" for sequence classification). */
  readonly name: string;
  /** The parameter groups it reads: the head runs once every one of them is in the model. */
  readonly groups: readonly ParamGroup[];
  /** Logits from the last hidden state [B, T, H]; the caller owns the result. */
  logits(backbone: Backbone<C>, hidden: tf.Tensor3D, options?: HeadOptions): tf.Tensor;
}
