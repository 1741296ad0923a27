// A classifier's logits as a researcher reads them: probabilities (softmax over the classes, or a
// sigmoid per label), the labels decided (argmax, or p > threshold strictly as scikit-learn's
// OneVsRestClassifier and fine-tuning's logit > 0 at 0.5) and how sure the decision is.
import type { TrainTask } from '../../common/contract';

/** [K] probabilities of one row of logits, in float64: softmax with the maximum subtracted, or a sigmoid per label. */
export function probabilitiesOf(logits: ArrayLike<number>, task: TrainTask): number[] {
  const row = Array.from(logits);
  if (task === 'multi-label') return row.map((l) => 1 / (1 + Math.exp(-l)));
  const max = Math.max(...row);
  const exp = row.map((l) => Math.exp(l - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

/** The indices of the labels decided: the most probable class (the first of ties, as argmax), or every label with p > threshold. */
export function decide(probabilities: readonly number[], task: TrainTask, threshold: number): number[] {
  if (task === 'single-label') return [probabilities.indexOf(Math.max(...probabilities))];
  return probabilities.flatMap((p, i) => (p > threshold ? [i] : []));
}

/**
 * How sure the decision is: the top class's probability (single-label), or the least sure of the
 * per-label decisions at the threshold they were made with (multi-label): for each label the
 * probability of what was decided, p when p > threshold and 1 − p otherwise, and the least of them.
 * At 0.5 that is min over labels of max(p, 1 − p); at another threshold a label predicted with
 * p = 0.35 > 0.3 is a decision the model gives 0.35, not the 0.65 of the opposite one.
 */
export function confidenceOf(probabilities: readonly number[], task: TrainTask, threshold = 0.5): number {
  if (task === 'single-label') return Math.max(...probabilities);
  return Math.min(...probabilities.map((p) => (p > threshold ? p : 1 - p)));
}
