// The check report of each model folder, asked for once per session: models.inspect hashes
// the weight files, which takes seconds for a large model. "Check again" asks afresh.
import type { ModelInfo, ShirabeApi } from '../../../common/contract';

const caches = new WeakMap<ShirabeApi, Map<string, Promise<ModelInfo>>>();

function cacheOf(api: ShirabeApi): Map<string, Promise<ModelInfo>> {
  let cache = caches.get(api);
  if (!cache) caches.set(api, (cache = new Map()));
  return cache;
}

export function inspectModel(api: ShirabeApi, path: string, fresh = false): Promise<ModelInfo> {
  const cache = cacheOf(api);
  const known = fresh ? undefined : cache.get(path);
  if (known) return known;
  const info = api.call('models.inspect', { path });
  cache.set(path, info);
  // A failed check is not remembered: the folder may be fixed and checked again.
  info.catch(() => {
    if (cache.get(path) === info) cache.delete(path);
  });
  return info;
}

export function rememberModel(api: ShirabeApi, path: string, info: ModelInfo): void {
  cacheOf(api).set(path, Promise.resolve(info));
}

export function forgetModel(api: ShirabeApi, path: string): void {
  cacheOf(api).delete(path);
}
