// Progress and cancel for the long projections (UMAP, t-SNE, nearest neighbours). The library stays
// data in / data out: the caller (a compute task) passes callbacks; nothing here knows the worker.
import { ShirabeError } from '../../../common/errors';

/** Which part of a projection is running; `done` of `total` counts that phase's steps. */
export type MapPhase = 'neighbours' | 'affinities' | 'initialisation' | 'epochs' | 'iterations';

export interface MapProgress {
  phase: MapPhase;
  done: number;
  total: number;
}

export interface MapControl {
  /** Called after every step of a phase (an epoch, an iteration, a block of rows). */
  onProgress?(progress: MapProgress): void;
  /**
   * Awaited between steps. A compute task passes its `ctx.checkCancel`, which lets the cancel
   * message in (the worker reads messages only while the task yields) and throws 'cancelled'.
   */
  checkCancel?(): Promise<void> | void;
  /** Checked between steps; true stops the run with ShirabeError('cancelled'). */
  shouldStop?(): boolean;
}

/** One step boundary: report, let messages in, stop when asked. */
export async function checkpoint(control: MapControl | undefined, phase: MapPhase, done: number, total: number): Promise<void> {
  if (!control) return;
  control.onProgress?.({ phase, done, total });
  await control.checkCancel?.();
  if (control.shouldStop?.()) throw new ShirabeError('cancelled');
}
