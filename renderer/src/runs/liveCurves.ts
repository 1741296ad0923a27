// A training run's curves while it runs (fine-tuning, entities): the fetched curves with the run's
// live progress events folded in, and the last step event (where the run is).
import { useMemo } from 'react';

type StepKeyed = { learningRateIndex: number; step: number };
type EpochKeyed = { learningRateIndex: number; epoch: number };
/** A progress event: a step or an epoch point with the run's id. */
export type ProgressEvent<S, E> = ({ runId: number; kind: 'step' } & S) | ({ runId: number; kind: 'epoch' } & E);

const stepKey = (p: StepKeyed) => p.learningRateIndex * 1e9 + p.step;
const epochKey = (p: EpochKeyed) => p.learningRateIndex * 1e9 + p.epoch;

/**
 * Curves with live events folded in: a point for a (learning rate, step) or (learning rate,
 * epoch) already there is replaced (a resumed run repeats the steps after its checkpoint),
 * and everything is in learning-rate then step/epoch order. Returns `curves` itself when
 * there is nothing to add, and its arrays of a kind no event added to.
 */
export function applyProgress<S extends StepKeyed, E extends EpochKeyed>(curves: { steps: S[]; epochs: E[] }, events: readonly ProgressEvent<S, E>[]): { steps: S[]; epochs: E[] } {
  if (events.length === 0) return curves;
  const steps = new Map<number, S>(curves.steps.map((p) => [stepKey(p), p]));
  const epochs = new Map<number, E>(curves.epochs.map((p) => [epochKey(p), p]));
  let stepsChanged = false;
  let epochsChanged = false;
  for (const event of events) {
    const { runId: _run, kind, ...point } = event;
    if (kind === 'step') {
      steps.set(stepKey(point as unknown as S), point as unknown as S);
      stepsChanged = true;
    } else {
      epochs.set(epochKey(point as unknown as E), point as unknown as E);
      epochsChanged = true;
    }
  }
  return {
    steps: stepsChanged ? [...steps.values()].sort((a, b) => stepKey(a) - stepKey(b)) : curves.steps,
    epochs: epochsChanged ? [...epochs.values()].sort((a, b) => epochKey(a) - epochKey(b)) : curves.epochs,
  };
}

/** The run's last live step event, or null before the first; `eventsVersion` says when `events.current` has grown. */
export function useLastStep<T extends { kind: string }>(run: { events: { current: T[] }; eventsVersion: number }): Extract<T, { kind: 'step' }> | null {
  const { events, eventsVersion } = run;
  return useMemo(() => {
    for (let i = events.current.length - 1; i >= 0; i--) if (events.current[i].kind === 'step') return events.current[i] as Extract<T, { kind: 'step' }>;
    return null;
  }, [events, eventsVersion]);
}
