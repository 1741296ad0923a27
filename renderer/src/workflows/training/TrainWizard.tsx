// The fine-tuning wizard: data → model → method → hyperparameters → review, each default with
// the reason for it, the counts and estimates from train.estimate, and the config as JSON for
// the CLI. Start calls train.start and opens the run's page.
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  loraTargetNames,
  trainConfigSchema,
  trainDefaults,
  type LoraTargetName,
  type ModelInfo,
  type TrainConfig,
  type TrainEstimate,
  type TrainMethod,
} from '../../../../common/contract';
import { baseName, formatCount, formatEta } from '../../format';
import { memoryText, useMemoryLimit } from '../../ui/memory';
import { useApp } from '../../state/AppContext';
import { inspectModel } from '../../state/modelInfo';
import { useLiveEffect } from '../../state/useLiveEffect';
import { defaultLearningRates, defaultTrainConfig, formatLearningRate, parseLearningRates, truncationKey } from './trainConfig';
import { schemaProblems, useEstimate, useWizardStart, WizardShell, type WizardStep } from '../../runs/WizardShell';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ModelPicker } from '../../ui/ModelPicker';
import { ConfigJson, ConfigSummary, useConfigText } from './TrainShared';
import { Fact } from '../../ui/Fact';

export interface WizardDraft {
  config: TrainConfig;
  step: number;
  /** The learning rates as typed (an unreadable one stays visible with an error). */
  rateTexts: string[];
  /** Typed by the user: switching the method no longer swaps in its default rates. */
  ratesEdited: boolean;
}

/** The contract's default validation is a holdout (20% of the training split). */
const defaultHoldout: TrainConfig['validation'] = trainDefaults.validation.source === 'holdout' ? trainDefaults.validation : { source: 'holdout', fraction: 0.2 };

function initialDraft(corpusId: number, modelPath: string): WizardDraft {
  const config = defaultTrainConfig(corpusId, modelPath);
  return { config, step: 0, rateTexts: config.learningRates.map(formatLearningRate), ratesEdited: false };
}

/** The config without its name: what the estimates depend on. */
function estimateKey(c: TrainConfig): string {
  const { name: _name, ...rest } = c;
  return JSON.stringify(rest);
}

export function TrainWizard(props: {
  draft: WizardDraft | null;
  onDraft(draft: WizardDraft): void;
  onCancel(): void;
  onStarted(runId: number): void;
  onGoToModels(): void;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const labelled = app.corpora.filter((c) => c.labels.length > 0);
  const fallbackCorpus = (labelled.find((c) => c.id === app.corpusId) ?? labelled[0] ?? app.corpora[0])?.id ?? 0;
  const draft = props.draft ?? initialDraft(fallbackCorpus, app.settings.models[0] ?? '');
  const { config, step } = draft;
  const set = (change: Partial<WizardDraft>) => props.onDraft({ ...draft, ...change });
  const setConfig = (change: Partial<TrainConfig>) => set({ config: { ...config, ...change } });
  const text = useConfigText();

  // Keep the first draft so that the inputs are controlled from the start.
  useEffect(() => {
    if (!props.draft) props.onDraft(draft);
  });

  // ---- the model's check report
  const [model, setModel] = useState<{ path: string; info: ModelInfo | null; error: unknown } | null>(null);
  useLiveEffect((isLive) => {
    if (!config.modelPath) return setModel(null);
    setModel({ path: config.modelPath, info: null, error: null });
    inspectModel(app.api, config.modelPath).then(
      (info) => isLive() && setModel({ path: config.modelPath, info, error: null }),
      (error: unknown) => isLive() && setModel({ path: config.modelPath, info: null, error }),
    );
  }, [app.api, config.modelPath]);
  const info = model?.path === config.modelPath ? model.info : null;

  // ---- estimates for both methods (the method step compares them), a moment after the last change
  const estimates = useEstimate(estimateKey(config), Boolean(config.modelPath && config.corpusId), () => {
    const of = (method: TrainMethod) =>
      app.api.call('train.estimate', {
        ...config,
        method,
        learningRates: method === config.method ? config.learningRates : [...defaultLearningRates(method)],
      });
    return Promise.all([of('full'), of('lora')]).then(([full, lora]) => ({ full, lora }));
  });
  const estimate = estimates.current?.value?.[config.method] ?? null;
  const estimateError = estimates.current?.error ?? null;
  const shownEstimate = estimate ?? estimates.shown?.value?.[config.method] ?? null;

  // ---- validity per step
  const corpus = app.corpora.find((c) => c.id === config.corpusId);
  const parsedRates = parseLearningRates(draft.rateTexts);
  const unusable = info !== null && (info.missing.length > 0 || info.misshaped.length > 0);
  const tooLong = info !== null && config.maxLength > info.maxPositions;
  const schema = trainConfigSchema.safeParse(config);
  const stepValid = [
    Boolean(corpus && corpus.labels.length > 0 && (config.task === 'single-label' || config.labelSeparator.length > 0) && estimate && !estimateError),
    Boolean(config.modelPath && info && !unusable),
    config.method === 'full' || (config.lora.rank >= 1 && config.lora.alpha > 0 && config.lora.dropout >= 0 && config.lora.dropout < 1 && config.lora.targets.length > 0),
    parsedRates.rates.length > 0 && parsedRates.invalid.length === 0 && !tooLong && schema.success,
    schema.success && Boolean(estimate),
  ];
  const start = useWizardStart(t('train.wizard.start'), () => app.api.call('train.start', config), props.onStarted);

  const setMethod = (method: TrainMethod) => {
    if (method === config.method) return;
    const rates = draft.ratesEdited ? config.learningRates : [...defaultLearningRates(method)];
    props.onDraft({
      ...draft,
      config: { ...config, method, learningRates: rates },
      rateTexts: draft.ratesEdited ? draft.rateTexts : rates.map(formatLearningRate),
    });
  };

  const setRates = (texts: string[]) => {
    const { rates } = parseLearningRates(texts);
    props.onDraft({ ...draft, rateTexts: texts, ratesEdited: true, config: { ...config, learningRates: rates } });
  };

  const num = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  type NumericKey = 'epochs' | 'batchSize' | 'gradientAccumulation' | 'seed' | 'weightDecay' | 'warmupRatio' | 'maxGradNorm' | 'checkpointEvery';
  /** A numeric setting with its label and the reason for its default (i18n keys train.hyper.<key> and <key>Hint); integers unless decimalScale is given. */
  const numberField = (key: NumericKey, testId: string, limits: { min?: number; max?: number; step?: number; decimalScale?: number }, hint: Record<string, unknown> = {}) => (
    <NumberInput
      data-testid={testId}
      label={t(`train.hyper.${key}`)}
      description={t(`train.hyper.${key}Hint`, { value: trainDefaults[key], ...hint })}
      {...limits}
      allowDecimal={limits.decimalScale !== undefined}
      value={config[key]}
      onChange={(v) => setConfig({ [key]: num(v, trainDefaults[key]) })}
    />
  );
  const effective = config.batchSize * config.gradientAccumulation;
  const fileName = `train-${baseName(config.modelPath) || 'model'}-${config.method}`;

  const dataFields = (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Select
          data-testid="train-corpus"
          label={t('train.wizard.corpus')}
          description={t('train.wizard.corpusHint')}
          data={app.corpora.map((c) => ({
            value: String(c.id),
            label: c.labels.length > 0 ? t('corpus.option', { name: c.name, count: c.documents.toLocaleString() }) : t('train.wizard.corpusNoLabels', { name: c.name }),
            disabled: c.labels.length === 0,
          }))}
          value={config.corpusId ? String(config.corpusId) : null}
          allowDeselect={false}
          onChange={(v) => v && setConfig({ corpusId: Number(v) })}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('train.wizard.task')}
          </Text>
          <SegmentedControl
            data-testid="train-task"
            value={config.task}
            onChange={(v) => setConfig({ task: v as TrainConfig['task'] })}
            data={[
              { value: 'single-label', label: t('train.tasks.single') },
              { value: 'multi-label', label: t('train.tasks.multi') },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t(config.task === 'single-label' ? 'train.wizard.taskSingleHint' : 'train.wizard.taskMultiHint')}
          </Text>
        </Stack>
      </SimpleGrid>
      {config.task === 'multi-label' && (
        <TextInput
          data-testid="train-label-separator"
          label={t('train.wizard.labelSeparator')}
          description={t('train.wizard.labelSeparatorHint', { separator: trainDefaults.labelSeparator })}
          value={config.labelSeparator}
          maxLength={10}
          w={320}
          error={config.labelSeparator.length === 0 ? t('train.wizard.labelSeparatorEmpty') : undefined}
          onChange={(e) => setConfig({ labelSeparator: e.currentTarget.value })}
        />
      )}
      <Radio.Group
        data-testid="train-validation"
        label={t('train.wizard.validation')}
        description={t('train.wizard.validationHint')}
        value={config.validation.source}
        onChange={(v) => setConfig({ validation: v === 'dev' ? { source: 'dev' } : defaultHoldout })}
      >
        <Stack gap="xs" mt="xs">
          <Group gap="sm" align="center">
            <Radio value="holdout" data-testid="train-validation-holdout" label={t('train.wizard.holdout')} />
            <NumberInput
              data-testid="train-holdout"
              aria-label={t('train.wizard.holdoutPercent')}
              disabled={config.validation.source !== 'holdout'}
              value={config.validation.source === 'holdout' ? Math.round(config.validation.fraction * 1000) / 10 : 20}
              min={1}
              max={90}
              step={5}
              suffix="%"
              w={110}
              size="xs"
              onChange={(v) => setConfig({ validation: { source: 'holdout', fraction: Math.min(0.9, Math.max(0.01, num(v, 20) / 100)) } })}
            />
            <Text size="xs" c="dimmed">
              {t('train.wizard.holdoutHint')}
            </Text>
          </Group>
          <Radio
            value="dev"
            data-testid="train-validation-dev"
            label={t('train.wizard.devSplit', { count: corpus?.splits.dev.toLocaleString() ?? '0' })}
            description={t('train.wizard.devSplitHint')}
          />
        </Stack>
      </Radio.Group>
      {!config.modelPath && (
        <Alert color="yellow" variant="light" data-testid="train-no-models">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('train.wizard.noModels')}</Text>
            <Button size="compact-sm" variant="light" onClick={props.onGoToModels}>
              {t('embed.goToModels')}
            </Button>
          </Stack>
        </Alert>
      )}
    </>
  );
  const dataEstimate = shownEstimate && corpus && <DataSummary estimate={shownEstimate} corpusLabels={corpus.labels} multi={config.task === 'multi-label'} />;
  const modelFields = (
    <>
      <ModelPicker testId="train-model" strings="train.wizard" value={config.modelPath} onChange={(modelPath) => setConfig({ modelPath })} onGoToModels={props.onGoToModels} />
      <ErrorAlert error={model?.path === config.modelPath ? model.error : null} />
      {info && <ModelFacts info={info} />}
      {unusable && (
        <Alert color="red" variant="light" data-testid="train-model-unusable">
          {t('models.unusable')}
        </Alert>
      )}
    </>
  );
  const methodFields = (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(['full', 'lora'] as const).map((m) => (
          <MethodCard
            key={m}
            method={m}
            selected={config.method === m}
            estimate={estimates.current?.value?.[m] ?? null}
            rates={m === config.method ? config.learningRates.length : defaultLearningRates(m).length}
            epochs={config.epochs}
            onSelect={() => setMethod(m)}
          />
        ))}
      </SimpleGrid>
      <ErrorAlert error={estimateError} />
      {config.method === 'lora' && (
        <Card withBorder data-testid="train-lora-settings">
          <Text fw={600} size="sm" mb="xs">
            {t('train.wizard.loraSettings')}
          </Text>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <NumberInput
              data-testid="train-lora-rank"
              label={t('train.hyper.loraRank')}
              description={t('train.hyper.loraRankHint', { value: trainDefaults.lora.rank })}
              min={1}
              max={1024}
              allowDecimal={false}
              value={config.lora.rank}
              onChange={(v) => setConfig({ lora: { ...config.lora, rank: num(v, trainDefaults.lora.rank) } })}
            />
            <NumberInput
              data-testid="train-lora-alpha"
              label={t('train.hyper.loraAlpha')}
              description={t('train.hyper.loraAlphaHint', { value: trainDefaults.lora.alpha, scale: (config.lora.alpha / Math.max(1, config.lora.rank)).toFixed(2) })}
              min={0.001}
              value={config.lora.alpha}
              onChange={(v) => setConfig({ lora: { ...config.lora, alpha: num(v, trainDefaults.lora.alpha) } })}
            />
            <NumberInput
              data-testid="train-lora-dropout"
              label={t('train.hyper.loraDropout')}
              description={t('train.hyper.loraDropoutHint', { value: trainDefaults.lora.dropout })}
              min={0}
              max={0.99}
              step={0.05}
              decimalScale={3}
              value={config.lora.dropout}
              onChange={(v) => setConfig({ lora: { ...config.lora, dropout: num(v, trainDefaults.lora.dropout) } })}
            />
          </SimpleGrid>
          <Checkbox.Group
            data-testid="train-lora-targets"
            mt="sm"
            label={t('train.hyper.loraTargets')}
            description={t('train.hyper.loraTargetsHint')}
            value={config.lora.targets}
            error={config.lora.targets.length === 0 ? t('train.hyper.loraTargetsEmpty') : undefined}
            onChange={(v) => setConfig({ lora: { ...config.lora, targets: loraTargetNames.filter((n) => v.includes(n)) as LoraTargetName[] } })}
          >
            <Group mt="xs" gap="md">
              {loraTargetNames.map((n) => (
                <Checkbox key={n} value={n} label={t(`train.loraTargets.${n}`)} data-testid={`train-lora-target-${n}`} />
              ))}
            </Group>
          </Checkbox.Group>
        </Card>
      )}
    </>
  );
  const hyperFields = (
    <>
      <Group align="flex-end" wrap="nowrap">
        <TagsInput
          data-testid="train-lr-list"
          style={{ flex: 1 }}
          label={t('train.hyper.learningRates')}
          description={t(config.method === 'lora' ? 'train.hyper.learningRatesLoraHint' : 'train.hyper.learningRatesFullHint')}
          value={draft.rateTexts}
          onChange={setRates}
          splitChars={[',', ' ', ';']}
          clearable
          error={
            parsedRates.invalid.length > 0
              ? t('train.hyper.learningRatesInvalid', { values: parsedRates.invalid.join(t('common.listSeparator')) })
              : parsedRates.rates.length === 0
                ? t('train.hyper.learningRatesEmpty')
                : undefined
          }
        />
        <Button
          variant="default"
          data-testid="train-lr-reset"
          onClick={() => {
            const rates = [...defaultLearningRates(config.method)];
            props.onDraft({ ...draft, ratesEdited: false, rateTexts: rates.map(formatLearningRate), config: { ...config, learningRates: rates } });
          }}
        >
          {t('train.hyper.resetRates')}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
        {numberField('epochs', 'train-epochs', { min: 1, max: 1000 })}
        {numberField('batchSize', 'train-batch-size', { min: 1, max: 4096 })}
        {numberField('gradientAccumulation', 'train-grad-accum', { min: 1, max: 1024 }, { effective })}
        <NumberInput
          data-testid="train-max-length"
          label={t('train.hyper.maxLength')}
          description={t('train.hyper.maxLengthHint', { value: trainDefaults.maxLength, limit: info?.maxPositions ?? '—' })}
          min={2}
          max={info?.maxPositions ?? 100_000}
          allowDecimal={false}
          value={config.maxLength}
          error={tooLong ? t('embed.tooLong', { limit: info?.maxPositions ?? 0 }) : undefined}
          onChange={(v) => setConfig({ maxLength: num(v, trainDefaults.maxLength) })}
        />
        <Select
          data-testid="train-truncation"
          label={t('train.hyper.truncation')}
          description={t(`train.truncationHints.${truncationKey[config.truncation]}`)}
          data={(['head', 'head+tail'] as const).map((v) => ({ value: v, label: t(`train.truncations.${truncationKey[v]}`) }))}
          value={config.truncation}
          allowDeselect={false}
          onChange={(v) => v && setConfig({ truncation: v as TrainConfig['truncation'] })}
        />
        {numberField('seed', 'train-seed', { min: 0, max: 2 ** 31 - 1 })}
        {numberField('weightDecay', 'train-weight-decay', { min: 0, max: 1, step: 0.01, decimalScale: 4 })}
        {numberField('warmupRatio', 'train-warmup', { min: 0, max: 1, step: 0.05, decimalScale: 3 })}
        {numberField('maxGradNorm', 'train-max-grad-norm', { min: 0.001, step: 0.5, decimalScale: 3 }, { value: trainDefaults.maxGradNorm.toFixed(1) })}
        {numberField('checkpointEvery', 'train-checkpoint-every', { min: 1 })}
      </SimpleGrid>
    </>
  );
  const stepsEstimate = (
    <>
      {shownEstimate && (
        <Text size="sm" data-testid="train-steps-estimate">
          {t('train.wizard.stepsSummary', {
            effective,
            perEpoch: shownEstimate.stepsPerEpoch.toLocaleString(),
            total: shownEstimate.totalSteps.toLocaleString(),
            rates: config.learningRates.length,
            epochs: config.epochs,
          })}
        </Text>
      )}
    </>
  );
  const reviewFields = (
    <>
      <TextInput
        data-testid="train-name"
        label={t('train.wizard.name')}
        description={t('train.wizard.nameHint')}
        maxLength={200}
        maw={560}
        value={config.name}
        onChange={(e) => setConfig({ name: e.currentTarget.value })}
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('train.wizard.summary')}
          </Text>
          <ConfigSummary config={config} text={text} testId="train-review-summary" />
          {shownEstimate && <EstimateFacts estimate={shownEstimate} rates={config.learningRates.length} epochs={config.epochs} method={config.method} lora={estimates.current?.value?.lora ?? null} />}
        </Stack>
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('train.wizard.json')}
          </Text>
          <ConfigJson config={config} fileName={fileName} />
        </Stack>
      </SimpleGrid>
    </>
  );

  const steps: WizardStep[] = [
    { key: 'data', valid: stepValid[0], content: dataFields, error: estimateError, estimate: dataEstimate },
    { key: 'model', valid: stepValid[1], content: modelFields },
    { key: 'method', valid: stepValid[2], content: methodFields },
    { key: 'hyper', valid: stepValid[3], content: hyperFields, error: estimateError, estimate: stepsEstimate },
    { key: 'review', valid: stepValid[4], content: reviewFields, problems: schemaProblems(schema) },
  ];

  return (
    <WizardShell testId="train-wizard" strings="train.wizard" title={t('train.wizard.title')} intro={t('train.wizard.intro')} steps={steps} step={step} onStep={(s) => set({ step: s })} onCancel={props.onCancel} start={start} />
  );
}

/** Labels and document counts per split, as the config would use them. */
function DataSummary({ estimate, corpusLabels, multi }: { estimate: TrainEstimate; corpusLabels: { label: string; count: number }[]; multi: boolean }) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="train-data-summary">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('train.wizard.labels', { count: estimate.labels.length })}
          </Text>
          <Group gap={6} data-testid="train-labels">
            {estimate.labels.map((l) => {
              const count = multi ? undefined : corpusLabels.find((c) => c.label === l)?.count;
              return (
                <Badge key={l} variant="light" tt="none">
                  {count === undefined ? l : t('train.wizard.labelCount', { label: l, count: count.toLocaleString() })}
                </Badge>
              );
            })}
          </Group>
          {!multi && (
            <Text size="xs" c="dimmed">
              {t('train.wizard.labelCountsHint')}
            </Text>
          )}
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('train.wizard.splitCounts')}
          </Text>
          <Table fz="sm" data-testid="train-split-counts" withTableBorder>
            <Table.Tbody>
              {(['train', 'validation', 'test'] as const).map((s) => (
                <Table.Tr key={s} data-split={s}>
                  <Table.Td>{t(`train.splits.${s}`)}</Table.Td>
                  <Table.Td ta="right">{estimate.documents[s].toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

function ModelFacts({ info }: { info: ModelInfo }) {
  const { t } = useTranslation();
  const notes = info.warnings.length + info.unexpected.length;
  return (
    <Card withBorder data-testid="train-model-info">
      <Group gap="xs" mb="xs">
        <Text fw={600}>{info.name}</Text>
        <Badge variant="light" tt="none">
          {info.architecture}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
        <Fact label={t('models.fields.parameters')}>{formatCount(info.parameters)}</Fact>
        <Fact label={t('models.fields.shape')}>{t('models.shapeValue', { layers: info.layers, hidden: info.hiddenSize, heads: info.heads })}</Fact>
        <Fact label={t('models.fields.maxPositions')}>{info.maxPositions.toLocaleString()}</Fact>
        <Fact label={t('models.fields.tokenizer')}>{info.tokenizer.description}</Fact>
      </SimpleGrid>
      {info.labels.length > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('train.wizard.modelHasLabels', { labels: info.labels.join(t('common.listSeparator')) })}
        </Text>
      )}
      {notes > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {t('train.wizard.modelNotes', { count: notes })}
        </Text>
      )}
    </Card>
  );
}

function durationOf(estimate: TrainEstimate, rates: number, epochs: number): string | null {
  return estimate.secondsPerEpoch === null ? null : formatEta(estimate.secondsPerEpoch * epochs * rates);
}

function MethodCard(props: { method: TrainMethod; selected: boolean; estimate: TrainEstimate | null; rates: number; epochs: number; onSelect(): void }) {
  const { t } = useTranslation();
  const e = props.estimate;
  const time = e ? durationOf(e, props.rates, props.epochs) : null;
  return (
    <UnstyledButton onClick={props.onSelect} data-testid={`train-method-${props.method}`} data-selected={props.selected || undefined} aria-pressed={props.selected}>
      <Card withBorder h="100%" style={{ borderColor: props.selected ? 'var(--mantine-color-blue-filled)' : undefined, borderWidth: props.selected ? 2 : 1 }}>
        <Group justify="space-between" mb={4}>
          <Text fw={700}>{t(`train.methods.${props.method}`)}</Text>
          <Radio checked={props.selected} readOnly aria-hidden tabIndex={-1} />
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t(`train.methodHints.${props.method}`)}
        </Text>
        {e ? (
          <SimpleGrid cols={3} spacing="xs">
            <Fact label={t('train.estimate.trainable')}>
              {formatCount(e.trainable)}
              <Text size="xs" c="dimmed">
                {t('train.estimate.ofParameters', { percent: ((100 * e.trainable) / Math.max(1, e.parameters)).toFixed(e.trainable / e.parameters < 0.01 ? 2 : 0) })}
              </Text>
            </Fact>
            <Fact label={t('train.estimate.memory')}>{memoryText(e.memoryBytes, t)}</Fact>
            <Fact label={t('train.estimate.time')}>
              {time ? t('train.estimate.about', { time }) : t('train.estimate.timeUnknown')}
              <Text size="xs" c="dimmed">
                {t('train.estimate.timeFor', { rates: props.rates, epochs: props.epochs })}
              </Text>
            </Fact>
          </SimpleGrid>
        ) : (
          <Text size="xs" c="dimmed">
            {t('train.estimate.waiting')}
          </Text>
        )}
      </Card>
    </UnstyledButton>
  );
}

function EstimateFacts({ estimate, rates, epochs, method, lora }: { estimate: TrainEstimate; rates: number; epochs: number; method: TrainMethod; lora: TrainEstimate | null }) {
  const { t } = useTranslation();
  const time = durationOf(estimate, rates, epochs);
  const limit = useMemoryLimit();
  return (
    <Card withBorder data-testid="train-estimate">
      {limit !== null && estimate.memoryBytes > limit && (
        <Alert color="orange" variant="light" mb="xs" data-testid="train-memory-warning">
          {/* LoRA is offered only where its own estimate fits: on tfjs its activations, not the weights, dominate a step. */}
          {t(method === 'full' && lora && lora.memoryBytes <= limit ? 'train.estimate.overHeap' : 'train.estimate.overHeapLora', { need: memoryText(estimate.memoryBytes, t), limit: memoryText(limit, t) })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
        <Fact label={t('train.estimate.documents')}>
          {t('train.estimate.documentsValue', {
            train: estimate.documents.train.toLocaleString(),
            validation: estimate.documents.validation.toLocaleString(),
            test: estimate.documents.test.toLocaleString(),
          })}
        </Fact>
        <Fact label={t('train.estimate.steps')}>{estimate.totalSteps.toLocaleString()}</Fact>
        <Fact label={t('train.estimate.memory')}>{memoryText(estimate.memoryBytes, t)}</Fact>
        <Fact label={t('train.estimate.time')}>{time ? t('train.estimate.about', { time }) : t('train.estimate.timeUnknown')}</Fact>
      </SimpleGrid>
    </Card>
  );
}
