// A finished fine-tuning run's model rebuilt from its base and kept values, as Hugging Face files
// (a merged model, or PEFT adapters beside the base).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../../../../../common/contract';
import { adapterFiles, mergedModelFiles } from '../../../../ml/train/export';
import { attachLora, trainableValue } from '../../../../ml/train/lora';
import { requireModelDir } from '../../../../modelFolders/modelFolder';
import { classifierBase } from './classifier';
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
}

/** File name → contents. */
export type ExportOutput = [string, Uint8Array | string][];

export const exportModel = defineTask<ExportInput, never, ExportOutput>({
  async run(input) {
    const model = classifierBase(requireModelDir(input.modelPath), input.labels);
    try {
      const basePooler = model.heads.pooler;
      // Head and adapters are created only to be overwritten by the run's values.
      if (model.classifierStyle === 'pooler' && !basePooler) model.initHead('pooler', () => 0);
      model.initHead('classifier', () => 0);
      if (input.config.method === 'lora') attachLora(model, input.config.lora, () => 0.5);
      for (const [key, data] of input.values) {
        const v = trainableValue(model, key);
        if (!v || v.size !== data.length) throw new Error(`the run's tensor ${key} does not fit the base model`);
        tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
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
