// Masked-LM pretraining: continued from a model folder, or from scratch with a vocabulary learned
// from the corpus. Checkpoints are files beside the output (a BERT-base checkpoint with its AdamW
// state is over a gigabyte, more than a project file should carry): the task writes and reads them
// itself and tells main the step; everything else goes back as plain data.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { usesBaseModel, type PretrainConfig, type RunMemory } from '../../../../../common/contract';
import { ShirabeError } from '../../../../../common/errors';
import { deriveSeed, mulberry32 } from '../../../../../common/random';
import type { EncoderModel } from '../../../../ml/models/index';
import { packDocuments, type PackedSequence, type TokenizedDocument } from '../../../../ml/pretrain/masking';
import type { HeldOutLoss } from '../../../../ml/pretrain/mlm';
import { newTokenizer, newTokenizerFiles } from '../../../../ml/pretrain/newTokenizer';
import { sentencePairs } from '../../../../ml/pretrain/nsp';
import { Pretrain, type PretrainEvent as LoopEvent, type PretrainSettings } from '../../../../ml/pretrain/pretrain';
import { maskedLmFiles } from '../../../../ml/pretrain/save';
import { bertConfigJson, initialisedBert } from '../../../../ml/pretrain/scratch';
import { SimCseTraining } from '../../../../ml/simcse/train';
import type { Tokenizer } from '../../../../ml/tokenizers/types';
import { readConfig, readEncoder, readTokenizer, requireModelDir } from '../../../../modelFolders/modelFolder';
import { MemoryMeter } from '../../memoryMeter';
import { segmenterFor } from '../../../../modelFolders/segmenter';
import { decodePretrainCheckpoint, encodePretrainCheckpoint } from '../../../checkpoint';
import { learnVocabulary, replacementIds, requireMask, tokenizeDocuments, tokenizeSentences, tokenizerOptions } from './maskedLm';
import { defineTask } from '../../task';

export interface PretrainInput {
  config: PretrainConfig;
  train: string[];
  heldOut: string[];
  /** The checkpoint file (written after every checkpoint event; read first when it exists and `resume` is set). */
  checkpointPath: string;
  resume: boolean;
  /** Keys added to the written config.json (the run's provenance). */
  provenance: Record<string, unknown>;
}

/** A step or a held-out evaluation as it happens, or: the checkpoint file now holds this many optimizer steps. */
export type PretrainEvent = Exclude<LoopEvent, { type: 'checkpoint' }> | { type: 'checkpoint'; step: number };

export interface PretrainOutput {
  /** The Hugging Face folder's files: config, weights, tokenizer files written anew or copied by the caller. */
  files: [string, Uint8Array | string][];
  /** Tokenizer files to copy from the base model's folder (continued pretraining). */
  copyTokenizerFiles: boolean;
  initial: HeldOutLoss;
  final: HeldOutLoss;
  steps: number;
  sequences: { train: number; heldOut: number };
  parameters: number;
  vocabSize: number;
  /** Peak tensor bytes (the second step profiled) and the process's peak RSS. */
  memory: RunMemory;
}

/** Held-out sentences SimCSE's held-out loss is measured on (the first of them). */
const SIMCSE_HELD_OUT = 512;

/** Writes a file whole or not at all (a crash mid-write leaves the previous checkpoint). */
function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

export const pretrain = defineTask<PretrainInput, PretrainEvent, PretrainOutput>({
  async run(input, ctx) {
    // This task loads its own models: free the one embedding keeps.
    ctx.models.release();
    ctx.registerGradients();
    const c = input.config;
    const saved = input.resume && existsSync(input.checkpointPath) ? decodePretrainCheckpoint(new Uint8Array(readFileSync(input.checkpointPath))) : null;
    let model: EncoderModel;
    let tokenizer: Tokenizer;
    let vocab: string[] | null = null;
    let tokenizerFiles: [string, string | Uint8Array][] = [];
    const name = usesBaseModel(c.mode) ? basename(c.modelPath) : 'new model';
    if (usesBaseModel(c.mode)) {
      const dir = requireModelDir(c.modelPath);
      tokenizer = readTokenizer(dir, await segmenterFor(dir, ctx.morphology)).tokenizer;
      // The classifier a fine-tuned checkpoint may carry plays no part in masked-LM training.
      model = readEncoder(dir, readConfig(dir), ['classifier']);
    } else {
      const o = await tokenizerOptions(c.scratch.wordSplitter, c.scratch.lowercase, c.scratch.maxPositions, ctx);
      vocab = saved?.vocab ?? (await learnVocabulary(input.train, c.scratch.vocabSize, o, ctx, () => undefined)).vocab;
      tokenizer = newTokenizer(vocab, o);
      tokenizerFiles = [...newTokenizerFiles(vocab, o)];
      model = initialisedBert(bertConfigJson({ ...c.scratch, vocabSize: vocab.length }), deriveSeed(c.seed, 0x5eed));
    }
    let run: Pretrain | SimCseTraining | null = null;
    try {
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (c.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: c.maxLength, limit });
      const specials = { cls: tokenizer.special.cls ?? tokenizer.special.pad, sep: tokenizer.special.sep ?? tokenizer.special.pad };
      const settings: PretrainSettings = { ...c, evalSeeds: Array.from({ length: c.evalSeeds }, (_, i) => i) };
      // The loop of the mode: SimCSE over the corpus's sentences, or masked-LM over packed text (or sentence pairs with NSP).
      const simcse = async () => {
        // Sentences of the corpus, each [CLS] … [SEP] within the maximum length.
        const sentencesOf = async (texts: string[]) =>
          (await tokenizeSentences(tokenizer, texts, ctx)).flat().filter((s) => s.ids.length > 0).map((s) => [specials.cls, ...s.ids.slice(0, c.maxLength - 2), specials.sep]);
        const train = await sentencesOf(input.train);
        // The held-out loss is a mean over batches: the first held-out sentences keep it quick.
        const heldOut = (await sentencesOf(input.heldOut)).slice(0, SIMCSE_HELD_OUT);
        if (train.length < Math.max(2, c.batchSize)) throw new ShirabeError('pretrainTooLittleText', { sequences: train.length, maxLength: c.maxLength, min: Math.max(2, c.batchSize) });
        if (heldOut.length < 2) throw new ShirabeError('pretrainTooLittleHeldOut', { maxLength: c.maxLength });
        return { loop: new SimCseTraining(model, { train, heldOut, padId: tokenizer.special.pad }, { ...settings, temperature: c.temperature }, saved?.state), sizes: { train: train.length, heldOut: heldOut.length } };
      };
      const maskedLm = async () => {
        const maskId = requireMask(tokenizer, name);
        const pack = (docs: TokenizedDocument[]): PackedSequence[] => packDocuments(docs, { length: c.maxLength, ...specials });
        // Until the first step the job shows no fraction: tokenizing takes seconds, training hours.
        const train = c.nsp
          ? sentencePairs(await tokenizeSentences(tokenizer, input.train, ctx), { length: c.maxLength, ...specials, shortSequenceProbability: 0.1 }, mulberry32(deriveSeed(c.seed, 0x9a12)))
          : pack(await tokenizeDocuments(tokenizer, input.train, ctx));
        const heldOut = pack(await tokenizeDocuments(tokenizer, input.heldOut, ctx));
        if (train.length < c.batchSize) throw new ShirabeError('pretrainTooLittleText', { sequences: train.length, maxLength: c.maxLength, min: c.batchSize });
        if (heldOut.length === 0) throw new ShirabeError('pretrainTooLittleHeldOut', { maxLength: c.maxLength });
        return { loop: new Pretrain(model, { train, heldOut, maskId, padId: tokenizer.special.pad, replacementIds: replacementIds(tokenizer) }, settings, saved?.state), sizes: { train: train.length, heldOut: heldOut.length } };
      };
      const { loop, sizes } = c.mode === 'simcse' ? await simcse() : await maskedLm();
      run = loop;
      const gen = loop.run();
      const meter = new MemoryMeter();
      let steps = 0;
      for (;;) {
        // The second step under tf.profile (the first warms up): its peak is every step's.
        const next = steps >= 1 && meter.wantsProfile ? await meter.profile(() => gen.next(), (r) => !r.done && r.value.type === 'step') : await gen.next();
        if (next.done) {
          const { initial, final, steps } = next.value;
          let parameters = 0;
          for (const v of model.parameters().values()) parameters += v.size;
          await model.cacheForExport();
          const files = [...maskedLmFiles(model, input.provenance), ...tokenizerFiles];
          return { files, copyTokenizerFiles: usesBaseModel(c.mode), initial, final, steps, sequences: sizes, parameters, vocabSize: model.config.vocabSize, memory: meter.result() };
        }
        const ev = next.value;
        if (ev.type === 'checkpoint') {
          const state = await loop.checkpoint();
          writeAtomically(input.checkpointPath, encodePretrainCheckpoint({ state, vocab }));
          ctx.emit({ type: 'checkpoint', step: state.step });
        } else {
          ctx.emit(ev);
          if (ev.type === 'step') {
            steps++;
            meter.sample();
            ctx.progress(ev.step, ev.total);
          }
        }
        await ctx.checkCancel();
      }
    } finally {
      run?.dispose();
      model.dispose();
    }
  },
});
