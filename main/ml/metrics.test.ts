// Expected numbers: scikit-learn 1.2.1 and torch 1.13 (test/fixtures/sklearn/metrics.json, from
// scripts/fixtures/make_sklearn_fixtures.py), and small examples worked out by hand below.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  confusionMatrix,
  hammingLoss,
  meanBinaryCrossEntropyWithLogits,
  meanCrossEntropyFromLogits,
  multiLabelMetrics,
  multiLabelPredict,
  multiLabelPredictFromLogits,
  scoresFromCounts,
  singleLabelMetrics,
  subsetAccuracy,
  type ClassificationScores,
  type Scores,
  type ZeroDivision,
} from './metrics';

interface SklearnScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: Scores;
  weighted: Scores;
  micro: Scores;
  f1Score: { micro: number; macro: number; weighted: number };
}
interface Expected {
  byZeroDivision: Record<'warn' | '0' | '1', SklearnScores>;
  warned: { precision: boolean; recall: boolean; f1: boolean };
}
interface SingleCase {
  name: string;
  numClasses: number;
  gold: number[];
  predicted: number[];
  expected: Expected & { accuracy: number; confusion: number[][] };
}
interface MultiCase {
  name: string;
  gold: number[][];
  probabilities: number[][];
  logits?: number[][];
  expected: Expected & { predicted: number[][]; subsetAccuracy: number; hammingLoss: number };
}
interface LossCase<T> {
  name: string;
  logits: number[][];
  targets: T;
  torch: number;
  sklearnLogLoss?: number;
}
interface Fixture {
  versions: { sklearn: string; numpy: string; torch: string };
  singleLabel: SingleCase[];
  multiLabel: MultiCase[];
  crossEntropy: LossCase<number[]>[];
  bceWithLogits: LossCase<number[][]>[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/sklearn/metrics.json'), 'utf8')) as Fixture;
const TOL = 1e-12;
const settings: [ZeroDivision, 'warn' | '0' | '1'][] = [['warn', 'warn'], [0, '0'], [1, '1']];

function near(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOL);
}

function nearAll(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  actual.forEach((a, i) => near(a, expected[i], `${what}[${i}]`));
}

function nearScores(actual: Scores, expected: Scores, what: string): void {
  near(actual.precision, expected.precision, `${what}.precision`);
  near(actual.recall, expected.recall, `${what}.recall`);
  near(actual.f1, expected.f1, `${what}.f1`);
}

function compare(got: ClassificationScores, want: SklearnScores, what: string): void {
  nearAll(got.perClass.precision, want.precision, `${what} precision`);
  nearAll(got.perClass.recall, want.recall, `${what} recall`);
  nearAll(got.perClass.f1, want.f1, `${what} f1`);
  expect(got.perClass.support, `${what} support`).toEqual(want.support);
  nearScores(got.macro, want.macro, `${what} macro`);
  nearScores(got.weighted, want.weighted, `${what} weighted`);
  nearScores(got.micro, want.micro, `${what} micro`);
  near(got.micro.f1, want.f1Score.micro, `${what} f1_score(micro)`);
  near(got.macro.f1, want.f1Score.macro, `${what} f1_score(macro)`);
  near(got.weighted.f1, want.f1Score.weighted, `${what} f1_score(weighted)`);
}

// sklearn warns exactly when our report lists a class: the UI's statement matches sklearn's.
function compareWarnings(got: ClassificationScores, warned: Expected['warned'], what: string): void {
  expect(got.zeroDivision.noPredictions.length > 0, `${what} precision warning`).toBe(warned.precision);
  expect(got.zeroDivision.noSupport.length > 0, `${what} recall warning`).toBe(warned.recall);
  expect(got.zeroDivision.neither.length > 0, `${what} f1_score warning`).toBe(warned.f1);
}

describe('metrics against scikit-learn', () => {
  it('fixtures come from scikit-learn 1.2.1', () => {
    expect(fixture.versions.sklearn).toBe('1.2.1');
  });

  describe('single-label', () => {
    it.each(fixture.singleLabel.map((c) => [c.name, c] as const))('%s', (_, c) => {
      expect(confusionMatrix(c.gold, c.predicted, c.numClasses)).toEqual(c.expected.confusion);
      near(accuracy(c.gold, c.predicted), c.expected.accuracy, 'accuracy');
      for (const [z, key] of settings) {
        const got = singleLabelMetrics(c.gold, c.predicted, c.numClasses, { zeroDivision: z });
        expect(got.confusion).toEqual(c.expected.confusion);
        near(got.accuracy, c.expected.accuracy, 'accuracy');
        compare(got, c.expected.byZeroDivision[key], `zero_division=${key}`);
        if (z === 'warn') compareWarnings(got, c.expected.warned, c.name);
      }
    });
  });

  describe('multi-label', () => {
    it.each(fixture.multiLabel.map((c) => [c.name, c] as const))('%s', (_, c) => {
      const predicted = multiLabelPredict(c.probabilities);
      expect(predicted).toEqual(c.expected.predicted);
      if (c.logits) expect(multiLabelPredictFromLogits(c.logits)).toEqual(c.expected.predicted);
      near(subsetAccuracy(c.gold, predicted), c.expected.subsetAccuracy, 'subset accuracy');
      near(hammingLoss(c.gold, predicted), c.expected.hammingLoss, 'Hamming loss');
      for (const [z, key] of settings) {
        const got = multiLabelMetrics(c.gold, predicted, { zeroDivision: z });
        near(got.subsetAccuracy, c.expected.subsetAccuracy, 'subset accuracy');
        near(got.hammingLoss, c.expected.hammingLoss, 'Hamming loss');
        compare(got, c.expected.byZeroDivision[key], `zero_division=${key}`);
        if (z === 'warn') compareWarnings(got, c.expected.warned, c.name);
      }
    });
  });

  describe('losses against torch', () => {
    it.each(fixture.crossEntropy.map((c) => [c.name, c] as const))('cross-entropy: %s', (_, c) => {
      const loss = meanCrossEntropyFromLogits(c.logits, c.targets);
      near(loss, c.torch, 'CrossEntropyLoss');
      if (c.sklearnLogLoss !== undefined) near(loss, c.sklearnLogLoss, 'log_loss');
    });
    it.each(fixture.bceWithLogits.map((c) => [c.name, c] as const))('BCE with logits: %s', (_, c) => {
      near(meanBinaryCrossEntropyWithLogits(c.logits, c.targets), c.torch, 'BCEWithLogitsLoss');
    });
  });
});

describe('metrics by hand', () => {
  it('single-label, K = 4 with class 3 absent from gold and predictions', () => {
    const gold = [0, 0, 1, 2, 2, 2];
    const pred = [0, 1, 1, 2, 2, 0];
    const m = singleLabelMetrics(gold, pred, 4);
    // Rows gold, columns predicted: gold 0 → {0, 1}; gold 1 → {1}; gold 2 → {2, 2, 0}.
    expect(m.confusion).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    // tp = diagonal [1, 1, 2, 0]; predicted = column sums [2, 2, 2, 0]; support = row sums [2, 1, 3, 0].
    expect(m.perClass.truePositives).toEqual([1, 1, 2, 0]);
    expect(m.perClass.predicted).toEqual([2, 2, 2, 0]);
    expect(m.perClass.support).toEqual([2, 1, 3, 0]);
    near(m.accuracy, 4 / 6, 'accuracy'); // 4 of 6 on the diagonal
    // precision = tp / predicted: 1/2, 1/2, 2/2, 0/0 → 0; recall = tp / support: 1/2, 1/1, 2/3, 0/0 → 0.
    nearAll(m.perClass.precision, [0.5, 0.5, 1, 0], 'precision');
    nearAll(m.perClass.recall, [0.5, 1, 2 / 3, 0], 'recall');
    // F1 = 2PR/(P+R): 2·.5·.5/1 = .5; 2·.5·1/1.5 = 2/3; 2·1·(2/3)/(5/3) = 4/5; 0.
    nearAll(m.perClass.f1, [0.5, 2 / 3, 0.8, 0], 'f1');
    // Macro over all 4 classes, class 3 included: P (.5+.5+1+0)/4 = .5; R (.5+1+2/3+0)/4 = 13/24;
    // F (.5+2/3+.8+0)/4 = (59/30)/4 = 59/120.
    nearScores(m.macro, { precision: 0.5, recall: 13 / 24, f1: 59 / 120 }, 'macro');
    // Weighted by support 2, 1, 3, 0 (total 6): P (1+.5+3)/6 = .75; R (1+1+2)/6 = 2/3;
    // F (1 + 2/3 + 2.4)/6 = (61/15)/6 = 61/90.
    nearScores(m.weighted, { precision: 0.75, recall: 2 / 3, f1: 61 / 90 }, 'weighted');
    // Micro: 4 true positives of 6 predictions and 6 gold labels → all 2/3 (= accuracy).
    nearScores(m.micro, { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 }, 'micro');
    expect(m.zeroDivision).toEqual({ noPredictions: [3], noSupport: [3], neither: [3], weightedWithoutSupport: false });

    // zero_division = 1: class 3 scores P = R = 1 and so F = 2·1·1/2 = 1; macro P (.5+.5+1+1)/4 = .75,
    // R (13/6 + 1)/4 = 19/24, F (59/30 + 1)/4 = 89/120. Weighted is unchanged: class 3 has weight 0.
    const one = singleLabelMetrics(gold, pred, 4, { zeroDivision: 1 });
    nearAll(one.perClass.f1, [0.5, 2 / 3, 0.8, 1], 'f1 (zero_division=1)');
    nearScores(one.macro, { precision: 0.75, recall: 19 / 24, f1: 89 / 120 }, 'macro (zero_division=1)');
    nearScores(one.weighted, m.weighted, 'weighted (zero_division=1)');
  });

  it('multi-label: threshold is strictly greater than 0.5', () => {
    const gold = [
      [1, 0, 1],
      [0, 0, 0],
      [1, 1, 0],
    ];
    const probs = [
      [0.9, 0.5, 0.4],
      [0.2, 0.7, 0.1],
      [0.6, 0.3, 0.5],
    ];
    const pred = multiLabelPredict(probs);
    // 0.5 is not > 0.5, so both cells at exactly 0.5 stay off.
    expect(pred).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const m = multiLabelMetrics(gold, pred);
    // label 0: tp 2, fp 0, fn 0 → P = R = F = 1, support 2.
    // label 1: tp 0, fp 1 (row 1), fn 1 (row 2) → P = R = F = 0, support 1.
    // label 2: tp 0, never predicted (precision 0/0 → 0), fn 1 → P = R = F = 0, support 1.
    nearAll(m.perClass.precision, [1, 0, 0], 'precision');
    nearAll(m.perClass.recall, [1, 0, 0], 'recall');
    nearAll(m.perClass.f1, [1, 0, 0], 'f1');
    expect(m.perClass.support).toEqual([2, 1, 1]);
    // Micro: tp 2, predicted 3, gold 4 → P 2/3, R 1/2, F 2·(2/3)·(1/2)/(7/6) = 4/7.
    nearScores(m.micro, { precision: 2 / 3, recall: 0.5, f1: 4 / 7 }, 'micro');
    nearScores(m.macro, { precision: 1 / 3, recall: 1 / 3, f1: 1 / 3 }, 'macro');
    // No row matches exactly; one wrong cell per row → 3 of 9.
    near(m.subsetAccuracy, 0, 'subset accuracy');
    near(m.hammingLoss, 1 / 3, 'Hamming loss');
    expect(m.zeroDivision).toEqual({ noPredictions: [2], noSupport: [], neither: [], weightedWithoutSupport: false });
  });

  it('weighted average when no gold labels exist, as sklearn', () => {
    // Total support 0: sklearn returns (0, zd, 0) when something was predicted, (zd, zd, zd) otherwise.
    const some = scoresFromCounts([0, 0], [1, 0], [0, 0]);
    expect(some.weighted).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(scoresFromCounts([0, 0], [1, 0], [0, 0], { zeroDivision: 1 }).weighted).toEqual({ precision: 0, recall: 1, f1: 0 });
    expect(scoresFromCounts([0, 0], [0, 0], [0, 0], { zeroDivision: 1 }).weighted).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(some.zeroDivision.weightedWithoutSupport).toBe(true);
  });

  it('losses', () => {
    // Cross-entropy: row [0, 0], target 0 → log(e⁰+e⁰) − 0 = ln 2; row [ln 3, 0, 0], target 1 →
    // log(3+1+1) − 0 = ln 5. Mean (ln 2 + ln 5)/2 = ln 10 / 2.
    near(meanCrossEntropyFromLogits([[0, 0], [Math.log(3), 0, 0]], [0, 1]), Math.log(10) / 2, 'cross-entropy');
    // Logit 1000 on the wrong class: −log_softmax = 1000 exactly, not Infinity.
    expect(meanCrossEntropyFromLogits([[0, 1000]], [0])).toBe(1000);
    // BCE: logit 0, target 1 → ln(1 + e⁰) = ln 2; logit ln 3, target 0 → ln(1 + 3) = ln 4.
    // Mean (ln 2 + 2 ln 2)/2 = 1.5 ln 2.
    near(meanBinaryCrossEntropyWithLogits([[0, Math.log(3)]], [[1, 0]]), 1.5 * Math.LN2, 'BCE');
    expect(meanBinaryCrossEntropyWithLogits([[-1000]], [[1]])).toBe(1000);
  });

  it('refuses malformed input', () => {
    expect(() => singleLabelMetrics([0, 3], [0, 1], 3)).toThrow(RangeError);
    expect(() => singleLabelMetrics([0, 1], [0], 2)).toThrow(RangeError);
    expect(() => singleLabelMetrics([], [], 2)).toThrow(RangeError);
    expect(() => multiLabelMetrics([[1, 0]], [[0.7, 0]])).toThrow(RangeError);
    expect(() => meanCrossEntropyFromLogits([[0, 1]], [2])).toThrow(RangeError);
  });
});
