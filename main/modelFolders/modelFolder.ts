// A Hugging Face model folder on disk: config.json, weights (safetensors, sharded, PyTorch
// pickle) and tokenizer files, read into the pure model library (main/ml) with messages a
// researcher can act on.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ModelInfo, ModelSourceRef, TokenizerKindName } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { checkModel, loadEncoder, type EncoderModel } from '../ml/models/index';
import type { ParamGroup } from '../ml/models/spec';
import { loadTokenizer } from '../ml/tokenizers/load';
import type { Tokenizer, WordSegmenter } from '../ml/tokenizers/types';
import { openSafetensors } from '../ml/weights/safetensors';
import { openSharded } from '../ml/weights/sharded';
import { openTorchCheckpoint } from '../ml/weights/torchPickle';
import type { ByteSource, TensorReader } from '../ml/weights/types';

export const weightFiles = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'] as const;
const tokenizerFiles = ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'config.json'] as const;

/** A file read on demand (weights can be gigabytes). */
class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | null;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    if (offset < 0 || offset + length > this.size) throw new RangeError(`read of ${length} bytes at ${offset} past the end of ${this.path} (${this.size} bytes)`);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new RangeError(`${this.path} ended early`);
      done += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export function requireModelDir(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new ShirabeError('fileNotFound', { path: abs });
  if (!statSync(abs).isDirectory()) throw new ShirabeError('notADirectory', { path: abs });
  if (!existsSync(join(abs, 'config.json'))) throw new ShirabeError('modelNotFound', { path: abs });
  return abs;
}

export function readConfig(dir: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch (err) {
    throw new ShirabeError('modelConfigNotJson', { path: dir }, { cause: err });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ShirabeError('modelConfigNotJson', { path: dir });
  return raw as Record<string, unknown>;
}

function weightsError(file: string, err: unknown): ShirabeError {
  if (err instanceof ShirabeError) return err;
  return new ShirabeError('modelWeightsInvalid', { file, detail: err instanceof Error ? err.message : String(err) }, { cause: err });
}

export interface OpenedWeights {
  reader: TensorReader;
  /** The file (or index) the weights came from. */
  file: string;
  /** Every file holding weights (the shards of a sharded checkpoint). */
  files: string[];
  close(): void;
}

/** The first weights format present, in transformers' order of preference. */
export function openWeights(dir: string): OpenedWeights {
  const file = weightFiles.find((f) => existsSync(join(dir, f)));
  if (!file) throw new ShirabeError('modelWeightsMissing', { path: dir });
  const sources: FileSource[] = [];
  const close = () => sources.forEach((s) => s.close());
  const open = (name: string): TensorReader => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new ShirabeError('modelWeightsFileMissing', { file: name });
    const source = new FileSource(path);
    sources.push(source);
    try {
      return name.endsWith('.safetensors') ? openSafetensors(source) : openTorchCheckpoint(source);
    } catch (err) {
      throw weightsError(name, err);
    }
  };
  try {
    if (file.endsWith('.index.json')) {
      const reader = openSharded(readFileSync(join(dir, file), 'utf8'), open);
      return { reader: guarded(reader, file), file, files: sources.map((s) => basename(s.path)), close };
    }
    return { reader: guarded(open(file), file), file, files: [file], close };
  } catch (err) {
    close();
    throw weightsError(file, err);
  }
}

/** Errors while reading tensor data (a truncated shard) become the same clear message. */
function guarded(reader: TensorReader, file: string): TensorReader {
  return {
    tensors: reader.tensors,
    read(name) {
      try {
        return reader.read(name);
      } catch (err) {
        throw weightsError(file, err);
      }
    },
  };
}

export function readTokenizer(dir: string, segmenter?: WordSegmenter): { tokenizer: Tokenizer; warnings: string[] } {
  const files: Record<string, string> = {};
  for (const f of tokenizerFiles) {
    const p = join(dir, f);
    if (existsSync(p)) files[f] = readFileSync(p, 'utf8');
  }
  try {
    return loadTokenizer(files, { segmenter });
  } catch (err) {
    if (err instanceof ShirabeError) throw err;
    throw new ShirabeError('tokenizerInvalid', { detail: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
}

const hashCache = new Map<string, string>();

/** SHA-256 over config.json and the weight files (cached per path, size and modification time). */
export function modelHash(dir: string, files: readonly string[]): string {
  const parts = ['config.json', ...files].map((f) => {
    const st = statSync(join(dir, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  });
  const key = `${dir}|${parts.join('|')}`;
  const cached = hashCache.get(key);
  if (cached) return cached;
  const hash = createHash('sha256');
  for (const f of ['config.json', ...files]) {
    const fd = openSync(join(dir, f), 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 22);
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  }
  const digest = hash.digest('hex');
  hashCache.set(key, digest);
  return digest;
}

/** The check report for the Models page and `shirabe model inspect`, without loading tensors. */
export function inspectModel(path: string, segmenter?: WordSegmenter): ModelInfo {
  const dir = requireModelDir(path);
  const raw = readConfig(dir);
  const weights = openWeights(dir);
  try {
    const { arch, config, report } = checkModel(raw, weights.reader);
    const { tokenizer, warnings } = readTokenizer(dir, segmenter);
    const warningsOut = [...warnings];
    if (report.unexpected.length) warningsOut.push(`${report.unexpected.length} tensor(s) in the checkpoint are not used: ${report.unexpected.slice(0, 10).join(', ')}${report.unexpected.length > 10 ? ', …' : ''}`);
    if (tokenizer.vocabSize > config.vocabSize) warningsOut.push(`the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocabulary has ${config.vocabSize}`);
    const classes = Array.isArray(raw.architectures) ? raw.architectures.filter((a): a is string => typeof a === 'string') : [];
    return {
      path: dir,
      name: basename(dir),
      modelType: config.modelType,
      architecture: arch.displayName,
      classes,
      parameters: report.parameterCount,
      layers: config.numLayers,
      hiddenSize: config.hiddenSize,
      intermediateSize: config.intermediateSize,
      heads: config.numHeads,
      maxPositions: config.maxPositions - config.positionOffset,
      vocabSize: config.vocabSize,
      tokenizer: { kind: tokenizer.kind as TokenizerKindName, description: tokenizer.description, vocabSize: tokenizer.vocabSize, maxLength: tokenizer.modelMaxLength },
      weightsFile: weights.file,
      dtypes: report.dtypes,
      loadedHeads: report.heads,
      labels: report.heads.classifier ? Array.from({ length: config.numLabels }, (_, i) => config.id2label[i] ?? `LABEL_${i}`) : [],
      missing: report.missing,
      misshaped: report.misshaped.map((m) => `${m.name} [${m.found.join(', ')}] ≠ [${m.expected.join(', ')}]`),
      unexpected: report.unexpected,
      warnings: warningsOut,
      hash: modelHash(dir, weights.files),
      source: readModelSource(dir),
    };
  } finally {
    weights.close();
  }
}

/** The Hub id and commit of a folder Shirabe downloaded (shirabe-source.json, written by main/hub), or null. */
export function readModelSource(dir: string): ModelSourceRef | null {
  try {
    const s = JSON.parse(readFileSync(join(dir, 'shirabe-source.json'), 'utf8')) as Partial<ModelSourceRef>;
    if (typeof s.id !== 'string' || typeof s.sha !== 'string') return null;
    return { endpoint: String(s.endpoint ?? ''), id: s.id, revision: String(s.revision ?? s.sha), sha: s.sha };
  } catch {
    return null;
  }
}

/** The encoder of a model folder (skipping the head groups given), its weight files closed again once read. */
export function readEncoder(dir: string, raw: Record<string, unknown>, skipGroups?: ParamGroup[]): EncoderModel {
  const weights = openWeights(dir);
  try {
    return loadEncoder(raw, weights.reader, { skipGroups }).model;
  } finally {
    weights.close();
  }
}
