// A prediction run against the corpus's gold labels, with the project's metrics (main/ml/metrics.ts,
// scikit-learn's definitions) over the classifier's labels. A gold label the classifier never saw
// cannot be predicted: single-label documents with one are left out, multi-label documents are
// compared on the shared labels only; both are counted and named in the result.
import type { PredictionEvaluation, TestMetrics, TrainTask } from '../../../common/contract';
import { multiLabelMetrics, singleLabelMetrics, type ClassificationScores } from '../../ml/metrics';

export interface EvaluatedDocument {
  /** The document's gold labels (empty: none). */
  gold: readonly string[];
  /** The indices of the labels predicted. */
  predicted: readonly number[];
}

/** The comparison, or null when no document has a gold label (or none could be compared). */
export function evaluatePredictions(labels: readonly string[], task: TrainTask, documents: readonly EvaluatedDocument[]): PredictionEvaluation | null {
  const K = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const withGold = documents.filter((d) => d.gold.length > 0);
  const unseenLabels = new Set<string>();
  let unseenDocuments = 0;
  for (const d of withGold) {
    const unknown = d.gold.filter((g) => !index.has(g));
    unknown.forEach((g) => unseenLabels.add(g));
    if (unknown.length > 0) unseenDocuments++;
  }
  const compared = task === 'single-label' ? withGold.filter((d) => index.has(d.gold[0])) : withGold;
  if (compared.length === 0) return null;
  const named = (m: ClassificationScores) => ({
    perClass: labels.map((label, i) => ({ label, precision: m.perClass.precision[i], recall: m.perClass.recall[i], f1: m.perClass.f1[i], support: m.perClass.support[i] })),
    macro: m.macro,
    micro: m.micro,
    weighted: m.weighted,
    zeroDivision: { noPredictions: m.zeroDivision.noPredictions.map((i) => labels[i]), noSupport: m.zeroDivision.noSupport.map((i) => labels[i]) },
  });
  let metrics: TestMetrics;
  if (task === 'single-label') {
    const m = singleLabelMetrics(
      compared.map((d) => index.get(d.gold[0])!),
      compared.map((d) => d.predicted[0]),
      K,
    );
    metrics = { task, documents: compared.length, accuracy: m.accuracy, ...named(m), confusion: m.confusion, hammingLoss: null, majorityBaseline: null };
  } else {
    const indicators = (on: readonly number[]) => labels.map((_, i) => (on.includes(i) ? 1 : 0));
    const m = multiLabelMetrics(
      compared.map((d) => indicators(d.gold.filter((g) => index.has(g)).map((g) => index.get(g)!))),
      compared.map((d) => indicators(d.predicted)),
    );
    metrics = { task, documents: compared.length, accuracy: m.subsetAccuracy, ...named(m), confusion: null, hammingLoss: m.hammingLoss, majorityBaseline: null };
  }
  return {
    metrics,
    withGold: withGold.length,
    withoutGold: documents.length - withGold.length,
    unseen: { labels: [...unseenLabels].sort(), documents: unseenDocuments },
  };
}
