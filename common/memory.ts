// Peak tensor memory of a training step or an inference batch, from the model's shapes and the
// batch. tfjs keeps every intermediate of the loss until its tidy ends and the gradient tape keeps
// what each op's gradient reads, so a step holds far more than the usual "activations of the
// backward pass": about a hundred floats per token per hidden unit per layer, not 16. The
// coefficients are fitted (least squares on relative error) to the peaks tf.profile measured for
// one real step of each kind on fresh BERTs of 18 shape × batch configs (bench/memory.ts: L 1–3,
// H 64–192, I 256–768, 2–4 heads, V 1,000–3,000, B·T 4·32, 8·64, 2·128, cpu backend; the bytes
// are the same on wasm, whose heap they must fit), and the peak taken as the larger of the
// activations' phase and the optimizer's (below). Residuals on the whole peak, fitted configs:
// fine-tuning −4…+9%, LoRA ≤ 4%, masked LM −2…+6%, SimCSE ≤ 2%, embedding ≤ 1%; held-out configs
// (L 2–4, H 120–256, I 360–1024, 4–6 heads, B·T 3·96, 6·48, 1·256; bench/memory.ts --held-out):
// fine-tuning −11…+12%, LoRA −6…+1%, masked LM −5…+8%; main/ml/models/memory.test.ts checks
// unseen configs to 25%. At full size on wasm (BERT-base shape, not in the fit): an inference
// batch of 8 × 128 −0.5%, a LoRA step of 2 × 128 −11%; the optimizer's constant below comes from a
// full fine-tuning step of 1 × 128 on the cpu backend (and it is what the fitted configs' worst
// case, full fine-tuning of H 192 at 4 × 32, was missing: −14% before, +9% with it).

/** What runs: full fine-tuning or LoRA of a classifier, masked-LM pretraining, SimCSE, or an inference batch (embedding, prediction). */
export type MemoryWork = 'fine-tune' | 'lora' | 'masked-lm' | 'simcse' | 'embed';

/** Floats kept at the peak, per unit of each term. */
interface Coefficients {
  /** Per token per hidden unit per layer (L·B·T·H). */
  layerHidden: number;
  /** Per token per feed-forward unit per layer (L·B·T·I). */
  layerInner: number;
  /** Per attention-map entry per head per layer (L·B·nh·T²): scores, probabilities, dropout mask and their gradients. */
  layerAttention: number;
  /** Per token per hidden unit, once (embeddings, the head's input, and for inference one layer's worth). */
  hidden: number;
  /** Per predicted token per vocabulary entry (the masked-LM logits and their softmax). */
  predictedVocab: number;
}

const fitted: Record<MemoryWork, Coefficients> = {
  'fine-tune': { layerHidden: 104.3, layerInner: 15.9, layerAttention: 8.9, hidden: 25.1, predictedVocab: 0 },
  // LoRA's dropout on the adapters' input and the low-rank products add to every adapted layer.
  lora: { layerHidden: 131.5, layerInner: 20, layerAttention: 11.7, hidden: 5.4, predictedVocab: 0 },
  'masked-lm': { layerHidden: 95.8, layerInner: 17.1, layerAttention: 11.6, hidden: 38.4, predictedVocab: 14.5 },
  // Per sequence of each of SimCSE's two dropout passes (the batch counts twice).
  simcse: { layerHidden: 85.3, layerInner: 19.8, layerAttention: 14.8, hidden: 35.8, predictedVocab: 0 },
  // The forward pass frees each layer's intermediates: one layer's worth, plus the hidden state each layer hands on.
  embed: { layerHidden: 0.9, layerInner: 0, layerAttention: 0, hidden: 37.2, predictedVocab: 0 },
};

/** The inference pass's one layer of feed-forward and attention intermediates (not multiplied by L). */
const embedOneLayer = { inner: 7, attention: 4 };

/** Floats per trainable value in a step beyond the value and its two AdamW moments, while the activations are held: its gradient and the clipped copy. */
export const floatsPerTrainable = 5;

/**
 * Floats per trainable value, moments included, at the optimizer's own peak: AdamW updates every
 * value inside one tf.tidy, so about eleven temporaries per value live until it ends, beside the
 * moments and the gradients. Measured: a BERT-base-sized full fine-tuning step of 1 × 128 tokens
 * peaked at 7.46 GiB, 17.0 floats per trainable value over the weights; a sum with the activations
 * said 4.1 GiB (−45%). A step's peak is the larger of this phase and the activations'.
 */
export const optimizerFloatsPerTrainable = 17;

/** Share of tokens masked-LM pretraining predicts (whole-word masking picks 15% on average). */
export const predictedShare = 0.15;

/** The shapes the estimate reads (an EncoderConfig has them; a ModelInfo under other names). */
export interface MemoryShape {
  numLayers: number;
  hiddenSize: number;
  intermediateSize: number;
  numHeads: number;
  vocabSize: number;
}

export interface MemoryBatch {
  batchSize: number;
  maxLength: number;
}

/** Floats of activations and intermediates at the peak of one step (or one inference batch) of B sequences of T tokens. */
export function activationFloats(config: MemoryShape, work: MemoryWork, batch: MemoryBatch): number {
  const { numLayers: L, hiddenSize: H, intermediateSize: I, numHeads: nh, vocabSize: V } = config;
  const T = batch.maxLength;
  const B = work === 'simcse' ? 2 * batch.batchSize : batch.batchSize;
  const c = fitted[work];
  const tokens = B * T;
  const maps = B * nh * T * T;
  let floats = L * (c.layerHidden * tokens * H + c.layerInner * tokens * I + c.layerAttention * maps) + c.hidden * tokens * H;
  if (work === 'embed') floats += embedOneLayer.inner * tokens * I + embedOneLayer.attention * maps;
  if (work === 'masked-lm') floats += c.predictedVocab * predictedShare * tokens * V;
  return floats;
}

/**
 * Peak bytes of a training step: the float32 weights, and the larger of the backward pass (two AdamW
 * moments, the gradient and its share per trainable value, and the activations) and the optimizer's update.
 */
export function trainingBytes(parameters: number, trainable: number, activations: number): number {
  return 4 * (parameters + Math.max((2 + floatsPerTrainable) * trainable + activations, optimizerFloatsPerTrainable * trainable));
}

/** Peak bytes of an inference batch: the weights and one batch's forward pass. */
export function inferenceBytes(parameters: number, config: MemoryShape, batch: MemoryBatch): number {
  return 4 * (parameters + activationFloats(config, 'embed', batch));
}

/** The WebAssembly backend's heap: a wasm32 memory holds at most 4 GiB, and every tensor lives in it. */
export const wasmHeapBytes = 4 * 1024 ** 3;
