// The compute worker's masked-LM tasks: domain pretraining (continued or from scratch with a
// vocabulary learned from the corpus), held-out masked-LM loss of several models, and vocabulary
// learning alone. Checkpoints are files beside the output (a BERT-base checkpoint with its AdamW
// state is over a gigabyte, more than a project file should carry); everything else goes back to
// the main thread as plain data.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ShirabeError } from '../../../common/errors';
import { deriveSeed, mulberry32 } from '../../../common/random';
import type { Morphology } from '../../corpus/morphology';
import type { EncoderModel } from '../../ml/models/index';
import { packDocuments, wordNumbers, type PackedSequence, type TokenizedDocument } from '../../ml/pretrain/masking';
import { heldOutMlmLoss } from '../../ml/pretrain/mlm';
import { sentencePairs, splitSentences } from '../../ml/pretrain/nsp';
import { newTokenizer, newTokenizerFiles, wordSplitter, type NewTokenizerOptions } from '../../ml/pretrain/newTokenizer';
import { Pretrain, type PretrainSettings } from '../../ml/pretrain/pretrain';
import { maskedLmFiles } from '../../ml/pretrain/save';
import { bertConfigJson, initialisedBert } from '../../ml/pretrain/scratch';
import { learnWordPiece, WordCounter } from '../../ml/pretrain/vocab';
import type { Tokenizer } from '../../ml/tokenizers/types';
import { readConfig, readEncoder, readTokenizer, requireModelDir } from '../../modelFolders/modelFolder';
import { kuromojiSegmenter, segmenterFor } from '../../modelFolders/segmenter';
import { decodePretrainCheckpoint, encodePretrainCheckpoint } from '../checkpoint';
import type { FromWorker, MlmLossTask, PretrainTask, VocabTask } from './protocol';

export interface TaskContext {
  jobId: string;
  send(message: FromWorker, transfer?: ArrayBuffer[]): void;
  cancelled(): boolean;
  yieldToMessages(): Promise<void>;
  morphology(): Promise<Morphology>;
  registerGradients(): void;
}

/** Throws 'cancelled' when the job was cancelled, after letting messages (cancel, status) in. */
async function checkpointForCancel(ctx: TaskContext): Promise<void> {
  await ctx.yieldToMessages();
  if (ctx.cancelled()) throw new ShirabeError('cancelled');
}

/** Texts tokenized without specials, each token with its word number. */
async function tokenizeDocuments(tokenizer: Tokenizer, texts: readonly string[], ctx: TaskContext): Promise<TokenizedDocument[]> {
  const out: TokenizedDocument[] = [];
  for (let i = 0; i < texts.length; i++) {
    const e = tokenizer.encode(texts[i], { addSpecialTokens: false });
    out.push({ ids: e.ids, words: wordNumbers(e.tokens) });
    if (i % 64 === 63) await checkpointForCancel(ctx);
  }
  return out;
}

/** Texts as lists of tokenized sentences (for next-sentence pairs); word numbers run on across a text's sentences. */
async function tokenizeSentences(tokenizer: Tokenizer, texts: readonly string[], ctx: TaskContext): Promise<TokenizedDocument[][]> {
  const out: TokenizedDocument[][] = [];
  for (let i = 0; i < texts.length; i++) {
    let base = 0;
    out.push(
      splitSentences(texts[i]).map((sentence) => {
        const e = tokenizer.encode(sentence, { addSpecialTokens: false });
        const words = wordNumbers(e.tokens).map((w) => w + base);
        base = Math.max(base, ...words.map((w) => w + 1));
        return { ids: e.ids, words };
      }),
    );
    if (i % 64 === 63) await checkpointForCancel(ctx);
  }
  return out;
}

/** Ids a random replacement may take: the vocabulary without special and bracketed control tokens ([unused0], <s>…). */
function replacementIds(tokenizer: Tokenizer): number[] {
  const specials = new Set(Object.values(tokenizer.special).filter((v): v is number => v !== null));
  const out: number[] = [];
  for (let id = 0; id < tokenizer.vocabSize; id++) {
    const t = tokenizer.idToToken(id);
    if (t === undefined || specials.has(id) || /^\[[^\]]*\]$|^<[^>]*>$/.test(t)) continue;
    out.push(id);
  }
  return out;
}

function requireMask(tokenizer: Tokenizer, name: string): number {
  if (tokenizer.special.mask === null) throw new ShirabeError('tokenizerInvalid', { detail: `${name}: the tokenizer has no mask token` });
  return tokenizer.special.mask;
}

/** Word counts over texts and the WordPiece vocabulary learned from them. */
async function learnVocabulary(texts: readonly string[], vocabSize: number, o: NewTokenizerOptions, ctx: TaskContext, progress: (done: number, total: number) => void): Promise<{ vocab: string[]; words: number }> {
  const splitter = wordSplitter(o);
  const counter = new WordCounter();
  for (let i = 0; i < texts.length; i++) {
    counter.add(splitter.wordsOf(texts[i]));
    if (i % 64 === 63) {
      progress((i + 1) / texts.length / 2, 1);
      await checkpointForCancel(ctx);
    }
  }
  const vocab = learnWordPiece(counter.counts, { vocabSize, onProgress: (done, total) => progress(0.5 + Math.min(1, done / total) / 2, 1), shouldStop: () => ctx.cancelled() });
  return { vocab, words: counter.size };
}

async function tokenizerOptions(splitter: NewTokenizerOptions['wordSplitter'], lowercase: boolean, maxLength: number, ctx: TaskContext): Promise<NewTokenizerOptions> {
  return { wordSplitter: splitter, lowercase, maxLength, segmenter: splitter === 'mecab' ? kuromojiSegmenter(await ctx.morphology()) : undefined };
}

/** Writes a file whole or not at all (a crash mid-write leaves the previous checkpoint). */
function writeAtomically(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

export async function runPretrain(task: PretrainTask, ctx: TaskContext): Promise<void> {
  ctx.registerGradients();
  const c = task.config;
  const saved = task.resume && existsSync(task.checkpointPath) ? decodePretrainCheckpoint(new Uint8Array(readFileSync(task.checkpointPath))) : null;
  const progress = (done: number, total: number) => ctx.send({ type: 'progress', jobId: ctx.jobId, done, total });
  let model: EncoderModel;
  let tokenizer: Tokenizer;
  let vocab: string[] | null = null;
  let tokenizerFiles: [string, string | Uint8Array][] = [];
  const name = c.mode === 'continue' ? basename(c.modelPath) : 'new model';
  if (c.mode === 'continue') {
    const dir = requireModelDir(c.modelPath);
    tokenizer = readTokenizer(dir, await segmenterFor(dir, ctx.morphology)).tokenizer;
    // The classifier a fine-tuned checkpoint may carry plays no part in masked-LM training.
    model = readEncoder(dir, readConfig(dir), ['classifier']);
  } else {
    const o = await tokenizerOptions(c.scratch.wordSplitter, c.scratch.lowercase, c.scratch.maxPositions, ctx);
    vocab = saved?.vocab ?? (await learnVocabulary(task.train, c.scratch.vocabSize, o, ctx, () => undefined)).vocab;
    tokenizer = newTokenizer(vocab, o);
    tokenizerFiles = [...newTokenizerFiles(vocab, o)];
    model = initialisedBert(bertConfigJson({ ...c.scratch, vocabSize: vocab.length }), deriveSeed(c.seed, 0x5eed));
  }
  let run: Pretrain | null = null;
  try {
    const limit = model.config.maxPositions - model.config.positionOffset;
    if (c.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: c.maxLength, limit });
    const maskId = requireMask(tokenizer, name);
    const specials = { cls: tokenizer.special.cls ?? tokenizer.special.pad, sep: tokenizer.special.sep ?? tokenizer.special.pad };
    const pack = (docs: TokenizedDocument[]): PackedSequence[] => packDocuments(docs, { length: c.maxLength, ...specials });
    // Until the first step the job shows no fraction: tokenizing takes seconds, training hours.
    const train = c.nsp
      ? sentencePairs(await tokenizeSentences(tokenizer, task.train, ctx), { length: c.maxLength, ...specials, shortSequenceProbability: 0.1 }, mulberry32(deriveSeed(c.seed, 0x9a12)))
      : pack(await tokenizeDocuments(tokenizer, task.train, ctx));
    const heldOut = pack(await tokenizeDocuments(tokenizer, task.heldOut, ctx));
    if (train.length < c.batchSize) throw new ShirabeError('pretrainTooLittleText', { sequences: train.length, maxLength: c.maxLength, min: c.batchSize });
    if (heldOut.length === 0) throw new ShirabeError('pretrainTooLittleHeldOut', { maxLength: c.maxLength });
    const settings: PretrainSettings = { ...c, evalSeeds: Array.from({ length: c.evalSeeds }, (_, i) => i) };
    run = new Pretrain(model, { train, heldOut, maskId, padId: tokenizer.special.pad, replacementIds: replacementIds(tokenizer) }, settings, saved?.state);
    const gen = run.run();
    for (;;) {
      const next = gen.next();
      if (next.done) {
        const { initial, final, steps } = next.value;
        let parameters = 0;
        for (const v of model.parameters().values()) parameters += v.size;
        const files = [...maskedLmFiles(model, task.provenance), ...tokenizerFiles];
        ctx.send({
          type: 'pretrained',
          jobId: ctx.jobId,
          outcome: { files, copyTokenizerFiles: c.mode === 'continue', initial, final, steps, sequences: { train: train.length, heldOut: heldOut.length }, parameters, vocabSize: model.config.vocabSize },
        });
        return;
      }
      const ev = next.value;
      if (ev.type === 'checkpoint') {
        writeAtomically(task.checkpointPath, encodePretrainCheckpoint({ state: run.checkpoint(), vocab }));
        ctx.send({ type: 'pretrainCheckpoint', jobId: ctx.jobId, step: run.checkpoint().step });
      } else {
        ctx.send({ type: 'pretrainEvent', jobId: ctx.jobId, event: ev });
        if (ev.type === 'step') progress(ev.step, ev.total);
      }
      await checkpointForCancel(ctx);
    }
  } finally {
    run?.dispose();
    model.dispose();
  }
}

export async function runMlmLoss(task: MlmLossTask, ctx: TaskContext): Promise<void> {
  const losses = [];
  const seeds = Array.from({ length: task.seeds }, (_, i) => i);
  // Progress in batches over all models and seeds (sequence counts are known per model once tokenized).
  let done = 0;
  for (const path of task.modelPaths) {
    const dir = requireModelDir(path);
    const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, ctx.morphology));
    const model = readEncoder(dir, readConfig(dir), ['classifier']);
    try {
      if (!model.heads.mlm) throw new ShirabeError('modelNoMaskedLmHead', { name: basename(dir) });
      const limit = model.config.maxPositions - model.config.positionOffset;
      if (task.maxLength > limit) throw new ShirabeError('modelSequenceTooLong', { maxLength: task.maxLength, limit });
      const docs = await tokenizeDocuments(tokenizer, task.texts, ctx);
      const seqs = packDocuments(docs, { length: task.maxLength, cls: tokenizer.special.cls ?? tokenizer.special.pad, sep: tokenizer.special.sep ?? tokenizer.special.pad });
      if (seqs.length === 0) throw new ShirabeError('pretrainTooLittleHeldOut', { maxLength: task.maxLength });
      const batches = Math.ceil(seqs.length / task.batchSize) * seeds.length;
      const total = batches * task.modelPaths.length;
      losses.push(
        heldOutMlmLoss(model, seqs, {
          probability: task.mlmProbability, wholeWord: task.wholeWordMasking, maskId: requireMask(tokenizer, basename(dir)), replacementIds: replacementIds(tokenizer),
          seeds, padId: tokenizer.special.pad, batchSize: task.batchSize,
          // Models with another tokenizer may make more batches: the count is an estimate, capped.
          onBatch: () => ctx.send({ type: 'progress', jobId: ctx.jobId, done: Math.min(++done, total), total }),
        }),
      );
      await checkpointForCancel(ctx);
    } finally {
      model.dispose();
    }
  }
  ctx.send({ type: 'mlmScored', jobId: ctx.jobId, outcome: { losses } });
}

export async function runVocab(task: VocabTask, ctx: TaskContext): Promise<void> {
  const o = await tokenizerOptions(task.wordSplitter, task.lowercase, task.maxLength, ctx);
  const { vocab, words } = await learnVocabulary(task.texts, task.vocabSize, o, ctx, (done, total) => ctx.send({ type: 'progress', jobId: ctx.jobId, done, total }));
  ctx.send({ type: 'vocabLearned', jobId: ctx.jobId, outcome: { vocab, words, files: [...newTokenizerFiles(vocab, o)] } });
}
