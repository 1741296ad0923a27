// A fine-tuning checkpoint and a run's kept weights as safetensors blobs for the project file:
// tensors by name ("value:", "m:", "v:", "best:" + key for a checkpoint), everything else in the
// header's __metadata__ as JSON.
import type { TrainConfig } from '../../common/contract';
import type { FineTuneCheckpoint } from '../ml/train/fineTune';
import { openSafetensors } from '../ml/weights/safetensors';
import { encodeSafetensors } from '../ml/weights/safetensorsWrite';
import { bytesSource } from '../ml/weights/types';

type Meta = Omit<FineTuneCheckpoint, 'values' | 'optimizer' | 'best'> & {
  optimizerStep: number;
  best: Omit<NonNullable<FineTuneCheckpoint['best']>, 'values'> | null;
};

export function encodeCheckpoint(c: FineTuneCheckpoint): Uint8Array {
  const tensors: [string, { shape: number[]; data: Float32Array }][] = [];
  const add = (prefix: string, m: ReadonlyMap<string, Float32Array>) => {
    for (const [k, data] of m) tensors.push([`${prefix}:${k}`, { shape: [data.length], data }]);
  };
  add('value', c.values);
  add('m', c.optimizer.m);
  add('v', c.optimizer.v);
  if (c.best) add('best', c.best.values);
  const { values: _v, optimizer, best, ...rest } = c;
  const meta: Meta = { ...rest, optimizerStep: optimizer.step, best: best ? { learningRateIndex: best.learningRateIndex, epoch: best.epoch, loss: best.loss } : null };
  return encodeSafetensors(tensors, { shirabe: JSON.stringify(meta) });
}

export function decodeCheckpoint(bytes: Uint8Array): FineTuneCheckpoint {
  const reader = openSafetensors(bytesSource(bytes));
  const meta = JSON.parse(reader.metadata?.shirabe ?? 'null') as Meta | null;
  if (!meta) throw new Error('the checkpoint has no Shirabe metadata');
  const group = (prefix: string) => new Map([...reader.tensors.keys()].filter((n) => n.startsWith(`${prefix}:`)).map((n) => [n.slice(prefix.length + 1), reader.read(n)] as const));
  const { optimizerStep, best, ...rest } = meta;
  return {
    ...rest,
    values: group('value'),
    optimizer: { step: optimizerStep, m: group('m'), v: group('v') },
    best: best ? { ...best, values: group('best') } : null,
  };
}

/** A run's kept trainable values (adapters and head, or the whole model) with what is needed to use them again. */
export function encodeWeights(values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, number[]>, meta: { labels: string[]; config: TrainConfig; modelType: string }): Uint8Array {
  return encodeSafetensors(
    [...values].map(([k, data]) => [k, { shape: shapes.get(k) ?? [data.length], data }] as [string, { shape: number[]; data: Float32Array }]),
    { shirabe: JSON.stringify(meta) },
  );
}
