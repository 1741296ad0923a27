// The loop of a task that trains through a learning-rate sweep (fine-tuning, the entity
// extractor): each step and epoch sent to main as it happens, the state sent at each checkpoint
// moment, progress, cancel between steps, and the second step profiled for its memory peak (the
// first warms up).
import type { SweepCheckpoint, SweepEpoch, SweepEvent, SweepOutcome, SweepStep } from '../../ml/train/sweep';
import { MemoryMeter } from './memoryMeter';
import type { TaskContext } from './task';

export type SweepTaskEvent<V> = SweepStep | SweepEpoch<V> | { type: 'checkpoint'; checkpoint: SweepCheckpoint };

/** Runs the sweep to its end; the meter is returned for the caller to read last (after its own predictions). */
export async function driveSweep<V>(
  run: AsyncGenerator<SweepEvent<V>, SweepOutcome>,
  checkpoint: () => Promise<SweepCheckpoint>,
  emit: (event: SweepTaskEvent<V>) => void,
  ctx: Pick<TaskContext<unknown>, 'progress' | 'checkCancel'>,
): Promise<{ outcome: SweepOutcome; meter: MemoryMeter }> {
  const meter = new MemoryMeter();
  let steps = 0;
  for (;;) {
    const next = steps >= 1 && meter.wantsProfile ? await meter.profile(() => run.next(), (r) => !r.done && r.value.type === 'step') : await run.next();
    if (next.done) return { outcome: next.value, meter };
    const ev = next.value;
    if (ev.type === 'checkpoint') emit({ type: 'checkpoint', checkpoint: await checkpoint() });
    else {
      emit(ev);
      if (ev.type === 'step') {
        steps++;
        meter.sample();
        ctx.progress(ev.done, ev.total);
      }
    }
    await ctx.checkCancel();
  }
}
