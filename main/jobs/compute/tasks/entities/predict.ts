// A trained extractor applied to sentences (words): the decoded entities and relations with their
// probabilities, sent a chunk at a time (an extraction run writes each chunk with its checkpoint)
// or returned at the end; with `tables`, each sentence's filled table for the viewer.
import { ShirabeError } from '../../../../../common/errors';
import { Extractor, type Predicted, type TableProbabilities } from '../../../../ml/entities/train';
import { readTokenizer } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { defineTask } from '../../task';
import { entityBase } from './model';
import type { Extractor as ExtractorValues } from './types';

export interface EntityPredictInput {
  extractor: ExtractorValues;
  sentences: string[][];
  tables: boolean;
  /** Sentences per 'chunk' event; 0 = none (everything in the output). */
  chunk: number;
  batchSize: number;
}

export interface EntityPredictChunk {
  type: 'chunk';
  /** Index of the chunk's first sentence. */
  from: number;
  predicted: Predicted[];
}

export interface EntityPredictOutput {
  /** Every sentence's prediction when no chunks were asked for; else empty (the chunks carried them). */
  predicted: Predicted[];
  tables: TableProbabilities[] | null;
  /** Sentences with words past maxLength (their last words were not read). */
  truncated: number;
}

export const entitiesPredict = defineTask<EntityPredictInput, EntityPredictChunk, EntityPredictOutput>({
  async run(input, ctx) {
    const { extractor: e } = input;
    const { dir, model } = entityBase(e.modelPath);
    let extractor: Extractor | null = null;
    try {
      const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
      extractor = Extractor.restore(model, tokenizer, e.schema, e.config, e.values, e.runId);
      const ex = extractor;
      const total = input.sentences.length;
      const size = input.chunk > 0 ? input.chunk : Math.max(1, total);
      const predicted = [];
      const tables = [];
      let truncated = 0;
      for (let from = 0; from < total; from += size) {
        const encoded = input.sentences.slice(from, from + size).map((words) => ex.encode(words));
        truncated += encoded.filter((x) => x.wordsKept < x.numWords).length;
        const r = await ex.predict(encoded, {
          batchSize: input.batchSize,
          keepTables: input.tables,
          onBatch: async (done) => {
            ctx.progress(from + done, total);
            if (ctx.cancelled()) throw new ShirabeError('cancelled');
            await ctx.yieldToMessages();
          },
        });
        if (input.chunk > 0) ctx.emit({ type: 'chunk', from, predicted: r.predicted });
        else predicted.push(...r.predicted);
        if (r.tables) tables.push(...r.tables);
        await ctx.checkCancel();
      }
      return { predicted, tables: input.tables ? tables : null, truncated };
    } finally {
      extractor?.dispose();
      model.dispose();
    }
  },
});
