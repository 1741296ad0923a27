import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../common/random';
import { EtaEstimator } from './eta';

/** A seeded uniform [0, 1), so the simulated noise is the same every run. */
const random = mulberry32;

/** A standard normal from two uniforms (Box–Muller). */
function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

interface Report {
  at: number;
  done: number;
}

/**
 * A fine-tuning job as the queue sees it (the controlled clock is the report times): preparing
 * (model load, tokenizing), a slow first step, steps with log-normal noise, a validation pass at
 * each epoch's end, a learning-rate sweep of `rates` runs of `epochs` epochs.
 */
function fineTuning(seed: number, o: { stepsPerEpoch: number; epochs: number; rates: number; step: number; noise: number; firstStep: number; evaluation: number; prepare: number }): { reports: Report[]; total: number; end: number } {
  const u = random(seed);
  const total = o.stepsPerEpoch * o.epochs * o.rates;
  const reports: Report[] = [];
  let t = o.prepare * 1000;
  let done = 0;
  for (let r = 0; r < o.rates; r++) {
    for (let e = 0; e < o.epochs; e++) {
      for (let s = 0; s < o.stepsPerEpoch; s++) {
        const seconds = done === 0 ? o.firstStep : o.step * Math.exp(o.noise * normal(u) - (o.noise * o.noise) / 2);
        t += seconds * 1000;
        reports.push({ at: t, done: ++done });
        if (s === o.stepsPerEpoch - 1) t += o.evaluation * (0.9 + 0.2 * u()) * 1000; // before the next step's report
      }
    }
  }
  return { reports, total, end: t };
}

describe('EtaEstimator', () => {
  it('on a fine-tuning run, the time shown after the first 10% is within 25% of the real remaining time', () => {
    const recipe = { stepsPerEpoch: 120, epochs: 5, rates: 1, step: 0.8, noise: 0.25, firstStep: 6, evaluation: 9, prepare: 20 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const { reports, total, end } = fineTuning(seed, recipe);
      const eta = new EtaEstimator();
      let shown = null;
      let at = 0;
      for (const r of reports) {
        eta.report(r.at, r.done, total);
        if (r.done >= 0.1 * total) {
          shown = eta.estimate(r.at);
          at = r.at;
          break;
        }
      }
      const real = (end - at) / 1000;
      expect(shown).not.toBeNull();
      expect(Math.abs(shown!.seconds - real) / real).toBeLessThan(0.25);
      // The range shown then contains the truth, or is one value within 25% of it.
      if (!shown!.stable) expect(shown!.low * 0.9).toBeLessThanOrEqual(real);
    }
  });

  it('learns the evaluation pauses once it has seen one (a sweep of three rates, checked at 40%)', () => {
    const recipe = { stepsPerEpoch: 60, epochs: 3, rates: 3, step: 0.5, noise: 0.2, firstStep: 4, evaluation: 15, prepare: 10 };
    const { reports, total, end } = fineTuning(7, recipe);
    const eta = new EtaEstimator();
    for (const r of reports) {
      eta.report(r.at, r.done, total);
      if (r.done === Math.round(0.4 * total)) {
        const shown = eta.estimate(r.at)!;
        const real = (end - r.at) / 1000;
        // Steps alone would say 324 × 0.5 = 162 s of the real ≈ 252 s (15 s per epoch's evaluation).
        expect(Math.abs(shown.seconds - real) / real).toBeLessThan(0.1);
        break;
      }
    }
  });

  it('gives a range while the rate is uncertain and one value once it is known', () => {
    const u = random(11);
    const eta = new EtaEstimator();
    let t = 0;
    const shown = [];
    for (let done = 1; done <= 400; done++) {
      t += 1000 * Math.exp(0.4 * normal(u));
      eta.report(t, done, 1000);
      shown.push(eta.estimate(t));
    }
    const early = shown[5]!;
    expect(early.stable).toBe(false);
    expect(early.low).toBeLessThan(early.seconds);
    expect(early.high).toBeGreaterThan(early.seconds);
    const late = shown[399]!;
    expect(late.stable).toBe(true);
    expect(late.low).toBe(late.seconds);
    expect(late.high).toBe(late.seconds);
  });

  it('says nothing before there is progress, never 0', () => {
    const eta = new EtaEstimator();
    expect(eta.estimate(0)).toBeNull();
    eta.report(0, 0, 100);
    expect(eta.estimate(5000)).toBeNull();
    eta.report(5000, 1, 100); // the first step: warm-up
    eta.report(6000, 2, 100);
    expect(eta.estimate(6000)).toBeNull();
    eta.report(7000, 3, 100);
    eta.report(8000, 4, 100);
    eta.report(9000, 5, 100);
    const e = eta.estimate(9000)!;
    expect(e.seconds).toBeCloseTo(95, 5);
  });

  it('leaves out a slow first step (warm-up) and everything before the first report', () => {
    const eta = new EtaEstimator();
    eta.report(60_000, 1, 100); // a minute of loading and a slow first step
    eta.report(90_000, 2, 100); // the second step still warming (30 s)
    for (let d = 3; d <= 12; d++) eta.report(90_000 + (d - 2) * 1000, d, 100);
    expect(eta.estimate(100_000)!.seconds).toBeCloseTo(88, 5);
  });

  it('drops the estimate when the job stalls, and takes it up again when progress resumes', () => {
    const eta = new EtaEstimator();
    for (let d = 0; d <= 10; d++) eta.report(d * 1000, d, 100);
    expect(eta.estimate(10_500)!.seconds).toBeCloseTo(89.5, 5); // half a step already under way
    expect(eta.estimate(10_000 + 29_000)!.seconds).toBeCloseTo(89, 5); // a slow step: still 89 s of work left, not 0
    expect(eta.estimate(10_000 + 29_000)).not.toBeNull();
    expect(eta.estimate(10_000 + 31_000)).toBeNull(); // 31 s without a report where steps take 1 s
    eta.report(42_000, 11, 100); // back, after a long pause
    eta.report(43_000, 12, 100);
    expect(eta.estimate(43_000)!.seconds).toBeGreaterThan(80);
  });

  it('follows a job whose count starts again (a restarted phase) rather than extrapolating across it', () => {
    const eta = new EtaEstimator();
    for (let d = 0; d <= 20; d++) eta.report(d * 100, d, 20);
    for (let d = 0; d <= 6; d++) eta.report(10_000 + d * 2000, d, 20);
    expect(eta.estimate(22_000)!.seconds).toBeCloseTo(28, 5);
  });

  it('follows a slower phase (an embedding job: tokenizing counts half, then the model’s passes) after a few of its intervals', () => {
    const eta = new EtaEstimator();
    let t = 0;
    // 50 quick tokenizing reports of 10 units each (0.1 s), then batches of 10 units at 5 s.
    for (let d = 0; d <= 500; d += 10) eta.report((t += 100), d, 1000);
    expect(eta.estimate(t)!.seconds).toBeCloseTo(5, 0); // what the quick phase alone says
    for (let d = 510; d <= 540; d += 10) eta.report((t += 5000), d, 1000);
    // 46 batches left at 5 s: after three slow intervals it measures the slow phase, not a pause.
    expect(eta.estimate(t)!.seconds).toBeCloseTo(230, 5);
  });

  it('says 0 only when the work is done', () => {
    const eta = new EtaEstimator();
    for (let d = 0; d <= 10; d++) eta.report(d * 1000, d, 10);
    expect(eta.estimate(10_000)).toEqual({ seconds: 0, low: 0, high: 0, stable: true });
  });
});

describe('a resumed job (bytes already on disk)', () => {
  it('counts only the work done in this session: carried reports move the count without inflating the rate', () => {
    // 100 MB of 200 MB on disk from an earlier try (two verified files and a .part, reported in
    // quick succession), then 1 MB/s.
    const mb = 1_000_000;
    const total = 200 * mb;
    const eta = new EtaEstimator();
    let t = 0;
    eta.report(t, 30 * mb, total, true);
    eta.report((t += 50), 60 * mb, total, true);
    eta.report((t += 50), 100 * mb, total, true);
    let done = 100 * mb;
    t += 800; // the request for the rest
    eta.report(t, (done += 0.25 * mb), total);
    for (let i = 0; i < 40; i++) eta.report((t += 250), (done += 0.25 * mb), total);
    const left = (total - done) / mb;
    expect(eta.estimate(t)!.seconds).toBeCloseTo(left, 0);
    // Timed as ordinary progress, the jumps would have made the rate many times faster.
    const naive = new EtaEstimator();
    let u = 0;
    naive.report(u, 30 * mb, total);
    naive.report((u += 50), 60 * mb, total);
    naive.report((u += 50), 100 * mb, total);
    let d = 100 * mb;
    u += 800;
    naive.report(u, (d += 0.25 * mb), total);
    for (let i = 0; i < 3; i++) naive.report((u += 250), (d += 0.25 * mb), total);
    expect(naive.estimate(u)!.seconds).toBeLessThan(((total - d) / mb) * 0.5);
  });
});
