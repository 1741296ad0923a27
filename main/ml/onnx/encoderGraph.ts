// The encoder's inference forward pass as an ONNX graph, built from the same model (parameters by
// key, config, classifier style) the tfjs forward pass in models/encoder.ts runs, op for op:
// embeddings + LayerNorm, post-LayerNorm layers of attention with the padding mask and the
// feed-forward block, then the requested outputs — hidden states, a pooled embedding as
// ../embed.ts pools it, the sequence classifier's logits as models/heads builds them. LoRA
// adapters are folded into their Linear weights first (W + (α/r)·A·B, as train/export.ts merges).
// Inputs are int64 [batch, sequence] (input_ids, attention_mask, token_type_ids when the model has
// token types), as transformers' ONNX exports name them; positions are computed inside the graph.
import type { Pooling } from '../../../common/contract';
import type { HiddenAct } from '../models/config';
import type { EncoderModel } from '../models/encoder';
import { biasKey, layerKey, layerLinearKey, weightKey, type LayerLinear } from '../models/keys';
import { mergedLoraValues } from '../train/lora';
import { GraphBuilder, type Dim } from './graph';

export interface EncoderGraphOutputs {
  /** Hidden states output as `hidden_<i>` [batch, sequence, H] (0 = embeddings output, i = after layer i). */
  hidden?: readonly number[];
  /** A pooled embedding `pooled` [batch, H] of hidden state `layer`, as embed.ts's pool(). */
  pooled?: { layer: number; pooling: Pooling };
  /** The sequence classifier's logits `logits` [batch, numLabels]. */
  logits?: boolean;
}

/** Changes whenever the graph written for the same model and outputs changes: part of the cache's key, so an older graph is not reused. */
export const graphVersion = 2;

/** A stable name for a set of outputs (the graph cache's key beside the model's hash). */
export function outputsKey(outputs: EncoderGraphOutputs): string {
  const parts: string[] = [];
  if (outputs.hidden?.length) parts.push(`hidden${outputs.hidden.join('.')}`);
  if (outputs.pooled) parts.push(`${outputs.pooled.pooling}${outputs.pooled.layer}`);
  if (outputs.logits) parts.push('logits');
  return parts.join('-') || 'none';
}

/** float32's lowest value: the additive mask bias of padding, as attention.ts and embed.ts use it. */
const floatMin = -3.4028234663852886e38;

/** A parameter's values in our layout (Linear weights [in, out]), its LoRA update folded in. */
function weightData(model: EncoderModel, key: string): Float32Array {
  const lora = model.lora;
  const linear = key.endsWith('.weight') ? key.slice(0, -'.weight'.length) : null;
  const adapter = linear ? lora?.layers.get(linear) : undefined;
  const w = model.weight(key);
  return adapter ? mergedLoraValues(w, adapter, lora!.scale) : (w.dataSync() as Float32Array);
}

/**
 * The ONNX ModelProto (bytes) computing `outputs` for `model`, every weight inside: for models
 * whose weights fit in one protobuf message (under 2 GiB; jobs/compute/onnxFiles writes any size).
 */
export function encoderGraph(model: EncoderModel, outputs: EncoderGraphOutputs, name = 'encoder'): Uint8Array {
  const { g, doc } = encoderGraphBuilder(model, outputs);
  return g.encode(name, doc);
}

/**
 * The graph computing `outputs` for `model`, not yet encoded (the weights are views, not copies).
 * Only the layers the outputs need are in the graph (a pooled layer 4 of 12 stops after layer 4).
 */
export function encoderGraphBuilder(model: EncoderModel, outputs: EncoderGraphOutputs): { g: GraphBuilder; doc: string } {
  const c = model.config;
  const H = c.hiddenSize;
  const nh = c.numHeads;
  const hs = H / nh;
  const wanted = [...(outputs.hidden ?? []), ...(outputs.pooled ? [outputs.pooled.layer] : []), ...(outputs.logits ? [c.numLayers] : [])];
  if (wanted.length === 0) throw new Error('an encoder graph needs at least one output');
  for (const k of wanted) if (!Number.isInteger(k) || k < 0 || k > c.numLayers) throw new RangeError(`layer ${k} is outside 0…${c.numLayers}`);
  const depth = Math.max(...wanted);

  const g = new GraphBuilder();
  const batchDims: Dim[] = ['batch', 'sequence'];
  const param = (key: string) => {
    const w = model.weight(key);
    return g.initializer(key, weightData(model, key), w.shape);
  };
  const scalar = (v: number) => g.constant([v], 'float32', []);
  const int = (v: number) => g.constant([v], 'int64', []);
  const ints = (v: number[]) => g.constant(v, 'int64');
  /** [..., in]·[in, out] + bias, LoRA folded in. */
  const linear = (key: string, x: string) => g.op('Add', [g.op('MatMul', [x, param(weightKey(key))]), param(biasKey(key))]);
  const layerNorm = (key: string, x: string) => g.op('LayerNormalization', [x, param(weightKey(key)), param(biasKey(key))], { axis: -1, epsilon: { float: c.layerNormEps } });

  const ids = g.input('input_ids', 'int64', batchDims);
  const mask = g.input('attention_mask', 'int64', batchDims);
  const types = c.typeVocabSize > 0 ? g.input('token_type_ids', 'int64', batchDims) : null;

  // Embeddings: word + position (+ token type), LayerNorm. [B, T] -> [B, T, H]
  let x = g.op('Gather', [param('embeddings.word'), ids]);
  let positions: string;
  if (c.positionsSkipPadding) {
    // RoBERTa (create_position_ids_from_input_ids): cumsum(ids != pad)·(ids != pad) + pad. [B, T]
    const real = g.op('Cast', [g.op('Not', [g.op('Equal', [ids, int(c.padTokenId)])])], { to: onnxInt64 });
    positions = g.op('Add', [g.op('Mul', [g.op('CumSum', [real, int(1)]), real]), int(c.padTokenId)]);
  } else {
    // offset, offset + 1, … offset + T − 1. [T]
    const T = g.op('Gather', [g.op('Shape', [ids]), int(1)]);
    positions = g.op('Range', [int(c.positionOffset), g.op('Add', [T, int(c.positionOffset)]), int(1)]);
  }
  x = g.op('Add', [x, g.op('Gather', [param('embeddings.position'), positions])]); // [B, T, H] + [T, H] or [B, T, H]
  if (types) x = g.op('Add', [x, g.op('Gather', [param('embeddings.tokenType'), types])]);
  // Rows of tokens from here, [B·T, H], as encoder.ts keeps them: onnxruntime fuses each 2-D
  // MatMul with its bias Add into one Gemm (a 3-D MatMul keeps the Add as a separate pass).
  x = g.op('Reshape', [layerNorm('embeddings.norm', x), ints([-1, H])]); // [B·T, H]
  const hidden = new Map<number, string>([[0, x]]);
  const bt = g.op('Shape', [ids]); // [B, T]
  const headShape = g.op('Concat', [bt, ints([nh, hs])], { axis: 0 }); // [B, T, nh, hs]
  const tokenShape = g.op('Concat', [bt, ints([H])], { axis: 0 }); // [B, T, H]
  const tokens = (rows: string) => g.op('Reshape', [rows, tokenShape]); // [B·T, H] -> [B, T, H]

  const maskF = g.op('Cast', [mask], { to: onnxFloat }); // [B, T]
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [scalar(1), maskF]), scalar(floatMin)]), ints([1, 2])]); // [B, 1, 1, T]
  const merged = ints([-1, H]);
  for (let i = 0; i < depth; i++) {
    const k = (n: LayerLinear) => layerLinearKey(i, n);
    // [B·T, H] -> [B, T, nh, hs] -> [B, nh, T, hs] (keys: [B, nh, hs, T])
    const heads = (n: LayerLinear, perm: number[]) => g.op('Transpose', [g.op('Reshape', [linear(k(n), x), headShape])], { perm });
    const q = heads('query', [0, 2, 1, 3]);
    const kT = heads('key', [0, 2, 3, 1]);
    const v = heads('value', [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kT]), scalar(1 / Math.sqrt(hs))]), maskBias]); // [B, nh, T, T]
    const context = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v]); // [B, nh, T, hs]
    const attended = linear(k('attentionOutput'), g.op('Reshape', [g.op('Transpose', [context], { perm: [0, 2, 1, 3] }), merged])); // [B·T, H]
    const y = layerNorm(layerKey(i, 'attentionNorm'), g.op('Add', [attended, x]));
    const ff = linear(k('output'), activation(g, linear(k('intermediate'), y), c.hiddenAct, scalar)); // [B·T, I] -> [B·T, H]
    x = layerNorm(layerKey(i, 'outputNorm'), g.op('Add', [ff, y]));
    hidden.set(i + 1, x);
  }

  const states = new Map<number, string>();
  const state = (k: number) => states.get(k) ?? states.set(k, tokens(hidden.get(k)!)).get(k)!; // [B, T, H]
  for (const k of outputs.hidden ?? []) g.output(`hidden_${k}`, state(k), 'float32', ['batch', 'sequence', H]);
  if (outputs.pooled) g.output('pooled', pool(g, state(outputs.pooled.layer), mask, maskF, outputs.pooled.pooling, { scalar, int, ints }), 'float32', ['batch', H]);
  if (outputs.logits) g.output('logits', classifierLogits(model, g, state(c.numLayers), linear, int), 'float32', ['batch', c.numLabels]);
  return { g, doc: `${model.arch.displayName}: ${outputsKey(outputs)}` };
}

const onnxFloat = 1; // TensorProto.FLOAT
const onnxInt64 = 7; // TensorProto.INT64

/** config.json's hidden_act, as blocks/activation.ts computes it. */
function activation(g: GraphBuilder, x: string, kind: HiddenAct, scalar: (v: number) => string): string {
  switch (kind) {
    case 'gelu':
      // ½x(1 + erf(x/√2)), in the order PyTorch's exports write it, which onnxruntime fuses into one Gelu.
      return g.op('Mul', [g.op('Mul', [x, g.op('Add', [g.op('Erf', [g.op('Div', [x, scalar(Math.SQRT2)])]), scalar(1)])]), scalar(0.5)]);
    case 'gelu_new':
    case 'gelu_pytorch_tanh': {
      // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
      const inner = g.op('Mul', [scalar(Math.sqrt(2 / Math.PI)), g.op('Add', [x, g.op('Mul', [scalar(0.044715), g.op('Pow', [x, scalar(3)])])])]);
      return g.op('Mul', [g.op('Mul', [x, scalar(0.5)]), g.op('Add', [scalar(1), g.op('Tanh', [inner])])]);
    }
    case 'relu':
      return g.op('Relu', [x]);
    case 'silu':
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'tanh':
      return g.op('Tanh', [x]);
  }
}

/** [B, T, H] -> [B, H] as embed.ts's pool() over the tokens the mask marks. */
function pool(
  g: GraphBuilder,
  h: string,
  mask: string,
  maskF: string,
  pooling: Pooling,
  k: { scalar(v: number): string; int(v: number): string; ints(v: number[]): string },
): string {
  const m = g.op('Unsqueeze', [maskF, k.ints([2])]); // [B, T, 1]
  switch (pooling) {
    case 'cls':
      return g.op('Gather', [h, k.int(0)], { axis: 1 });
    case 'mean': {
      const sum = g.op('ReduceSum', [g.op('Mul', [h, m]), k.ints([1])], { keepdims: 0 }); // [B, H]
      const count = g.op('Max', [g.op('ReduceSum', [m, k.ints([1])], { keepdims: 0 }), k.scalar(1)]); // [B, 1]
      return g.op('Div', [sum, count]);
    }
    case 'last': {
      // The last position the mask marks (0 when none): argmax over t of mask·(t + 1). [B]
      const T = g.op('Gather', [g.op('Shape', [mask]), k.int(1)]);
      const t = g.op('Range', [k.int(0), T, k.int(1)]); // [T]
      const ranked = g.op('Mul', [maskF, g.op('Cast', [g.op('Add', [t, k.int(1)])], { to: onnxFloat })]); // [B, T]
      const last = g.op('ArgMax', [ranked], { axis: 1, keepdims: 1 }); // [B, 1]
      const pick = g.op('Cast', [g.op('Equal', [g.op('Unsqueeze', [t, k.ints([0])]), last])], { to: onnxFloat }); // [B, T]
      return g.op('ReduceSum', [g.op('Mul', [h, g.op('Unsqueeze', [pick, k.ints([2])])]), k.ints([1])], { keepdims: 0 });
    }
    case 'max':
      return g.op('ReduceMax', [g.op('Add', [h, g.op('Mul', [g.op('Sub', [k.scalar(1), m]), k.scalar(floatMin)])])], { axes: [1], keepdims: 0 });
  }
}

/** The sequence classifier over the first token, as heads/sequenceClassification.ts (inference: no dropout). [B, T, H] -> [B, numLabels] */
function classifierLogits(model: EncoderModel, g: GraphBuilder, h: string, linear: (key: string, x: string) => string, int: (v: number) => string): string {
  if (!model.has('classifier.weight')) throw new Error('this model has no classification head');
  const first = g.op('Gather', [h, int(0)], { axis: 1 }); // [B, H]
  switch (model.classifierStyle) {
    case 'pooler':
      return linear('classifier', g.op('Tanh', [linear('pooler', first)]));
    case 'roberta':
      return linear('classifier', g.op('Tanh', [linear('classifier.dense', first)]));
    case 'distilbert':
      return linear('classifier', g.op('Relu', [linear('classifier.dense', first)]));
  }
}
