import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate';

describe('evaluatePredictions', () => {
  it('scores single-label predictions as computed by hand, leaving out unseen gold labels and documents without gold', () => {
    // Labels a, b, c. Gold → predicted: a→a, a→b, b→b, b→b, c→a, c→c, plus one gold "d" (never seen) and one without gold.
    const docs = [
      { gold: ['a'], predicted: [0] },
      { gold: ['a'], predicted: [1] },
      { gold: ['b'], predicted: [1] },
      { gold: ['b'], predicted: [1] },
      { gold: ['c'], predicted: [0] },
      { gold: ['c'], predicted: [2] },
      { gold: ['d'], predicted: [2] },
      { gold: [], predicted: [0] },
    ];
    const e = evaluatePredictions(['a', 'b', 'c'], 'single-label', docs)!;
    expect(e.withGold).toBe(7);
    expect(e.withoutGold).toBe(1);
    expect(e.unseen).toEqual({ labels: ['d'], documents: 1 });
    const m = e.metrics;
    expect(m.documents).toBe(6);
    // 4 of 6 right.
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    // Rows gold, columns predicted.
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    // a: P 1/2, R 1/2, F1 1/2; b: P 2/3, R 1, F1 0.8; c: P 1, R 1/2, F1 2/3. Macro-F1 = (0.5 + 0.8 + 2/3) / 3.
    expect(m.perClass.map((c) => c.f1)).toEqual([0.5, 0.8, 2 / 3].map((x) => expect.closeTo(x, 12)));
    expect(m.macro.f1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    expect(m.macro.precision).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
  });

  it('compares multi-label predictions on the shared labels only', () => {
    // Labels x, y. Gold {x, z} is compared as {x}; z is unseen.
    const docs = [
      { gold: ['x', 'z'], predicted: [0] },
      { gold: ['y'], predicted: [0, 1] },
      { gold: ['x', 'y'], predicted: [0, 1] },
    ];
    const e = evaluatePredictions(['x', 'y'], 'multi-label', docs)!;
    expect(e.unseen).toEqual({ labels: ['z'], documents: 1 });
    expect(e.metrics.documents).toBe(3);
    // Subset accuracy: rows 1 and 3 exact → 2/3. Hamming loss: 1 wrong cell of 6.
    expect(e.metrics.accuracy).toBeCloseTo(2 / 3, 12);
    expect(e.metrics.hammingLoss).toBeCloseTo(1 / 6, 12);
    // x: TP 2, FP 1 → P 2/3, R 1, F1 0.8; y: TP 2 → P 1, R 1, F1 1. Macro-F1 0.9.
    expect(e.metrics.macro.f1).toBeCloseTo(0.9, 12);
    expect(e.metrics.confusion).toBeNull();
  });

  it('gives null without gold labels', () => {
    expect(evaluatePredictions(['a', 'b'], 'single-label', [{ gold: [], predicted: [0] }])).toBeNull();
  });
});
