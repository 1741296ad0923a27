// The size of a BERT made from scratch, computed from its config alone, so the pretraining wizard
// can show the parameter count live as the researcher edits hidden size, layers and vocabulary.

/** The config.json fields of a BERT that decide its shape (transformers' BertConfig names in camelCase). */
export interface BertShape {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositions: number;
  typeVocabSize: number;
}

/**
 * Parameters of BertForMaskedLM (decoder tied to the word embeddings, so not counted twice), plus
 * the pooler and next-sentence head of BertForPreTraining when `nsp`.
 */
export function bertParameterCount(c: BertShape, nsp = false): number {
  const { vocabSize: V, hiddenSize: H, numLayers: L, intermediateSize: I, maxPositions: P, typeVocabSize: T } = c;
  const embeddings = (V + P + T) * H + 2 * H; // three tables and a LayerNorm
  const layer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H; // Q, K, V, attention output; LayerNorm; feed-forward; LayerNorm
  const mlmHead = H * H + H + 2 * H + V; // transform dense, LayerNorm, output bias
  const nspHead = nsp ? H * H + H + 2 * H + 2 : 0; // pooler, seq_relationship
  return embeddings + L * layer + mlmHead + nspHead;
}

const shapeFields: readonly (keyof BertShape)[] = ['vocabSize', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositions', 'typeVocabSize'];

/** What is wrong with a shape (other fields of the object, such as a tokenizer's, are not looked at), as message keys with their values (empty when it is fine). */
export function bertShapeProblems(c: BertShape): { key: 'headsDivide' | 'positive'; field: keyof BertShape }[] {
  const out: { key: 'headsDivide' | 'positive'; field: keyof BertShape }[] = [];
  for (const field of shapeFields) if (!Number.isInteger(c[field]) || c[field] < 1) out.push({ key: 'positive', field });
  if (out.length === 0 && c.hiddenSize % c.numHeads !== 0) out.push({ key: 'headsDivide', field: 'numHeads' });
  return out;
}
