// Training a table-filling extractor (TabERT / TabERT-CNN) on annotated sentences: the sweep's
// steps, epochs (with dev scores) and checkpoints stream to main as events; the kept values and the
// dev and test sentences predicted with them come back at the end.
import type { EntityTrainConfig, RunMemory } from '../../../../../common/contract';
import type { EntitySchema } from '../../../../../common/entities';
import { ShirabeError } from '../../../../../common/errors';
import { EntityTraining, Extractor, type DevScores, type Predicted } from '../../../../ml/entities/train';
import type { SweepCheckpoint, SweepOutcome } from '../../../../ml/train/sweep';
import { readTokenizer } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { driveSweep, type SweepTaskEvent } from '../../sweepTask';
import { defineTask } from '../../task';
import { entityBase } from './model';
import type { EntitySentence } from './types';

export interface EntityTrainInput {
  modelPath: string;
  config: EntityTrainConfig;
  schema: EntitySchema;
  train: EntitySentence[];
  dev: EntitySentence[];
  test: EntitySentence[];
  resume?: SweepCheckpoint;
}

export type EntityTrainEvent = SweepTaskEvent<DevScores>;

export interface EntityTrainOutput {
  best: SweepOutcome['best'];
  summaries: SweepOutcome['summaries'];
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** The dev and test sentences predicted by the kept model, in the input's order. */
  dev: Predicted[];
  test: Predicted[];
  /** Sentences (train, dev, test) with words past maxLength subwords. */
  truncated: number;
  modelType: string;
  memory: RunMemory;
}

export const entitiesTrain = defineTask<EntityTrainInput, EntityTrainEvent, EntityTrainOutput>({
  async run(input, ctx) {
    ctx.registerGradients();
    const { dir, model } = entityBase(input.modelPath);
    let extractor: Extractor | null = null;
    let training: EntityTraining | null = null;
    try {
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (input.config.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.config.maxLength, limit });
      if (input.config.layer !== null && input.config.layer > model.config.numLayers) throw new ShirabeError('entitiesLayerOutOfRange', { layer: input.config.layer, layers: model.config.numLayers });
      const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
      extractor = Extractor.create(model, tokenizer, input.schema, input.config);
      training = await EntityTraining.create(extractor, { train: input.train, dev: input.dev }, input.resume, () => ctx.checkCancel());
      const t = training;
      const ex = extractor;
      const { outcome, meter } = await driveSweep(t.run(), () => t.checkpoint(), (e) => ctx.emit(e), ctx);
      const shapes = new Map([...outcome.values.keys()].map((k): [string, number[]] => [k, ex.shapeOf(k)]));
      const { predicted: dev } = await t.evaluateDev();
      const testEncoded = input.test.map((s) => ex.encode(s.words));
      const { predicted: test } = await ex.predict(testEncoded, { batchSize: Math.max(input.config.batchSize, 16), onBatch: () => ctx.checkCancel() });
      return {
        best: outcome.best,
        summaries: outcome.summaries,
        values: outcome.values,
        shapes,
        dev,
        test,
        truncated: t.truncated + testEncoded.filter((e) => e.wordsKept < e.numWords).length,
        modelType: model.config.modelType,
        memory: meter.result(),
      };
    } finally {
      training?.dispose();
      extractor?.dispose();
      model.dispose();
    }
  },
});
