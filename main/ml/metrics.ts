// Classification metrics as scikit-learn 1.2.1 defines them (sklearn.metrics accuracy_score,
// confusion_matrix, precision_recall_fscore_support, hamming_loss), and validation losses as
// torch.nn.CrossEntropyLoss / BCEWithLogitsLoss compute them. Checked against fixtures from
// scikit-learn 1.2.1, numpy 1.24.2 and torch 1.13 (scripts/fixtures/make_sklearn_fixtures.py).
//
// Every function takes plain arrays (or typed arrays) and returns plain data, so results can
// cross the worker and IPC boundaries as they are. Arithmetic is float64 throughout.

/** Class indices 0…K-1, one per example. */
export type Labels = ArrayLike<number>;
/** Rows of numbers: [N, K] logits or probabilities, or an [N, L] 0/1 indicator matrix. */
export type Matrix = ArrayLike<ArrayLike<number>>;

/**
 * What an ill-defined ratio (0/0) becomes, as sklearn's `zero_division`: 'warn' (sklearn's
 * default) and 0 give 0, 1 gives 1. sklearn also warns under 'warn'; here the classes concerned
 * are listed in `zeroDivision` of the result instead, for the UI to state.
 */
export type ZeroDivision = 'warn' | 0 | 1;

export interface MetricOptions {
  /** Default 'warn', as sklearn. */
  zeroDivision?: ZeroDivision;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

/** One entry per class (label), in index order. */
export interface PerClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  /** Gold examples of the class (sklearn's support). */
  support: number[];
  /** Examples predicted as the class. */
  predicted: number[];
  truePositives: number[];
}

/** Where a ratio was 0/0 and took the `zeroDivision` value. */
export interface ZeroDivisionReport {
  /** Classes never predicted: precision ill-defined (sklearn: "Precision and F-score are ill-defined"). */
  noPredictions: number[];
  /** Classes absent from gold: recall ill-defined (sklearn: "Recall and F-score are ill-defined"). */
  noSupport: number[];
  /** Classes in both lists: the only case in which sklearn's f1_score itself warns. */
  neither: number[];
  /** Total support is 0, so the weighted average is sklearn's special case, not a weighted mean. */
  weightedWithoutSupport: boolean;
}

export interface ClassificationScores {
  perClass: PerClassScores;
  /** Unweighted mean over all K classes, including classes with no support (as sklearn with labels=). */
  macro: Scores;
  /** Mean weighted by support. */
  weighted: Scores;
  /** From summed counts. Single-label: all three equal accuracy. */
  micro: Scores;
  zeroDivision: ZeroDivisionReport;
}

export interface SingleLabelMetrics extends ClassificationScores {
  accuracy: number;
  /** [K, K] counts: row = gold class, column = predicted class. */
  confusion: number[][];
}

export interface MultiLabelMetrics extends ClassificationScores {
  /** Share of examples whose predicted label set equals the gold set exactly (sklearn accuracy_score). */
  subsetAccuracy: number;
  /** Share of wrong (example, label) cells. */
  hammingLoss: number;
}

const zeroDivisionValue = (z: ZeroDivision): number => (z === 1 ? 1 : 0);

function ratio(num: number, den: number, z: ZeroDivision): number {
  return den === 0 ? zeroDivisionValue(z) : num / den;
}

// sklearn 1.2.1 derives F from the already-substituted precision and recall, in this order:
// (1 + beta²) * precision * recall / (beta² * precision + recall), with a 0 denominator set to 1.
function fScore(p: number, r: number): number {
  const den = p + r;
  return (2 * p * r) / (den === 0 ? 1 : den);
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function weightedMean(xs: number[], w: number[], wSum: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * w[i];
  return s / wSum;
}

/**
 * Precision, recall and F1 per class and averaged, from per-class counts, exactly as sklearn's
 * precision_recall_fscore_support (with labels = every class) turns its confusion counts into scores.
 */
export function scoresFromCounts(
  truePositives: ArrayLike<number>,
  predicted: ArrayLike<number>,
  support: ArrayLike<number>,
  options: MetricOptions = {},
): ClassificationScores {
  const z = options.zeroDivision ?? 'warn';
  const K = truePositives.length;
  if (predicted.length !== K || support.length !== K) throw new RangeError(`count arrays differ in length: ${K}, ${predicted.length}, ${support.length}`);
  if (K === 0) throw new RangeError('no classes');
  const tp = Array.from(truePositives);
  const pred = Array.from(predicted);
  const sup = Array.from(support);
  const precision = tp.map((t, k) => ratio(t, pred[k], z));
  const recall = tp.map((t, k) => ratio(t, sup[k], z));
  const f1 = precision.map((p, k) => fScore(p, recall[k]));

  const tpSum = tp.reduce((a, b) => a + b, 0);
  const predSum = pred.reduce((a, b) => a + b, 0);
  const supSum = sup.reduce((a, b) => a + b, 0);
  const microP = ratio(tpSum, predSum, z);
  const microR = ratio(tpSum, supSum, z);

  let weighted: Scores;
  if (supSum === 0) {
    // sklearn returns fixed values here rather than dividing by a zero total weight.
    const v = zeroDivisionValue(z);
    weighted = predSum === 0 ? { precision: v, recall: v, f1: v } : { precision: 0, recall: v, f1: 0 };
  } else {
    weighted = { precision: weightedMean(precision, sup, supSum), recall: weightedMean(recall, sup, supSum), f1: weightedMean(f1, sup, supSum) };
  }

  const classes = (test: (k: number) => boolean) => [...Array(K).keys()].filter(test);
  return {
    perClass: { precision, recall, f1, support: sup, predicted: pred, truePositives: tp },
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    weighted,
    micro: { precision: microP, recall: microR, f1: fScore(microP, microR) },
    zeroDivision: {
      noPredictions: classes((k) => pred[k] === 0),
      noSupport: classes((k) => sup[k] === 0),
      neither: classes((k) => pred[k] === 0 && sup[k] === 0),
      weightedWithoutSupport: supSum === 0,
    },
  };
}

function checkLabels(labels: Labels, numClasses: number, what: string): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) throw new RangeError(`${what}[${i}] = ${y} is not a class index in 0…${numClasses - 1}`);
  }
}

function checkPair(gold: Labels, predicted: Labels, numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  if (gold.length !== predicted.length) throw new RangeError(`${gold.length} gold labels but ${predicted.length} predictions`);
  if (gold.length === 0) throw new RangeError('no examples');
  checkLabels(gold, numClasses, 'gold');
  checkLabels(predicted, numClasses, 'predicted');
}

/** [K, K] counts, row = gold, column = predicted (sklearn confusion_matrix with labels=0…K-1). */
export function confusionMatrix(gold: Labels, predicted: Labels, numClasses: number): number[][] {
  checkPair(gold, predicted, numClasses);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < gold.length; i++) m[gold[i]][predicted[i]]++;
  return m;
}

/** Share of examples predicted correctly. */
export function accuracy(gold: Labels, predicted: Labels): number {
  if (gold.length !== predicted.length) throw new RangeError(`${gold.length} gold labels but ${predicted.length} predictions`);
  if (gold.length === 0) throw new RangeError('no examples');
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) correct++;
  return correct / gold.length;
}

/**
 * Every single-label metric for K classes; classes absent from both gold and predictions are
 * kept, with support 0, and count in the macro average (as sklearn with labels=0…K-1).
 */
export function singleLabelMetrics(gold: Labels, predicted: Labels, numClasses: number, options: MetricOptions = {}): SingleLabelMetrics {
  const confusion = confusionMatrix(gold, predicted, numClasses);
  const tp = confusion.map((row, k) => row[k]);
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const pred = confusion[0].map((_, k) => confusion.reduce((a, row) => a + row[k], 0));
  const correct = tp.reduce((a, b) => a + b, 0);
  return { ...scoresFromCounts(tp, pred, support, options), accuracy: correct / gold.length, confusion };
}

/**
 * Multi-label decisions: label on where probability > threshold, strictly, so 0.5 itself is off.
 * That is sklearn's OneVsRestClassifier.predict rule and transformers' run_classification.py
 * (logit > 0); a `>=` rule would turn on every label of an undecided (logit 0) example.
 */
export function multiLabelPredict(probabilities: Matrix, threshold = 0.5): number[][] {
  return Array.from(probabilities, (row) => Array.from(row, (p) => (p > threshold ? 1 : 0)));
}

/**
 * Multi-label decisions from logits: logit > 0, as transformers' run_classification.py. Equal to
 * sigmoid(logit) > 0.5 except for 0 < logit < ~1e-16, where float64 sigmoid rounds to 0.5.
 */
export function multiLabelPredictFromLogits(logits: Matrix): number[][] {
  return multiLabelPredict(logits, 0);
}

function checkIndicators(gold: Matrix, predicted: Matrix): number {
  if (gold.length !== predicted.length) throw new RangeError(`${gold.length} gold rows but ${predicted.length} predicted rows`);
  if (gold.length === 0) throw new RangeError('no examples');
  const L = gold[0].length;
  if (L === 0) throw new RangeError('no labels');
  for (let i = 0; i < gold.length; i++) {
    for (const [what, row] of [['gold', gold[i]], ['predicted', predicted[i]]] as const) {
      if (row.length !== L) throw new RangeError(`${what} row ${i} has ${row.length} labels, expected ${L}`);
      for (let j = 0; j < L; j++) if (row[j] !== 0 && row[j] !== 1) throw new RangeError(`${what}[${i}][${j}] = ${row[j]} is not 0 or 1`);
    }
  }
  return L;
}

/** Share of rows whose predicted indicator row equals the gold row (sklearn accuracy_score on indicators). */
export function subsetAccuracy(gold: Matrix, predicted: Matrix): number {
  return exactRows(gold, predicted, checkIndicators(gold, predicted)) / gold.length;
}

/** Share of (example, label) cells that differ (sklearn hamming_loss). */
export function hammingLoss(gold: Matrix, predicted: Matrix): number {
  const L = checkIndicators(gold, predicted);
  return wrongCells(gold, predicted, L) / (gold.length * L);
}

function exactRows(gold: Matrix, predicted: Matrix, L: number): number {
  let exact = 0;
  for (let i = 0; i < gold.length; i++) {
    let same = true;
    for (let j = 0; j < L && same; j++) same = gold[i][j] === predicted[i][j];
    if (same) exact++;
  }
  return exact;
}

function wrongCells(gold: Matrix, predicted: Matrix, L: number): number {
  let wrong = 0;
  for (let i = 0; i < gold.length; i++) for (let j = 0; j < L; j++) if (gold[i][j] !== predicted[i][j]) wrong++;
  return wrong;
}

/** Every multi-label metric from [N, L] 0/1 indicator matrices (predictions already thresholded). */
export function multiLabelMetrics(gold: Matrix, predicted: Matrix, options: MetricOptions = {}): MultiLabelMetrics {
  const L = checkIndicators(gold, predicted);
  const tp = new Array<number>(L).fill(0);
  const pred = new Array<number>(L).fill(0);
  const support = new Array<number>(L).fill(0);
  for (let i = 0; i < gold.length; i++) {
    for (let j = 0; j < L; j++) {
      tp[j] += gold[i][j] & predicted[i][j];
      pred[j] += predicted[i][j];
      support[j] += gold[i][j];
    }
  }
  return {
    ...scoresFromCounts(tp, pred, support, options),
    subsetAccuracy: exactRows(gold, predicted, L) / gold.length,
    hammingLoss: wrongCells(gold, predicted, L) / (gold.length * L),
  };
}

/**
 * Mean cross-entropy of [N, K] logits against class indices, as torch.nn.CrossEntropyLoss():
 * log-softmax with the row maximum subtracted, so large logits neither overflow nor lose the loss.
 */
export function meanCrossEntropyFromLogits(logits: Matrix, targets: Labels): number {
  if (logits.length !== targets.length) throw new RangeError(`${logits.length} logit rows but ${targets.length} targets`);
  if (logits.length === 0) throw new RangeError('no examples');
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const row = logits[i];
    const t = targets[i];
    if (!Number.isInteger(t) || t < 0 || t >= row.length) throw new RangeError(`targets[${i}] = ${t} is not a class index in 0…${row.length - 1}`);
    let max = -Infinity;
    for (let k = 0; k < row.length; k++) if (row[k] > max) max = row[k];
    let sum = 0;
    for (let k = 0; k < row.length; k++) sum += Math.exp(row[k] - max);
    total += Math.log(sum) - (row[t] - max); // −log_softmax(row)[t]
  }
  return total / logits.length;
}

/**
 * Mean binary cross-entropy of [N, L] logits against targets in [0, 1] (0/1 or soft), as
 * torch.nn.BCEWithLogitsLoss(): per cell max(x, 0) − x·y + log1p(exp(−|x|)), averaged over all cells.
 */
export function meanBinaryCrossEntropyWithLogits(logits: Matrix, targets: Matrix): number {
  if (logits.length !== targets.length) throw new RangeError(`${logits.length} logit rows but ${targets.length} target rows`);
  if (logits.length === 0) throw new RangeError('no examples');
  let total = 0;
  let cells = 0;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i];
    const y = targets[i];
    if (x.length !== y.length) throw new RangeError(`row ${i}: ${x.length} logits but ${y.length} targets`);
    for (let j = 0; j < x.length; j++) total += Math.max(x[j], 0) - x[j] * y[j] + Math.log1p(Math.exp(-Math.abs(x[j])));
    cells += x.length;
  }
  return total / cells;
}
