// A finished fine-tuning run's model rebuilt from its base and kept values, as Hugging Face files
// (a merged model, or PEFT adapters beside the base).
import type { TrainConfig } from '../../../../../common/contract';
import { adapterFiles, mergedModelFiles } from '../../../../ml/train/export';
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
}

/** File name → contents. */
export type ExportOutput = [string, Uint8Array | string][];

export const exportModel = defineTask<ExportInput, never, ExportOutput>({
  async run(input) {
    const { model, basePooler } = runClassifier(input);
    try {
      const files = input.merge || input.config.method === 'full'
        ? mergedModelFiles(model, input.labels, input.config.task)
        : adapterFiles(model, input.labels, input.config.task, input.config.lora, input.baseName, { basePooler });
      return [...files];
    } finally {
      model.dispose();
    }
  },
});
