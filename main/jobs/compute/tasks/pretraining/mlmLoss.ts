// Held-out masked-LM loss of several models on the same texts, averaged over mask seeds.
import { basename } from 'node:path';
import { ShirabeError } from '../../../../../common/errors';
import { packDocuments } from '../../../../ml/pretrain/masking';
import { heldOutMlmLoss, type HeldOutLoss } from '../../../../ml/pretrain/mlm';
import { readConfig, readEncoder, readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { replacementIds, requireMask, tokenizeDocuments } from './maskedLm';
import { defineTask } from '../../task';

export interface MlmLossInput {
  modelPaths: string[];
  texts: string[];
  maxLength: number;
  seeds: number;
  mlmProbability: number;
  wholeWordMasking: boolean;
  batchSize: number;
}

export interface MlmLossOutput {
  /** Per model, in the input's order. */
  losses: HeldOutLoss[];
}

export const mlmLoss = defineTask<MlmLossInput, never, MlmLossOutput>({
  async run(input, ctx) {
    // This task loads its own models: free the one embedding keeps.
    ctx.models.release();
    const losses = [];
    const seeds = Array.from({ length: input.seeds }, (_, i) => i);
    // Progress in batches over all models and seeds (sequence counts are known per model once tokenized).
    let done = 0;
    for (const path of input.modelPaths) {
      const dir = requireModelDir(path);
      const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
      const model = readEncoder(dir, readConfig(dir), ['classifier']);
      try {
        if (!model.heads.mlm) throw new ShirabeError('modelNoMaskedLmHead', { name: basename(dir) });
        const limit = model.config.maxPositions - model.config.positionOffset;
        if (input.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: input.maxLength, limit });
        const docs = await tokenizeDocuments(tokenizer, input.texts, ctx);
        const seqs = packDocuments(docs, { length: input.maxLength, cls: tokenizer.special.cls ?? tokenizer.special.pad, sep: tokenizer.special.sep ?? tokenizer.special.pad });
        if (seqs.length === 0) throw new ShirabeError('pretrainTooLittleHeldOut', { maxLength: input.maxLength });
        const batches = Math.ceil(seqs.length / input.batchSize) * seeds.length;
        const total = batches * input.modelPaths.length;
        losses.push(
          await heldOutMlmLoss(model, seqs, {
            probability: input.mlmProbability, wholeWord: input.wholeWordMasking, maskId: requireMask(tokenizer, basename(dir)), replacementIds: replacementIds(tokenizer),
            seeds, padId: tokenizer.special.pad, batchSize: input.batchSize,
            // Models with another tokenizer may make more batches: the count is an estimate, capped.
            onBatch: () => ctx.progress(Math.min(++done, total), total),
          }),
        );
        await ctx.checkCancel();
      } finally {
        model.dispose();
      }
    }
    return { losses };
  },
});
