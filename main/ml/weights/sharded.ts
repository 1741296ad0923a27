// Checkpoints split across files, as transformers' save_pretrained writes them past its
// max_shard_size: `model.safetensors.index.json` or `pytorch_model.bin.index.json`, whose
// `weight_map` maps each tensor name to the shard file that holds it.
import { WeightsError } from './errors';
import type { CheckpointTensor, TensorReader } from './types';

function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return true;
  return err instanceof Error && /ENOENT|no such file/i.test(err.message);
}

/**
 * One reader over every shard. Each shard named in the index is opened once, up front, so that
 * names, dtypes and shapes are known; `openShard` is given the file name exactly as the index
 * spells it (relative to the index's folder).
 */
export function openSharded(indexJson: string, openShard: (fileName: string) => TensorReader): TensorReader {
  let index: unknown;
  try {
    index = JSON.parse(indexJson);
  } catch (err) {
    throw new WeightsError('corrupt', `the shard index is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const weightMap = typeof index === 'object' && index !== null ? (index as { weight_map?: unknown }).weight_map : undefined;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) throw new WeightsError('corrupt', 'the shard index has no weight_map object');
  const entries = Object.entries(weightMap as Record<string, unknown>);
  const shards = new Map<string, TensorReader>();
  for (const [name, file] of entries) {
    if (typeof file !== 'string' || file === '') throw new WeightsError('corrupt', `the shard index maps ${name} to ${JSON.stringify(file)}, not a file name`);
    if (shards.has(file)) continue;
    try {
      shards.set(file, openShard(file));
    } catch (err) {
      const count = entries.filter(([, f]) => f === file).length;
      if (isNotFound(err)) {
        throw new WeightsError('truncated', `shard ${file} is missing (the index lists ${count} tensors in it, e.g. ${name}): the download is incomplete`);
      }
      if (err instanceof WeightsError) throw new WeightsError(err.kind, `shard ${file}: ${err.detail}`);
      throw err;
    }
  }
  const tensors = new Map<string, CheckpointTensor>();
  const owner = new Map<string, TensorReader>();
  for (const [name, file] of entries) {
    const shard = shards.get(file as string)!;
    const info = shard.tensors.get(name);
    if (!info) throw new WeightsError('corrupt', `the shard index puts ${name} in ${file as string}, but that shard has no such tensor`);
    tensors.set(name, info);
    owner.set(name, shard);
  }
  const fileOf = new Map(entries as [string, string][]);
  return {
    tensors,
    read(name) {
      const shard = owner.get(name);
      if (!shard) throw new WeightsError('unsupported', `no tensor named ${name}`);
      try {
        return shard.read(name);
      } catch (err) {
        if (err instanceof WeightsError) throw new WeightsError(err.kind, `shard ${fileOf.get(name)}: ${err.detail}`);
        throw err;
      }
    },
  };
}
