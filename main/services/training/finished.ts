// A finished fine-tuning run's classifier as prediction and attribution rebuild it in the worker:
// the run's record, its base model (checked by content hash against what the run was trained on)
// and the values the run kept (LoRA adapters and head, or the full weights).
import { ShirabeError } from '../../../common/errors';
import { openSafetensors } from '../../ml/weights/safetensors';
import { bytesSource } from '../../ml/weights/types';
import type { ProjectStore } from '../../project/store';
import type { ServiceContext } from '../context';

export async function finishedClassifier(deps: Pick<ServiceContext, 'inspect'>, store: ProjectStore, runId: number) {
  const run = store.training.get(runId);
  const weights = store.training.weights(runId);
  if (run.status !== 'done' || !weights) throw new ShirabeError('trainRunNotFinished', { id: runId, status: run.status });
  const info = await deps.inspect(run.config.modelPath);
  if (info.hash !== run.model.hash) throw new ShirabeError('runBaseModelChanged', { id: runId, path: info.path, expected: run.model.hash.slice(0, 12), found: info.hash.slice(0, 12) });
  const reader = openSafetensors(bytesSource(weights.safetensors));
  const values = new Map([...reader.tensors.keys()].map((k) => [k, reader.read(k)] as const));
  return { run, info, values };
}
