// Fine-tuning a classifier (a learning-rate sweep, best epoch by validation loss); steps, epochs
// and checkpoints stream to main as events, the kept values and the logits come back at the end.
import type { RunMemory, TrainConfig } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import type { EncoderModel } from '../../../../ml/models/index';
import { encodeLong } from '../../../../ml/tokenizers/long';
import { FineTune, predictLogits, type EpochEvent, type FineTuneCheckpoint, type StepEvent } from '../../../../ml/train/fineTune';
import { trainableValue } from '../../../../ml/train/lora';
import type { Example } from '../../../../ml/train/trainer';
import { readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { classifierBase } from './classifier';
import { driveSweep } from '../../sweepTask';
import { defineTask } from '../../task';

/** Documents of one split for training: texts and targets (class index, or 0/1 per label). */
export interface TrainSplit {
  texts: string[];
  targets: (number | number[])[];
}

export interface TrainInput {
  modelPath: string;
  config: TrainConfig;
  labels: string[];
  train: TrainSplit;
  validation: TrainSplit;
  test: TrainSplit;
  resume?: FineTuneCheckpoint;
}

/** A step or an epoch as it happens, or the state to save (main keeps it for a resume). */
export type TrainEvent = StepEvent | EpochEvent | { type: 'checkpoint'; checkpoint: FineTuneCheckpoint };

export interface TrainOutput {
  best: { learningRateIndex: number; epoch: number; loss: number };
  summaries: FineTuneCheckpoint['summaries'];
  /** The kept model's trainable values by key ("lora:…" adapters, or every parameter for full fine-tuning), our layout. */
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** [n × K] logits of the validation and test documents, in the input's order. */
  validationLogits: Float32Array;
  testLogits: Float32Array;
  modelType: string;
  truncated: number;
  /** Peak tensor bytes (the second step profiled) and the process's peak RSS. */
  memory: RunMemory;
}

/** The shape of a trainable value: a model parameter, or a LoRA adapter ("lora:<linear>.a|b"). */
function trainableShape(model: EncoderModel, key: string): number[] {
  return trainableValue(model, key)!.shape;
}

export const train = defineTask<TrainInput, TrainEvent, TrainOutput>({
  async run(input, ctx) {
    ctx.registerGradients();
    const dir = requireModelDir(input.modelPath);
    const K = input.labels.length;
    const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
    const model = classifierBase(dir, input.labels);
    let fineTune: FineTune | null = null;
    try {
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (input.config.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.config.maxLength, limit });
      let truncated = 0;
      const examples = async (split: TrainSplit): Promise<Example[]> => {
        const out: Example[] = [];
        for (let i = 0; i < split.texts.length; i++) {
          const e = encodeLong(tokenizer, split.texts[i], { maxLength: input.config.maxLength, truncation: input.config.truncation });
          if (e.truncated > 0) truncated++;
          out.push({ ids: e.ids, tokenTypeIds: e.tokenTypeIds, target: split.targets[i] });
          if (i % 256 === 255) await ctx.checkCancel();
        }
        return out;
      };
      const data = { train: await examples(input.train), validation: await examples(input.validation), numLabels: K, padId: tokenizer.special.pad };
      const test = await examples(input.test);
      fineTune = await FineTune.create(model, data, input.config, input.resume);
      const ft = fineTune;
      const { outcome, meter } = await driveSweep(ft.run(), () => ft.checkpoint(), (e) => ctx.emit(e), ctx);
      const shapes = new Map([...outcome.values.keys()].map((k): [string, number[]] => [k, trainableShape(model, k)]));
      return {
        best: outcome.best,
        summaries: outcome.summaries,
        values: outcome.values,
        shapes,
        validationLogits: await predictLogits(model, data.validation, data.padId),
        testLogits: await predictLogits(model, test, data.padId),
        modelType: model.config.modelType,
        truncated,
        memory: meter.result(),
      };
    } finally {
      fineTune?.dispose();
      model.dispose();
    }
  },
});
