// A pretrained encoder as the Hugging Face folder transformers' AutoModelForMaskedLM loads:
// config.json (the …ForMaskedLM class, float32) and model.safetensors under transformers' names.
// A tied decoder is not written (transformers re-ties it to the word embeddings on load, and
// save_pretrained itself drops the shared tensor); an untied one is.
import { transposed } from '../read';
import type { ModelType } from '../models/config';
import type { EncoderModel } from '../models/encoder';
import { configJson, hfName, ptFormat, type ExportFiles } from '../train/export';
import { encodeSafetensors, type WritableTensor } from '../weights/safetensorsWrite';

/** transformers' masked-LM class per model_type. */
export const maskedLmClass: Record<ModelType, string> = {
  bert: 'BertForMaskedLM',
  roberta: 'RobertaForMaskedLM',
  'xlm-roberta': 'XLMRobertaForMaskedLM',
  distilbert: 'DistilBertForMaskedLM',
};

/** The model has a trained next-sentence head: it is saved as BertForPreTraining (with the pooler under it). */
const hasNsp = (model: EncoderModel) => model.parameters().has('nsp.weight') && model.heads.pooler;

/** Backbone and masked-LM head (and the pooler and next-sentence head, when trained) in torch's layout under transformers' names. */
export function maskedLmTensors(model: EncoderModel): Map<string, WritableTensor> {
  if (!model.heads.mlm) throw new Error('the model has no masked-LM head to save');
  const params = model.parameters();
  const out = new Map<string, WritableTensor>();
  const groups = new Set(hasNsp(model) ? ['encoder', 'mlm', 'pooler', 'nsp'] : ['encoder', 'mlm']);
  for (const spec of model.arch.params(model.config)) {
    if (!groups.has(spec.group)) continue;
    if (spec.key === 'mlm.decoder.weight') {
      if (model.tiedDecoder) continue;
      // Kept as [H, V] for the product; torch's nn.Linear(H, V) weight is [V, H].
      const w = params.get('mlm.decoder.weightT')!;
      const [h, v] = w.shape;
      out.set(hfName(model, spec), { shape: [v, h], data: transposed(w.dataSync(), h, v) });
      continue;
    }
    out.set(hfName(model, spec), model.exportParam(spec.key));
  }
  return out;
}

/** config.json and model.safetensors of the model as a …ForMaskedLM (BertForPreTraining with NSP); `config` adds or replaces keys. */
export function maskedLmFiles(model: EncoderModel, config: Record<string, unknown> = {}): ExportFiles {
  const architecture = hasNsp(model) ? 'BertForPreTraining' : maskedLmClass[model.config.modelType];
  const raw: Record<string, unknown> = { ...model.config.raw, architectures: [architecture], dtype: 'float32', ...config };
  if ('torch_dtype' in raw) raw.torch_dtype = 'float32';
  return new Map<string, Uint8Array | string>([
    ['config.json', configJson(raw)],
    ['model.safetensors', encodeSafetensors(maskedLmTensors(model), ptFormat)],
  ]);
}
