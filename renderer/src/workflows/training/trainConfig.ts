// Fine-tuning configs as a researcher reads them: the wizard's defaults, learning rates as
// text, the readable summary, the differences between runs, and the JSON `shirabe train
// --config` takes. Pure: translation and names come in through ConfigText.
import { loraTargetNames, trainDefaults, type LoraTargetName, type TrainConfig, type TrainMethod, type TrainRunInfo } from '../../../../common/contract';

/** Every field explicit, from the contract's defaults (the CiNii BERT recipe). */
export function defaultTrainConfig(corpusId: number, modelPath: string, method: TrainMethod = trainDefaults.method): TrainConfig {
  return {
    corpusId,
    modelPath,
    method,
    task: trainDefaults.task,
    learningRates: [...defaultLearningRates(method)],
    epochs: trainDefaults.epochs,
    batchSize: trainDefaults.batchSize,
    gradientAccumulation: trainDefaults.gradientAccumulation,
    maxLength: trainDefaults.maxLength,
    truncation: trainDefaults.truncation,
    seed: trainDefaults.seed,
    weightDecay: trainDefaults.weightDecay,
    warmupRatio: trainDefaults.warmupRatio,
    maxGradNorm: trainDefaults.maxGradNorm,
    lora: { ...trainDefaults.lora, targets: [...trainDefaults.lora.targets] },
    validation: { ...trainDefaults.validation },
    labelSeparator: trainDefaults.labelSeparator,
    checkpointEvery: trainDefaults.checkpointEvery,
    name: '',
  };
}

export function defaultLearningRates(method: TrainMethod): readonly number[] {
  return method === 'lora' ? trainDefaults.learningRatesLora : trainDefaults.learningRatesFull;
}

/** 2e-5 → "2e-5", 0.00015 → "1.5e-4": how papers write learning rates. */
export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr)) return String(lr);
  const [mantissa, exponent] = lr.toExponential().split('e');
  // toExponential gives up to 20 digits for values like 3e-5 * 1.1; 4 significant are plenty.
  const m = String(Number(Number(mantissa).toPrecision(4)));
  return `${m}e${exponent.replace('+', '')}`;
}

/** "2e-5", "0.00002", " 2E-5 " → 2e-5; anything not in (0, 1] → null (the contract's range). */
export function parseLearningRate(text: string): number | null {
  const s = text.trim();
  if (!/^[0-9.]+(e[+-]?[0-9]+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && n > 0 && n <= 1 ? n : null;
}

/** The learning-rate list as typed: the numbers (duplicates dropped, order kept) and what could not be read. */
export function parseLearningRates(texts: readonly string[]): { rates: number[]; invalid: string[] } {
  const rates: number[] = [];
  const invalid: string[] = [];
  for (const text of texts) {
    const lr = parseLearningRate(text);
    if (lr === null) invalid.push(text);
    else if (!rates.includes(lr)) rates.push(lr);
  }
  return { rates, invalid };
}

/** The config as `shirabe train --config` reads it: every field, in the contract's order, 2-space JSON. */
export function configJson(config: TrainConfig): string {
  const ordered: TrainConfig = {
    corpusId: config.corpusId,
    modelPath: config.modelPath,
    method: config.method,
    task: config.task,
    learningRates: config.learningRates,
    epochs: config.epochs,
    batchSize: config.batchSize,
    gradientAccumulation: config.gradientAccumulation,
    maxLength: config.maxLength,
    truncation: config.truncation,
    seed: config.seed,
    weightDecay: config.weightDecay,
    warmupRatio: config.warmupRatio,
    maxGradNorm: config.maxGradNorm,
    lora: { rank: config.lora.rank, alpha: config.lora.alpha, dropout: config.lora.dropout, targets: config.lora.targets },
    validation: config.validation.source === 'holdout' ? { source: 'holdout', fraction: config.validation.fraction } : { source: 'dev' },
    labelSeparator: config.labelSeparator,
    checkpointEvery: config.checkpointEvery,
    name: config.name,
  };
  // Learning rates on one line as papers write them (8e-6 is a JSON number too).
  // Every digit kept (toExponential without a precision is exact), so the file round-trips.
  const rates = `"learningRates": [${config.learningRates.map((lr) => lr.toExponential().replace('e+', 'e')).join(', ')}]`;
  return `${JSON.stringify(ordered, null, 2).replace(/"learningRates": \[[^\]]*\]/, rates)}\n`;
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** What the summary needs besides the config: translations and the names behind ids and paths. */
export interface ConfigText {
  t: Translate;
  corpusName(corpusId: number): string;
  modelName(modelPath: string): string;
}

export const configRowKeys = [
  'name',
  'corpus',
  'model',
  'method',
  'task',
  'labelSeparator',
  'validation',
  'learningRates',
  'epochs',
  'batchSize',
  'gradientAccumulation',
  'effectiveBatch',
  'maxLength',
  'truncation',
  'seed',
  'weightDecay',
  'warmupRatio',
  'maxGradNorm',
  'checkpointEvery',
  'loraRank',
  'loraAlpha',
  'loraDropout',
  'loraTargets',
] as const;
export type ConfigRowKey = (typeof configRowKeys)[number];

export interface ConfigRow {
  key: ConfigRowKey;
  value: string;
}

/** i18n keys may not contain '+'. */
export const truncationKey = { head: 'head', 'head+tail': 'headTail' } as const;

function percent(fraction: number): string {
  return String(Math.round(fraction * 1000) / 10);
}

function targetsText(targets: readonly LoraTargetName[], t: Translate): string {
  // In the contract's order, whatever order they were ticked in.
  return loraTargetNames
    .filter((n) => targets.includes(n))
    .map((n) => t(`train.loraTargets.${n}`))
    .join(t('common.listSeparator'));
}

/**
 * The config as rows of the readable summary. Rows that do not apply (LoRA settings of a full
 * fine-tune, the label separator of a single-label task, an empty name) are left out, or with
 * `all` shown as "—" so that runs line up for comparison.
 */
export function configRows(config: TrainConfig, text: ConfigText, all = false): ConfigRow[] {
  const { t } = text;
  const none = t('train.config.notApplicable');
  const lora = config.method === 'lora';
  const multi = config.task === 'multi-label';
  const value: Record<ConfigRowKey, string | null> = {
    name: config.name || (all ? none : null),
    corpus: text.corpusName(config.corpusId),
    model: text.modelName(config.modelPath),
    method: t(`train.methods.${config.method}`),
    task: t(`train.tasks.${config.task === 'single-label' ? 'single' : 'multi'}`),
    labelSeparator: multi ? `"${config.labelSeparator}"` : all ? none : null,
    validation:
      config.validation.source === 'holdout'
        ? t('train.config.holdout', { percent: percent(config.validation.fraction) })
        : t('train.config.devSplit'),
    learningRates: config.learningRates.map(formatLearningRate).join(t('common.listSeparator')),
    epochs: String(config.epochs),
    batchSize: String(config.batchSize),
    gradientAccumulation: String(config.gradientAccumulation),
    effectiveBatch: String(config.batchSize * config.gradientAccumulation),
    maxLength: String(config.maxLength),
    truncation: t(`train.truncations.${truncationKey[config.truncation]}`),
    seed: String(config.seed),
    weightDecay: String(config.weightDecay),
    warmupRatio: String(config.warmupRatio),
    maxGradNorm: String(config.maxGradNorm),
    checkpointEvery: String(config.checkpointEvery),
    loraRank: lora ? String(config.lora.rank) : all ? none : null,
    loraAlpha: lora ? String(config.lora.alpha) : all ? none : null,
    loraDropout: lora ? String(config.lora.dropout) : all ? none : null,
    loraTargets: lora ? targetsText(config.lora.targets, t) : all ? none : null,
  };
  return configRowKeys.flatMap((key) => (value[key] === null ? [] : [{ key, value: value[key] }]));
}

export interface CompareRow {
  key: ConfigRowKey;
  values: string[];
  /** Not the same in every run. */
  differs: boolean;
}

/** The configs side by side, one value per run, each row marked when the runs differ in it. */
export function compareConfigs(configs: readonly TrainConfig[], text: ConfigText): CompareRow[] {
  const tables = configs.map((c) => new Map(configRows(c, text, true).map((r) => [r.key, r.value])));
  return configRowKeys.map((key) => {
    const values = tables.map((m) => m.get(key) ?? '');
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

export const metricRowKeys = [
  'accuracy',
  'macroF1',
  'macroPrecision',
  'macroRecall',
  'microF1',
  'weightedF1',
  'hammingLoss',
  'majorityAccuracy',
  'bestLearningRate',
  'bestEpoch',
  'bestValidationLoss',
  'trainDocuments',
  'validationDocuments',
  'testDocuments',
  'seconds',
] as const;
export type MetricRowKey = (typeof metricRowKeys)[number];

export interface MetricRow {
  key: MetricRowKey;
  values: (number | null)[];
  /** Which way is better, for marking the best run; null where "better" has no meaning. */
  better: 'higher' | 'lower' | null;
  /** Indexes of the runs with the best value (ties share it); empty when fewer than two runs have one. */
  best: number[];
}

/** Test metrics and outcome of each run side by side, with the best of each row marked. */
export function compareMetrics(runs: readonly TrainRunInfo[]): MetricRow[] {
  const pick: Record<MetricRowKey, [(r: TrainRunInfo) => number | null | undefined, MetricRow['better']]> = {
    accuracy: [(r) => r.test?.accuracy, 'higher'],
    macroF1: [(r) => r.test?.macro.f1, 'higher'],
    macroPrecision: [(r) => r.test?.macro.precision, 'higher'],
    macroRecall: [(r) => r.test?.macro.recall, 'higher'],
    microF1: [(r) => r.test?.micro.f1, 'higher'],
    weightedF1: [(r) => r.test?.weighted.f1, 'higher'],
    hammingLoss: [(r) => r.test?.hammingLoss, 'lower'],
    majorityAccuracy: [(r) => r.test?.majorityBaseline?.accuracy, null],
    bestLearningRate: [(r) => r.best?.learningRate, null],
    bestEpoch: [(r) => r.best?.epoch, null],
    bestValidationLoss: [(r) => r.best?.validationLoss, null],
    trainDocuments: [(r) => r.documents.train, null],
    validationDocuments: [(r) => r.documents.validation, null],
    testDocuments: [(r) => r.documents.test, null],
    seconds: [(r) => r.seconds, 'lower'],
  };
  const rows: MetricRow[] = [];
  for (const key of metricRowKeys) {
    const [get, better] = pick[key];
    const values = runs.map((r) => {
      const v = get(r);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
    const present = values.filter((v): v is number => v !== null);
    // A row no run has a value for (e.g. Hamming loss of single-label runs) is left out.
    if (present.length === 0) continue;
    let best: number[] = [];
    if (better && present.length >= 2) {
      const target = better === 'higher' ? Math.max(...present) : Math.min(...present);
      if (present.some((v) => v !== target)) best = values.flatMap((v, i) => (v === target ? [i] : []));
    }
    rows.push({ key, values, better, best });
  }
  return rows;
}
