// Integrated Gradients for documents, one at a time (main/ml/attribution): the model is a model
// folder's (its own classifier head, if any) or a finished fine-tuning run's rebuilt from its base;
// each document's token scores go out as an event as soon as they are done, so main writes them
// and a resumed run skips them.
import * as tf from '@tensorflow/tfjs-core';
import type { AttributedDocumentRecord, AttributionBaselineKind, AttributionRule, Pooling, TrainConfig } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { attributeNorm, attributeScalar, classifierTarget, embeddingTarget, membershipTarget } from '../../../../ml/attribution/attribute';
import { baselineEmbeddings, passMemory, targetOutputs, wordEmbeddings, type AttributionInput, type AttributionTarget } from '../../../../ml/attribution/ig';
import type { EncoderModel } from '../../../../ml/models/index';
import { encodeLong } from '../../../../ml/tokenizers/long';
import type { Tokenizer } from '../../../../ml/tokenizers/types';
import { readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { defineTask, type TaskContext } from '../../task';
import { runClassifier } from '../training/classifier';

export type AttributeModel =
  | { kind: 'folder'; path: string }
  | { kind: 'run'; modelPath: string; config: TrainConfig; labels: string[]; values: Map<string, Float32Array> };

export type AttributeTarget =
  | { kind: 'class'; label: string | null; output: 'logit' | 'probability' }
  /** layer: the hidden state's index (0 = embeddings output … L), already resolved. */
  | { kind: 'embedding'; pooling: Pooling; layer: number; estimate: number | null }
  /** centroids [C·H] in the embedding run's space, one per cluster number in `clusters`. */
  | { kind: 'membership'; pooling: Pooling; layer: number; clusters: number[]; centroids: Float32Array };

export interface AttributeDocument {
  id: number;
  text: string;
  position: number;
  /** Its topic (membership targets). */
  cluster?: number;
}

export interface AttributeInput {
  model: AttributeModel;
  target: AttributeTarget;
  documents: AttributeDocument[];
  baseline: AttributionBaselineKind;
  steps: number;
  rule: AttributionRule;
  tolerance: number | null;
  batchSize: number;
  maxLength: number;
  truncation: 'head' | 'head+tail';
  seed: number;
}

export type AttributedDocument = AttributedDocumentRecord;

/** Doublings of the steps a document may get while its completeness gap is over the tolerance. */
const MAX_REFINEMENTS = 2;

export type AttributeEvent = { type: 'document'; document: AttributedDocument };

export interface AttributeOutput {
  documents: number;
}

/** The model and tokenizer; `release` frees a model built for this task (a cached folder model stays). */
async function open(input: AttributeModel, ctx: TaskContext<AttributeEvent>): Promise<{ model: EncoderModel; tokenizer: Tokenizer; labels: string[]; multiLabel: boolean; release(): void }> {
  if (input.kind === 'folder') {
    const { model, tokenizer } = await ctx.models.load(input.path);
    const c = model.config;
    const labels = Array.from({ length: c.numLabels }, (_, i) => c.id2label[i] ?? `LABEL_${i}`);
    return { model, tokenizer, labels, multiLabel: c.raw.problem_type === 'multi_label_classification', release: () => {} };
  }
  const dir = requireModelDir(input.modelPath);
  const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
  // The cached model is another; free it first, as training does, so two models are not held at once.
  ctx.models.release();
  const { model } = runClassifier(input);
  return { model, tokenizer, labels: input.labels, multiLabel: input.config.task === 'multi-label', release: () => model.dispose() };
}

function baselineToken(tokenizer: Tokenizer, kind: AttributionBaselineKind): number | null {
  switch (kind) {
    case 'pad':
      return tokenizer.special.pad;
    case 'mask':
      if (tokenizer.special.mask === null) throw new ShirabeError('attributionNoToken', { token: '[MASK]' });
      return tokenizer.special.mask;
    case 'unk':
      if (tokenizer.special.unk === null) throw new ShirabeError('attributionNoToken', { token: '[UNK]' });
      return tokenizer.special.unk;
    case 'zero':
      return null;
  }
}

export const attribute = defineTask<AttributeInput, AttributeEvent, AttributeOutput>({
  async run(input, ctx) {
    ctx.registerGradients();
    const opened = await open(input.model, ctx);
    try {
      const { model, tokenizer, labels } = opened;
      const H = model.config.hiddenSize;
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (input.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.maxLength, limit });
      const t = input.target;
      if (t.kind === 'class' && !model.heads.classifier) throw new ShirabeError('attributionNoClassifier', { model: input.model.kind === 'folder' ? input.model.path : input.model.modelPath });
      if (t.kind === 'class' && t.label !== null && !labels.includes(t.label)) throw new ShirabeError('attributionUnknownLabel', { label: t.label, labels: labels.join(', ') });
      const tokenId = baselineToken(tokenizer, input.baseline);
      const settings = { rule: input.rule, hiddenSize: H };
      const rowCap = await rowsThatFit(input, ctx, model, tokenizer, labels, opened.multiLabel, tokenId);
      // Passes per document, for a progress bar that moves within a document on a large model.
      let done = 0;
      const total = input.documents.length;
      for (const doc of input.documents) {
        await ctx.checkCancel();
        const encoded = encodeLong(tokenizer, doc.text, { maxLength: input.maxLength, truncation: input.truncation });
        const tokens = encoded.tokens.map((tk) => ({ text: tk.text, start: tk.start, end: tk.end, special: tk.special, ...(tk.word === undefined ? {} : { word: tk.word }) }));
        const attributionInput: AttributionInput = { ids: Int32Array.from(encoded.ids), tokenTypeIds: Int32Array.from(encoded.tokenTypeIds), special: encoded.tokens.map((tk) => tk.special) };
        const x = await wordEmbeddings(model, attributionInput.ids);
        const baseline = await baselineEmbeddings(model, attributionInput, input.baseline, tokenId);
        // The memory of batchSize sequences of maxLength tokens, whatever this document's length.
        const rows = Math.min(input.batchSize, rowCap);
        const batchSize = Math.max(1, Math.floor((rows * input.maxLength) / attributionInput.ids.length));
        const common = { ...settings, batchSize, input: attributionInput, x, baseline, onPass: async (pass: number, passes: number) => {
          ctx.progress(done + pass / passes, total);
          await ctx.checkCancel();
        } };
        // A scalar target's function and output (a class: the predicted or chosen one; a topic: the document's).
        const scalar = t.kind === 'embedding' ? null : await scalarTarget(t, doc, model, labels, opened.multiLabel, attributionInput, x);
        // The attribution at a number of steps, as a stored document with its gap.
        const attributeAt = async (steps: number): Promise<AttributedDocument> => {
          if (!scalar) {
            if (t.kind !== 'embedding') throw new ShirabeError('internal', { detail: 'a scalar target without its function' });
            const r = await attributeNorm({ ...common, steps, target: embeddingTarget(model, t.pooling, t.layer), outputs: H, method: t.estimate === null ? { kind: 'exact' } : { kind: 'estimate', projections: t.estimate, seed: input.seed } });
            return {
              ...head(doc, encoded.truncated, tokens, steps),
              target: 'embedding',
              predicted: null,
              atInput: r.change,
              atBaseline: 0,
              gap: r.gap,
              scores: Float32Array.from(r.scores),
              low: t.estimate === null ? null : Float32Array.from(r.low),
              high: t.estimate === null ? null : Float32Array.from(r.high),
            };
          }
          const r = await attributeScalar({ ...common, steps, target: scalar.target, outputs: scalar.outputs, output: scalar.output });
          return { ...head(doc, encoded.truncated, tokens, steps), target: scalar.name, predicted: scalar.predicted, atInput: r.atInput, atBaseline: r.atBaseline, gap: r.gap, scores: Float32Array.from(r.scores), low: null, high: null };
        };
        // Twice the steps while the gap is over the tolerance, at most twice: the integrand of some
        // documents has features 50 points miss.
        let result = await attributeAt(input.steps);
        for (let refine = 0; refine < MAX_REFINEMENTS && input.tolerance !== null && result.gap > input.tolerance; refine++) result = await attributeAt(result.steps * 2);
        ctx.emit({ type: 'document', document: result }, [result.scores.buffer as ArrayBuffer]);
        done++;
        ctx.progress(done, total);
      }
      return { documents: done };
    } finally {
      opened.release();
    }
  },
});

/** The WebAssembly heap cannot grow past 4 GiB, and a pass that outgrows it aborts the module. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;
/** The share of it a pass's tensors may use: the allocator's free blocks and the tape's bookkeeping need the rest. */
const WASM_HEAP_SHARE = 0.7;

/**
 * The most rows of maxLength tokens a pass may hold on this backend: on WebAssembly, from one
 * row's and two rows' measured peak (passMemory) on a document of maxLength tokens against what the
 * heap has left, so that BERT-base's default batch, which outgrows the heap under the gradient
 * tape, is cut down before it aborts the worker; on other backends the batch asked for.
 */
async function rowsThatFit(input: AttributeInput, ctx: TaskContext<AttributeEvent>, model: EncoderModel, tokenizer: Tokenizer, labels: readonly string[], multiLabel: boolean, tokenId: number | null): Promise<number> {
  if (ctx.backend.backend !== 'wasm') return input.batchSize;
  const T = input.maxLength;
  const sp = tokenizer.special;
  const ids = new Int32Array(T).fill(sp.pad);
  ids[0] = sp.cls ?? sp.pad;
  ids[T - 1] = sp.sep ?? sp.pad;
  const probe: AttributionInput = { ids, tokenTypeIds: new Int32Array(T), special: Array.from(ids, (_, i) => i === 0 || i === T - 1) };
  const x = await wordEmbeddings(model, ids);
  const baseline = await baselineEmbeddings(model, probe, input.baseline, tokenId);
  const H = model.config.hiddenSize;
  const t = input.target;
  const target =
    t.kind === 'class'
      ? { target: classifierTarget(model, t.output, multiLabel), outputs: labels.length }
      : t.kind === 'embedding'
        ? { target: embeddingTarget(model, t.pooling, t.layer), outputs: H }
        : { target: membershipTarget(model, t.pooling, t.layer, t.centroids.slice(0, H)), outputs: 1 };
  const { fixed, perRow } = await passMemory({ input: probe, x, baseline, hiddenSize: H, ...target });
  const budget = WASM_HEAP_BYTES * WASM_HEAP_SHARE - tf.memory().numBytes - fixed;
  const rows = Math.floor(budget / perRow);
  const mib = (b: number) => Math.ceil(b / 1024 ** 2);
  if (rows < 1) throw new ShirabeError('attributionTooLarge', { maxLength: T, need: mib(fixed + perRow), budget: mib(WASM_HEAP_BYTES * WASM_HEAP_SHARE - tf.memory().numBytes) });
  return rows;
}

/** A class's or a topic's function of the embeddings, which of its outputs is attributed, and what it is called. */
async function scalarTarget(
  t: Exclude<AttributeTarget, { kind: 'embedding' }>,
  doc: AttributeDocument,
  model: EncoderModel,
  labels: readonly string[],
  multiLabel: boolean,
  input: AttributionInput,
  x: Float32Array,
): Promise<{ target: AttributionTarget; outputs: number; output: number; name: string; predicted: string | null }> {
  const H = model.config.hiddenSize;
  if (t.kind === 'class') {
    const logits = await targetOutputs({ input, target: classifierTarget(model, 'logit'), hiddenSize: H }, x);
    const best = logits.indexOf(Math.max(...logits));
    const output = t.label === null ? best : labels.indexOf(t.label);
    return { target: classifierTarget(model, t.output, multiLabel), outputs: labels.length, output, name: labels[output], predicted: labels[best] };
  }
  const c = t.clusters.indexOf(doc.cluster ?? -1);
  if (c < 0) throw new ShirabeError('internal', { detail: `no centroid for topic ${doc.cluster} of document ${doc.id}` });
  return { target: membershipTarget(model, t.pooling, t.layer, t.centroids.slice(c * H, (c + 1) * H)), outputs: 1, output: 0, name: String(doc.cluster), predicted: null };
}

function head(doc: AttributeDocument, truncated: number, tokens: AttributedDocument['tokens'], steps: number) {
  return { documentId: doc.id, position: doc.position, truncated, tokens, steps };
}
