// A model's config.json as a typed object. Each architecture reads its own key names
// (BERT's hidden_size, DistilBERT's dim) into this one shape; unknown keys are kept so a
// config round-trips unchanged when a fine-tuned model is written back out.
import { ShirabeError } from '../../../common/errors';

export const modelTypes = ['bert', 'roberta', 'xlm-roberta', 'distilbert'] as const;
export type ModelType = (typeof modelTypes)[number];

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu' | 'silu' | 'tanh';
const hiddenActs: readonly HiddenAct[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu', 'silu', 'tanh'];

export interface EncoderConfig {
  modelType: ModelType;
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  /** 0 when the architecture has no token-type embeddings (DistilBERT). */
  typeVocabSize: number;
  layerNormEps: number;
  hiddenAct: HiddenAct;
  padTokenId: number;
  /** RoBERTa numbers positions from padding_idx + 1 (fairseq's convention); BERT from 0. */
  positionOffset: number;
  /** Positions counted over non-padding tokens only (RoBERTa's create_position_ids_from_input_ids). */
  positionsSkipPadding: boolean;
  /** Classification head size from id2label / num_labels (2 is transformers' default when absent). */
  numLabels: number;
  id2label: Record<number, string>;
  /** Dropout rates used in training (inference never drops): after embeddings and sublayers, on attention probabilities, before the classifier. */
  dropout: DropoutRates;
  /** Standard deviation of the normal initialisation of new weights (transformers' _init_weights). */
  initializerRange: number;
  /** The whole config.json, for round-tripping. */
  raw: Record<string, unknown>;
}

export interface DropoutRates {
  hidden: number;
  attention: number;
  classifier: number;
  /** BERT drops the attention sublayer's output before the residual add; DistilBERT does not. */
  attentionOutput: boolean;
}

/** A probability in [0, 1) (null means the fallback, as transformers' classifier_dropout). */
export function rate(raw: Raw, key: string, fallback: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw configInvalid(`"${key}" must be a dropout probability in [0, 1) (found ${JSON.stringify(raw[key])})`);
  return v;
}

export function configInvalid(detail: string): ShirabeError {
  return new ShirabeError('modelConfigInvalid', { detail });
}

type Raw = Record<string, unknown>;

export function int(raw: Raw, key: string, fallback?: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw configInvalid(`"${key}" must be a non-negative integer (found ${JSON.stringify(raw[key])})`);
  return v;
}

export function num(raw: Raw, key: string, fallback: number): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw configInvalid(`"${key}" must be a number (found ${JSON.stringify(raw[key])})`);
  return v;
}

export function act(raw: Raw, key: string, fallback: HiddenAct): HiddenAct {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'string' || !hiddenActs.includes(v as HiddenAct)) throw configInvalid(`"${key}" = ${JSON.stringify(v)} is not a supported activation (${hiddenActs.join(', ')})`);
  return v as HiddenAct;
}

/** id2label with integer keys; num_labels when only that is given. */
export function labels(raw: Raw): { numLabels: number; id2label: Record<number, string> } {
  const given = raw.id2label;
  if (given && typeof given === 'object') {
    const id2label: Record<number, string> = {};
    for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
      const id = Number(k);
      if (!Number.isInteger(id) || id < 0 || typeof v !== 'string') throw configInvalid(`id2label entry ${JSON.stringify(k)}: ${JSON.stringify(v)} is not an integer id with a label`);
      id2label[id] = v;
    }
    const n = Object.keys(id2label).length;
    return { numLabels: n, id2label };
  }
  const n = raw.num_labels === undefined ? 2 : int(raw, 'num_labels');
  return { numLabels: n, id2label: Object.fromEntries(Array.from({ length: n }, (_, i) => [i, `LABEL_${i}`])) };
}

export function checkShape(c: EncoderConfig): EncoderConfig {
  for (const [k, v] of [['hidden size', c.hiddenSize], ['layers', c.numLayers], ['attention heads', c.numHeads], ['vocabulary size', c.vocabSize], ['max positions', c.maxPositions]] as const) {
    if (v <= 0) throw configInvalid(`the ${k} must be positive (found ${v})`);
  }
  if (c.hiddenSize % c.numHeads !== 0) throw configInvalid(`the hidden size ${c.hiddenSize} is not a multiple of the ${c.numHeads} attention heads`);
  if (c.padTokenId >= c.vocabSize) throw configInvalid(`pad_token_id ${c.padTokenId} is outside the vocabulary of ${c.vocabSize}`);
  return c;
}
