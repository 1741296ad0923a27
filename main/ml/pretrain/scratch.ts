// A BERT with fresh weights, for pretraining from scratch: its config.json as transformers'
// BertConfig writes it, and weights drawn as BertPreTrainedModel._init_weights draws them
// (Linear and Embedding weights ~ N(0, initializer_range), the padding row zero, LayerNorm 1/0,
// biases 0), from a seeded stream so the same seed gives the same model.
import type { BertShape } from '../../../common/bertSize';
import { mulberry32, normals } from '../../../common/random';
import { EncoderModel } from '../models/encoder';
import type { LoadedParam } from '../models/load';
import { parseModelConfig } from '../models/index';

/** config.json of a BertForMaskedLM with this shape; defaults are BertConfig's, each said why. */
export function bertConfigJson(shape: BertShape, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    vocab_size: shape.vocabSize,
    hidden_size: shape.hiddenSize,
    num_hidden_layers: shape.numLayers,
    num_attention_heads: shape.numHeads,
    intermediate_size: shape.intermediateSize,
    max_position_embeddings: shape.maxPositions,
    type_vocab_size: shape.typeVocabSize,
    // BertConfig's defaults: exact GELU, dropout 0.1 on hidden states and attention, N(0, 0.02) initialisation.
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    // [PAD] is id 0 in every vocabulary Shirabe learns (BERT's order).
    pad_token_id: 0,
    tie_word_embeddings: true,
    dtype: 'float32',
    ...extra,
  };
}

/** A BERT with masked-LM head and fresh weights drawn from `seed`. */
export function initialisedBert(raw: Record<string, unknown>, seed: number): EncoderModel {
  const { arch, config } = parseModelConfig(raw);
  const normal = normals(mulberry32(seed));
  const params = new Map<string, LoadedParam>();
  for (const spec of arch.params(config)) {
    // The pretraining model: backbone and masked-LM head (its decoder is the tied word embeddings).
    if ((spec.group !== 'encoder' && spec.group !== 'mlm') || spec.optional) continue;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (spec.linear || (spec.key.startsWith('embeddings.') && !spec.key.includes('norm'))) {
      for (let i = 0; i < size; i++) data[i] = normal() * config.initializerRange;
      // nn.Embedding(padding_idx=pad_token_id): _init_weights zeroes that row.
      if (spec.key === 'embeddings.word') data.fill(0, config.padTokenId * config.hiddenSize, (config.padTokenId + 1) * config.hiddenSize);
    } else if (/norm\.weight$/i.test(spec.key)) data.fill(1); // embeddings.norm, layer.i.attentionNorm, layer.i.outputNorm, mlm.norm
    params.set(spec.key, { shape: spec.shape, data });
  }
  return new EncoderModel(config, arch, params);
}
