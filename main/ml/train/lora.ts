// LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models") on the encoder's
// Linear layers, initialised as PEFT does: A ~ kaiming_uniform(a=√5) = U(−1/√in, 1/√in), B = 0,
// so the adapted model starts equal to the base; the update is (α/r)·B·A·dropout(x).
import * as tf from '@tensorflow/tfjs-core';
import { loraTargetNames, type LoraSettings, type LoraTargetName } from '../../../common/contract';
import type { EncoderModel, LoraLayer } from '../models/encoder';
import { layerLinearKey, parseLoraKey, peftLoraKey, weightKey } from '../models/keys';
import { transposed } from '../read';

/** The Linear layers LoRA can target in every layer of the encoder (the contract's names are the encoder's keys). */
export const loraTargets = loraTargetNames;
export type LoraTarget = LoraTargetName;
export type LoraOptions = LoraSettings;

/** Attaches fresh adapters (A from `uniform`, a seeded U(0,1) stream; B zero) to the targeted Linears. */
export function attachLora(model: EncoderModel, options: LoraOptions, uniform: () => number): void {
  if (model.lora) throw new Error('the model already has LoRA adapters');
  const layers = new Map<string, LoraLayer>();
  const params = model.parameters();
  for (let i = 0; i < model.config.numLayers; i++) {
    for (const target of options.targets) {
      const key = layerLinearKey(i, target);
      const [inDim, outDim] = params.get(weightKey(key))!.shape; // stored [in, out]
      const bound = 1 / Math.sqrt(inDim);
      // PEFT draws A as [r, in] row-major; ours is its transpose [in, r].
      const drawn = Float32Array.from({ length: options.rank * inDim }, () => (2 * uniform() - 1) * bound);
      const a = tf.tidy(() => tf.variable(tf.transpose(tf.tensor2d(drawn, [options.rank, inDim])), true));
      const b = tf.tidy(() => tf.variable(tf.zeros([options.rank, outDim]), true));
      layers.set(key, { a, b });
    }
  }
  model.attachAdapters({ layers, scale: options.alpha / options.rank, dropout: options.dropout });
}

/** Folds the adapters into the base weights (W ← W + (α/r)·A·B in our [in, out] layout) and removes them. */
export function mergeLora(model: EncoderModel): void {
  const lora = model.detachAdapters();
  if (!lora) return;
  const params = model.parameters();
  for (const [key, { a, b }] of lora.layers) {
    const w = params.get(weightKey(key))!;
    tf.tidy(() => w.assign(tf.add(w, tf.mul(tf.matMul(a, b), lora.scale)))); // [in, r]·[r, out]
    a.dispose();
    b.dispose();
  }
}

/**
 * W + scale·A·B in our [in, out] layout ([in, r]·[r, out]), computed on the CPU from the tensors'
 * values (readable by dataSync on every backend: see cacheForSyncReads): the product accumulated in
 * float64 and rounded once, then scaled and added in float32, so within a float32 rounding of
 * mergeLora's tensors (whose matMul sums in float32), not bit-identical to them.
 */
export function mergedLoraValues(w: tf.Tensor, adapter: { a: tf.Tensor; b: tf.Tensor }, scale: number): Float32Array {
  const wv = w.dataSync() as Float32Array;
  const a = adapter.a.dataSync() as Float32Array;
  const b = adapter.b.dataSync() as Float32Array;
  const [rows, r] = adapter.a.shape as [number, number];
  const cols = adapter.b.shape[1] as number;
  const out = new Float32Array(rows * cols);
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    acc.fill(0);
    for (let k = 0; k < r; k++) {
      const aik = a[i * r + k];
      for (let j = 0; j < cols; j++) acc[j] += aik * b[k * cols + j];
    }
    for (let j = 0; j < cols; j++) out[i * cols + j] = Math.fround(wv[i * cols + j] + Math.fround(Math.fround(acc[j]) * scale));
  }
  return out;
}

/** The adapters in PEFT's layout: A as [r, in], B as [out, r], keyed "layer.i.target.lora_A|B". */
export function loraParams(model: EncoderModel): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [key, { a, b }] of model.lora?.layers ?? []) {
    for (const [name, t] of [[peftLoraKey(key, 'a'), a], [peftLoraKey(key, 'b'), b]] as const) {
      const [rows, cols] = t.shape;
      out.set(name, { shape: [cols, rows], data: transposed(t.dataSync(), rows, cols) });
    }
  }
  return out;
}

/** Sets adapter values from PEFT's layout (the inverse of loraParams). */
export function setLoraParams(model: EncoderModel, values: ReadonlyMap<string, { shape: number[]; data: Float32Array }>): void {
  for (const [key, { a, b }] of model.lora?.layers ?? []) {
    for (const [name, v] of [[peftLoraKey(key, 'a'), a], [peftLoraKey(key, 'b'), b]] as const) {
      const p = values.get(name);
      if (!p) throw new Error(`adapter tensor ${name} is missing`);
      tf.tidy(() => v.assign(tf.transpose(tf.tensor(p.data, p.shape, 'float32'))));
    }
  }
}

/**
 * The variable behind a trainable key (trainableVariables' keys, as a run's checkpoint stores
 * them): a LoRA factor for "lora:<linear>.a|b" (loraKey), else the model parameter; undefined
 * when the model has no such value.
 */
export function trainableValue(model: EncoderModel, key: string): tf.Variable | undefined {
  const lora = parseLoraKey(key);
  return lora ? model.lora?.layers.get(lora.linear)?.[lora.part] : model.parameters().get(key);
}
