// The BERT-base-sized model the speed benchmarks run (bench/embed.ts, bench/attribution.ts): the
// shapes of cl-tohoku/bert-base-japanese-v3 with seeded random weights, so no checkpoint download is needed.
import { writeFileSync } from 'node:fs';
import { mulberry32 } from '../common/random';
import { parseModelConfig, type EncoderModel } from '../main/ml/models/index';
import { hfName } from '../main/ml/train/export';
import { loraParams } from '../main/ml/train/lora';
import { encodeSafetensors, type WritableTensor } from '../main/ml/weights/safetensorsWrite';
import type { TensorReader } from '../main/ml/weights/types';

/** A BERT-base config.json as cl-tohoku/bert-base-japanese-v3 has it (vocabulary 32,000); with `numLabels`, a sequence classifier's. */
export function bertBaseConfig(layers = 12, numLabels?: number): Record<string, unknown> {
  return {
    architectures: [numLabels === undefined ? 'BertModel' : 'BertForSequenceClassification'],
    model_type: 'bert',
    vocab_size: 32000,
    hidden_size: 768,
    num_hidden_layers: layers,
    num_attention_heads: 12,
    intermediate_size: 3072,
    hidden_act: 'gelu',
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
    initializer_range: 0.02,
    ...(numLabels === undefined ? {} : { num_labels: numLabels }),
  };
}

/**
 * A checkpoint reader over the architecture's own parameter list (backbone only, BertModel
 * names): normal(0, 0.02) weights, LayerNorm weight 1 and bias 0, other biases 0 (transformers'
 * _init_weights), each tensor from its own mulberry32 + Box–Muller stream so the values do not
 * depend on the order the loader reads them in. Data is made when read.
 */
export function randomBert(raw: Record<string, unknown>, seed: number): TensorReader {
  const { arch, config } = parseModelConfig(raw);
  const specs = arch.params(config).filter((s) => s.group === 'encoder' && !s.optional);
  const tensors = new Map(specs.map((s) => [s.names[0], { name: s.names[0], dtype: 'F32', shape: s.shape }]));
  const index = new Map(specs.map((s, i) => [s.names[0], i]));
  return {
    tensors,
    read(name) {
      const { shape } = tensors.get(name)!;
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      if (name.includes('LayerNorm')) {
        if (name.endsWith('weight')) data.fill(1);
      } else if (!name.endsWith('bias')) {
        const rand = mulberry32(seed + index.get(name)!);
        for (let i = 0; i < data.length; i += 2) {
          const r = 0.02 * Math.sqrt(-2 * Math.log(1 - rand()));
          const a = 2 * Math.PI * rand();
          data[i] = r * Math.cos(a);
          if (i + 1 < data.length) data[i + 1] = r * Math.sin(a);
        }
      }
      return data;
    },
  };
}

/**
 * The model's backbone, pooler and classifier as a …ForSequenceClassification checkpoint (Hugging
 * Face names, torch's [out, in] Linear weights) and, with LoRA attached, its adapters in PEFT's
 * layout under "lora.", as one safetensors file for the PyTorch peers.
 */
export function writeClassifierWeights(model: EncoderModel, path: string): void {
  const groups = new Set(['encoder', 'pooler', 'classifier']);
  const tensors = model.specs.filter((s) => groups.has(s.group) && model.has(s.key)).map((s): [string, WritableTensor] => [hfName(model, s), model.exportParam(s.key)]);
  for (const [name, p] of loraParams(model)) tensors.push([`lora.${name}`, p]);
  writeFileSync(path, encodeSafetensors(tensors));
}
