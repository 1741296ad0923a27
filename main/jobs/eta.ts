// Remaining time of a job from its own measured progress, not from a constant: the time per unit
// of work (a step, a document, a byte) is the mean of the recent intervals between progress
// reports, after leaving out the warm-up (everything before the first report and the first
// interval after it: model loading, tokenizing, the backend's first compilations) and pauses (an
// interval far longer than its neighbours: an epoch-end evaluation, a checkpoint write). Pauses
// seen so far are extrapolated in proportion to the work left. Until the rate is known well
// enough the estimate is a range (the mean's 95% interval widened by any drift between the older
// and newer half of the window); then one value.
import type { JobEta } from '../../common/contract';

export interface EtaOptions {
  /** Intervals after the first report left out as warm-up. */
  warmupIntervals?: number;
  /** Recent intervals the rate is measured from (older ones age out, so a changing rate is followed). */
  window?: number;
  /** An interval whose time per unit exceeds this many times the window's median is a pause. */
  pauseFactor?: number;
  /** Intervals needed before any estimate (fewer says nothing rather than something wild). */
  minIntervals?: number;
  /** The range's half-width, relative to the estimate, below which it is one value. */
  stableWithin?: number;
  /** No report for this many times the expected time of one report's work (and at least `stallMinSeconds`): stalled, no estimate. */
  stallFactor?: number;
  stallMinSeconds?: number;
}

interface Interval {
  seconds: number;
  units: number;
}

const defaults: Required<EtaOptions> = {
  warmupIntervals: 1,
  window: 200,
  pauseFactor: 4,
  minIntervals: 3,
  stableWithin: 0.1,
  stallFactor: 10,
  stallMinSeconds: 30,
};

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds per unit over a set of intervals, the mean weighted by their work (total time over total units). */
function perUnit(xs: readonly Interval[]): number {
  let t = 0;
  let u = 0;
  for (const x of xs) {
    t += x.seconds;
    u += x.units;
  }
  return u > 0 ? t / u : NaN;
}

/**
 * Fed with a job's progress reports (time in ms, units done, units in all); `estimate(now)` gives
 * the remaining time or null when there is nothing honest to say (no progress yet, too few
 * intervals, stalled, no total).
 */
export class EtaEstimator {
  private readonly o: Required<EtaOptions>;
  private last: { at: number; done: number } | null = null;
  private warmupLeft: number;
  private readonly recent: Interval[] = [];
  /** Work done and time spent since warm-up, and the part of that time that was pauses. */
  private measuredUnits = 0;
  private pauseSeconds = 0;
  private total = 0;
  private done = 0;
  /** Consecutive intervals taken for pauses: as many as minIntervals in a row are a slower phase instead. */
  private slowStreak: { interval: Interval; excess: number }[] = [];

  constructor(options: EtaOptions = {}) {
    this.o = { ...defaults, ...options };
    this.warmupLeft = this.o.warmupIntervals;
  }

  /**
   * A progress report at `at` (ms): `done` of `total` units. Reports that go backwards restart the
   * measurement (a job that resets its count). A `carried` report counts work this job did not do
   * (a resumed download's bytes already on disk, a file verified by an earlier try): it moves the
   * count without an interval, so it never inflates the rate, and what follows it is warm-up again
   * (the request that starts fetching the rest).
   */
  report(at: number, done: number, total: number, carried = false): void {
    this.total = total;
    if (this.last && done < this.last.done) this.reset();
    this.done = done;
    if (carried) {
      this.last = { at, done };
      this.warmupLeft = Math.max(this.warmupLeft, this.o.warmupIntervals);
      return;
    }
    if (!this.last) {
      this.last = { at, done };
      return;
    }
    const units = done - this.last.done;
    const seconds = (at - this.last.at) / 1000;
    if (units <= 0) return; // the same count again: wait for work, keep the interval open
    this.last = { at, done };
    if (this.warmupLeft > 0) {
      this.warmupLeft--;
      return;
    }
    this.measuredUnits += units;
    const interval = { seconds, units };
    if (this.recent.length >= this.o.minIntervals && seconds / units > this.o.pauseFactor * median(this.recent.map((x) => x.seconds / x.units))) {
      // A pause: its time beyond what the units would have taken at the usual rate is the pause.
      const usual = perUnit(this.recent) * units;
      const excess = Math.max(0, seconds - usual);
      this.pauseSeconds += excess;
      this.recent.push({ seconds: usual, units });
      this.slowStreak.push({ interval, excess });
      if (this.slowStreak.length >= this.o.minIntervals) {
        // Not a pause but a slower phase (tokenizing done, the model's passes begun): measure from its
        // intervals alone, and forget the pauses of the phase before.
        this.recent.length = 0;
        this.recent.push(...this.slowStreak.map((x) => x.interval));
        this.measuredUnits = this.slowStreak.reduce((a, x) => a + x.interval.units, 0);
        this.pauseSeconds = 0;
        this.slowStreak = [];
      }
    } else {
      this.recent.push(interval);
      this.slowStreak = [];
    }
    if (this.recent.length > this.o.window) this.recent.shift();
  }

  estimate(now: number): JobEta | null {
    if (!this.last || this.total <= 0 || this.recent.length < this.o.minIntervals) return null;
    const left = this.total - this.done;
    if (left <= 0) return { seconds: 0, low: 0, high: 0, stable: true };
    const m = perUnit(this.recent);
    if (!Number.isFinite(m) || m <= 0) return null;
    const n = this.recent.length;
    const units = this.recent.reduce((a, x) => a + x.units, 0);
    const sinceLast = (now - this.last.at) / 1000;
    // Stalled: far longer than one report's work usually takes since the last report.
    if (sinceLast > Math.max(this.o.stallMinSeconds, this.o.stallFactor * m * (units / n))) return null;
    // The mean's standard error from the intervals' per-unit times (weighted by units).
    let ss = 0;
    for (const x of this.recent) ss += x.units * (x.seconds / x.units - m) ** 2;
    const sd = Math.sqrt(ss / units);
    const se = sd / Math.sqrt(n);
    // Drift: the newer half's rate against the older half's (a job that speeds up or slows down).
    const half = n >> 1;
    const drift = half >= 2 ? Math.abs(perUnit(this.recent.slice(half)) - perUnit(this.recent.slice(0, half))) / 2 : 0;
    const spread = Math.max(2 * se, drift);
    const pauses = this.measuredUnits > 0 ? (this.pauseSeconds / this.measuredUnits) * left : 0;
    // The time already spent on the report in progress comes off the estimate, at most what such a
    // report usually takes (a slow one does not bring the estimate down to 0 while work is left).
    const into = Math.min(sinceLast, m * (units / n));
    const at = (perUnitTime: number) => Math.max(0, left * perUnitTime + pauses - into);
    const seconds = at(m);
    const low = at(Math.max(0, m - spread));
    const high = at(m + spread);
    const stable = seconds > 0 ? (high - low) / 2 / seconds <= this.o.stableWithin : true;
    return stable ? { seconds, low: seconds, high: seconds, stable } : { seconds, low, high, stable };
  }

  private reset(): void {
    this.last = null;
    this.warmupLeft = this.o.warmupIntervals;
    this.recent.length = 0;
    this.measuredUnits = 0;
    this.pauseSeconds = 0;
    this.slowStreak = [];
  }
}
