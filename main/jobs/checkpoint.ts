// Fine-tuning and pretraining checkpoints and a run's kept weights as safetensors blobs:
// tensors by name ("value:", "m:", "v:", "best:" + key for a checkpoint), everything else in the
// header's __metadata__ as JSON.
import type { TrainConfig } from '../../common/contract';
import type { PretrainCheckpoint } from '../ml/pretrain/pretrain';
import type { FineTuneCheckpoint } from '../ml/train/fineTune';
import { openSafetensors } from '../ml/weights/safetensors';
import { encodeSafetensors } from '../ml/weights/safetensorsWrite';
import { bytesSource } from '../ml/weights/types';

type Meta = Omit<FineTuneCheckpoint, 'values' | 'optimizer' | 'best'> & {
  optimizerStep: number;
  best: Omit<NonNullable<FineTuneCheckpoint['best']>, 'values'> | null;
};

/** Float32 value maps as safetensors tensors "prefix:key" (flat), and back. */
function grouped(groups: Record<string, ReadonlyMap<string, Float32Array>>): [string, { shape: number[]; data: Float32Array }][] {
  const out: [string, { shape: number[]; data: Float32Array }][] = [];
  for (const [prefix, m] of Object.entries(groups)) for (const [k, data] of m) out.push([`${prefix}:${k}`, { shape: [data.length], data }]);
  return out;
}

function readGrouped(bytes: Uint8Array): { meta: string | null; group(prefix: string): Map<string, Float32Array> } {
  const reader = openSafetensors(bytesSource(bytes));
  return {
    meta: reader.metadata?.shirabe ?? null,
    group: (prefix) => new Map([...reader.tensors.keys()].filter((n) => n.startsWith(`${prefix}:`)).map((n) => [n.slice(prefix.length + 1), reader.read(n)] as const)),
  };
}

export function encodeCheckpoint(c: FineTuneCheckpoint): Uint8Array {
  const { values, optimizer, best, ...rest } = c;
  const meta: Meta = { ...rest, optimizerStep: optimizer.step, best: best ? { learningRateIndex: best.learningRateIndex, epoch: best.epoch, loss: best.loss } : null };
  const tensors = grouped({ value: values, m: optimizer.m, v: optimizer.v, ...(best ? { best: best.values } : {}) });
  return encodeSafetensors(tensors, { shirabe: JSON.stringify(meta) });
}

export function decodeCheckpoint(bytes: Uint8Array): FineTuneCheckpoint {
  const { meta: text, group } = readGrouped(bytes);
  const meta = JSON.parse(text ?? 'null') as Meta | null;
  if (!meta) throw new Error('the checkpoint has no Shirabe metadata');
  const { optimizerStep, best, ...rest } = meta;
  return {
    ...rest,
    values: group('value'),
    optimizer: { step: optimizerStep, m: group('m'), v: group('v') },
    best: best ? { ...best, values: group('best') } : null,
  };
}

/** A pretraining checkpoint, with the vocabulary a from-scratch run learned (it must not be learned again differently). */
export interface PretrainCheckpointFile {
  state: PretrainCheckpoint;
  vocab: string[] | null;
}

type PretrainMeta = Omit<PretrainCheckpoint, 'values' | 'optimizer'> & { optimizerStep: number; vocab: string[] | null };

export function encodePretrainCheckpoint({ state, vocab }: PretrainCheckpointFile): Uint8Array {
  const { values, optimizer, ...rest } = state;
  const meta: PretrainMeta = { ...rest, optimizerStep: optimizer.step, vocab };
  return encodeSafetensors(grouped({ value: values, m: optimizer.m, v: optimizer.v }), { shirabe: JSON.stringify(meta) });
}

export function decodePretrainCheckpoint(bytes: Uint8Array): PretrainCheckpointFile {
  const { meta: text, group } = readGrouped(bytes);
  const meta = JSON.parse(text ?? 'null') as PretrainMeta | null;
  if (!meta) throw new Error('the checkpoint has no Shirabe metadata');
  const { optimizerStep, vocab, ...rest } = meta;
  return { state: { ...rest, values: group('value'), optimizer: { step: optimizerStep, m: group('m'), v: group('v') } }, vocab };
}

/** A run's kept trainable values (adapters and head, or the whole model) with what is needed to use them again. */
export function encodeWeights(values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, number[]>, meta: { labels: string[]; config: TrainConfig; modelType: string }): Uint8Array {
  return encodeSafetensors(
    [...values].map(([k, data]) => [k, { shape: shapes.get(k) ?? [data.length], data }] as [string, { shape: number[]; data: Float32Array }]),
    { shirabe: JSON.stringify(meta) },
  );
}
