import { describe, expect, it } from 'vitest';
import { trainConfigSchema, type TrainRunInfo, type TestMetrics } from '../../../../common/contract';
import {
  compareConfigs,
  compareMetrics,
  configJson,
  configRows,
  defaultTrainConfig,
  formatLearningRate,
  parseLearningRate,
  parseLearningRates,
  type ConfigText,
} from './trainConfig';

/** Keys with their parameters instead of words, so the rows can be checked exactly. */
const text: ConfigText = {
  t: (key, params) => (params ? `${key}${JSON.stringify(params)}` : key),
  corpusName: (id) => `corpus${id}`,
  modelName: (path) => path.split('/').pop() ?? path,
};

describe('learning rates as text', () => {
  it('are written as papers write them', () => {
    expect(formatLearningRate(2e-5)).toBe('2e-5');
    expect(formatLearningRate(8e-6)).toBe('8e-6');
    expect(formatLearningRate(0.00015)).toBe('1.5e-4');
    expect(formatLearningRate(1e-3)).toBe('1e-3');
    expect(formatLearningRate(1)).toBe('1e0');
    // Floating-point noise is not shown.
    expect(formatLearningRate(3e-5 * 1.1)).toBe('3.3e-5');
  });

  it('are read in either notation, within the contract range (0, 1]', () => {
    expect(parseLearningRate('2e-5')).toBe(2e-5);
    expect(parseLearningRate(' 2E-5 ')).toBe(2e-5);
    expect(parseLearningRate('0.00002')).toBe(0.00002);
    expect(parseLearningRate('1')).toBe(1);
    for (const bad of ['', '0', '-1e-5', '2', 'abc', '1e-5x', 'Infinity', '1e400']) expect(parseLearningRate(bad), bad).toBeNull();
  });

  it('drop duplicates, keep the order typed and report what cannot be read', () => {
    expect(parseLearningRates(['5e-5', '1e-5', '0.00005', 'x', '-3'])).toEqual({ rates: [5e-5, 1e-5], invalid: ['x', '-3'] });
  });
});

describe('the wizard config', () => {
  it('starts from the contract defaults and is valid as it is', () => {
    const c = defaultTrainConfig(3, '/models/bert');
    expect(c).toMatchObject({ corpusId: 3, method: 'full', batchSize: 6, epochs: 5, learningRates: [8e-6, 1e-5, 2e-5, 5e-5], validation: { source: 'holdout', fraction: 0.2 } });
    expect(defaultTrainConfig(3, '/m', 'lora').learningRates).toEqual([1e-4, 2e-4, 5e-4, 1e-3]);
    expect(trainConfigSchema.safeParse(c).success).toBe(true);
  });

  it('round-trips through the JSON the CLI reads, every field explicit', () => {
    const c = { ...defaultTrainConfig(1, '/models/bert', 'lora'), name: '試行 1', validation: { source: 'dev' as const } };
    const json = configJson(c);
    expect(json.endsWith('\n')).toBe(true);
    expect(json).toContain('"learningRates": [1e-4, 2e-4, 5e-4, 1e-3],');
    const odd = [3e-5 * 1.1, 1, 1.23456789e-5];
    expect(JSON.parse(configJson({ ...c, learningRates: odd })).learningRates).toEqual(odd);
    const parsed: unknown = JSON.parse(json);
    expect(Object.keys(parsed as object)).toEqual(Object.keys(defaultTrainConfig(1, '')));
    expect(trainConfigSchema.parse(parsed)).toEqual(c);
  });
});

describe('config summary', () => {
  it('shows only the rows that apply', () => {
    const full = configRows(defaultTrainConfig(1, '/models/bert'), text);
    const keys = full.map((r) => r.key);
    expect(keys).not.toContain('loraRank');
    expect(keys).not.toContain('labelSeparator');
    expect(keys).not.toContain('name');
    expect(full.find((r) => r.key === 'learningRates')?.value).toBe('8e-6common.listSeparator1e-5common.listSeparator2e-5common.listSeparator5e-5');
    expect(full.find((r) => r.key === 'validation')?.value).toBe('train.config.holdout{"percent":"20"}');
    expect(full.find((r) => r.key === 'effectiveBatch')?.value).toBe('6');
    expect(full.find((r) => r.key === 'model')?.value).toBe('bert');

    const lora = configRows({ ...defaultTrainConfig(1, '/m', 'lora'), task: 'multi-label', name: 'x', lora: { rank: 4, alpha: 8, dropout: 0, targets: ['value', 'query', 'output'] } }, text);
    expect(lora.find((r) => r.key === 'loraRank')?.value).toBe('4');
    expect(lora.find((r) => r.key === 'labelSeparator')?.value).toBe('";"');
    // Targets in the contract's order, whatever order they were ticked in.
    expect(lora.find((r) => r.key === 'loraTargets')?.value).toBe('train.loraTargets.querycommon.listSeparatortrain.loraTargets.valuecommon.listSeparatortrain.loraTargets.output');
  });

  it('lines runs up for comparison and marks the settings they differ in', () => {
    const a = defaultTrainConfig(1, '/models/bert');
    const b = { ...defaultTrainConfig(1, '/models/bert', 'lora'), batchSize: 16 };
    const rows = compareConfigs([a, b], text);
    expect(rows.map((r) => r.key)).toEqual(configRows(b, text, true).map((r) => r.key));
    const differing = rows.filter((r) => r.differs).map((r) => r.key);
    expect(differing).toEqual(['method', 'learningRates', 'batchSize', 'effectiveBatch', 'loraRank', 'loraAlpha', 'loraDropout', 'loraTargets']);
    expect(rows.find((r) => r.key === 'loraRank')?.values).toEqual(['train.config.notApplicable', '8']);
    expect(compareConfigs([a, { ...a }], text).some((r) => r.differs)).toBe(false);
  });
});

function run(id: number, test: Partial<TestMetrics> | null, extra: Partial<TrainRunInfo> = {}): TrainRunInfo {
  const scores = { precision: 0.5, recall: 0.5, f1: 0.5 };
  return {
    kind: 'train',
    id,
    corpusId: 1,
    corpusName: 'c',
    name: `run ${id}`,
    status: test ? 'done' : 'interrupted',
    config: defaultTrainConfig(1, '/m'),
    labels: ['a', 'b'],
    model: { name: 'm', path: '/m', hash: 'h', modelType: 'bert' },
    dataHash: 'd',
    documents: { train: 80, validation: 20, test: 10 },
    backend: 'cpu',
    versions: {},
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    seconds: test ? 10 * id : null,
    best: test ? { learningRate: 2e-5, epoch: id, validationLoss: 0.5 } : null,
    perLearningRate: [],
    test: test
      ? {
          task: 'single-label',
          documents: 10,
          accuracy: 0.5,
          macro: scores,
          micro: scores,
          weighted: scores,
          perClass: [],
          confusion: null,
          hammingLoss: null,
          zeroDivision: { noPredictions: [], noSupport: [] },
          majorityBaseline: null,
          ...test,
        }
      : null,
    checkpoint: null,
    error: null,
    ...extra,
  };
}

describe('metrics comparison', () => {
  it('marks the best run of each row, ties shared, and leaves out rows no run has', () => {
    const rows = compareMetrics([
      run(1, { accuracy: 0.8, macro: { precision: 0.7, recall: 0.6, f1: 0.65 } }),
      run(2, { accuracy: 0.9, macro: { precision: 0.7, recall: 0.6, f1: 0.65 } }),
      run(3, null),
    ]);
    const row = (k: string) => rows.find((r) => r.key === k)!;
    expect(row('accuracy')).toMatchObject({ values: [0.8, 0.9, null], better: 'higher', best: [1] });
    // Equal everywhere it is known: nothing to mark.
    expect(row('macroF1').best).toEqual([]);
    expect(row('seconds')).toMatchObject({ values: [10, 20, null], best: [0] });
    expect(row('bestEpoch')).toMatchObject({ values: [1, 2, null], better: null, best: [] });
    expect(rows.some((r) => r.key === 'hammingLoss')).toBe(false);
    expect(row('trainDocuments').values).toEqual([80, 80, 80]);
  });

  it('shares the mark between tied runs', () => {
    const rows = compareMetrics([run(1, { accuracy: 0.9 }), run(2, { accuracy: 0.9 }), run(3, { accuracy: 0.7 })]);
    expect(rows.find((r) => r.key === 'accuracy')!.best).toEqual([0, 1]);
  });
});
