// What a training job measured of its memory, for the run page after it: the peak tensor bytes of
// one step under tf.profile (the engine's count at every kernel, so the tape's peak inside the
// step, which tf.memory() between steps never sees), the tensor bytes at every step's end, and
// the process's resident memory (on WebAssembly the heap, grown and never shrunk, is in it).
import * as tf from '@tensorflow/tfjs-core';
import type { RunMemory } from '../../../common/contract';
import { profile } from '../../ml/read';

export class MemoryMeter {
  private tensors = 0;
  private rss = 0;
  private profiled = false;

  /** Tensor bytes and RSS now (call between steps). */
  sample(): void {
    this.tensors = Math.max(this.tensors, tf.memory().numBytes);
    this.rss = Math.max(this.rss, process.memoryUsage.rss());
  }

  /** Whether a step still has to be profiled. */
  get wantsProfile(): boolean {
    return !this.profiled;
  }

  /** Runs `f` (one step) under tf.profile and keeps its peak; `counts(result)` says whether it was a whole step (else profile the next). */
  async profile<T>(f: () => T | Promise<T>, counts: (result: T) => boolean): Promise<T> {
    let result!: T;
    const info = await profile(async () => {
      result = await f();
    });
    if (counts(result)) {
      this.profiled = true;
      this.tensors = Math.max(this.tensors, info.peakBytes);
    }
    this.sample();
    return result;
  }

  result(): RunMemory {
    this.sample();
    return { peakTensorBytes: this.tensors, rssBytes: this.rss };
  }
}
