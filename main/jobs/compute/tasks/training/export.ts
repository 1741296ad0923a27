// A finished fine-tuning run's model rebuilt from its base and kept values, as Hugging Face files
// (a merged model, or PEFT adapters beside the base), or as an ONNX graph of its logits.
import type { TrainConfig } from '../../../../../common/contract';
import { join } from 'node:path';
import { encoderGraph } from '../../../../ml/onnx/encoderGraph';
import { adapterFiles, classifierConfig, mergedModelFiles } from '../../../../ml/train/export';
import { writeEncoderGraph } from '../../onnxFiles';
import { runClassifier } from './classifier';
import { defineTask } from '../../task';

export interface ExportInput {
  modelPath: string;
  config: TrainConfig;
  labels: string[];
  /** The run's kept trainable values (our layout), as stored. */
  values: Map<string, Float32Array>;
  merge: boolean;
  /** adapter_config.json's base_model_name_or_path. */
  baseName: string;
  /**
   * onnx: model.onnx, the sequence classifier's logits (LoRA folded in; int64 inputs input_ids,
   * attention_mask and, where the model has them, token_type_ids, with dynamic batch and sequence
   * axes; output logits [batch, labels]), and config.json with the labels.
   */
  format?: 'huggingface' | 'onnx';
  /**
   * onnx: the folder model.onnx is written into by the worker itself, with its weights in
   * model.onnx.data beside it when they exceed `externalDataLimit` (default 1.8 GiB: a protobuf
   * message cannot exceed 2 GiB), streamed tensor by tensor. Without it model.onnx comes back as
   * bytes (a model under the limit only).
   */
  outDir?: string;
  externalDataLimit?: number;
}

/** File name → contents; null: already written into `outDir` by the task. */
export type ExportOutput = [string, Uint8Array | string | null][];

export const exportModel = defineTask<ExportInput, never, ExportOutput>({
  async run(input) {
    const { model, basePooler } = runClassifier(input);
    try {
      await model.cacheForExport();
      if (input.format === 'onnx') {
        const config = JSON.stringify(classifierConfig(model, input.labels, input.config.task), null, 2);
        const graph: ExportOutput = [];
        if (input.outDir) {
          const written = writeEncoderGraph(model, { logits: true }, join(input.outDir, 'model.onnx'), { limit: input.externalDataLimit }, 'sequence-classifier');
          graph.push(['model.onnx', null]);
          if (written.location) graph.push([written.location, null]);
        } else {
          graph.push(['model.onnx', encoderGraph(model, { logits: true }, 'sequence-classifier')]);
        }
        return [...graph, ['config.json', `${config}\n`]];
      }
      const files = input.merge || input.config.method === 'full'
        ? mergedModelFiles(model, input.labels, input.config.task)
        : adapterFiles(model, input.labels, input.config.task, input.config.lora, input.baseName, { basePooler });
      return [...files];
    } finally {
      model.dispose();
    }
  },
});
