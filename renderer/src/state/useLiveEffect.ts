import { useEffect, type DependencyList } from 'react';

/** Whether the effect run that was handed this is still the current one (not cleaned up, not superseded). */
export type IsLive = () => boolean;

/** What a live effect may return: more cleanup, run after the run is marked not live. */
export type LiveEffect = (isLive: IsLive) => void | (() => void);

/**
 * Starts one run of `effect` and returns its cleanup. `isLive()` is true until the cleanup runs, then false
 * for good, so a result that arrives after a newer run started (or after unmount) can be dropped with
 * `isLive() && setX(x)`. The cleanup marks the run not live first, then calls whatever `effect` returned.
 * The pure part of `useLiveEffect`, testable without React.
 */
export function runLiveEffect(effect: LiveEffect): () => void {
  let live = true;
  const cleanup = effect(() => live);
  return () => {
    live = false;
    if (typeof cleanup === 'function') cleanup();
  };
}

/**
 * `useEffect` whose body is told whether it is still live: the "latest request wins" guard for effects
 * that start a request and store its answer.
 *
 *   useLiveEffect((isLive) => {
 *     api.call('x', {}).then((x) => isLive() && setX(x));
 *   }, [api]);
 */
export function useLiveEffect(effect: LiveEffect, deps: DependencyList): void {
  // The caller's `deps` stand for what `effect` reads, as with useEffect itself.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => runLiveEffect(effect), deps);
}
