// The pretraining wizard: data (corpus, held-out text) → model (continue one, or a new BERT with
// its shape and parameter count live) → training (masking and optimisation, each default with its
// reason) → output (folder, name, the config as JSON) → start.
import { Alert, Card, Checkbox, NumberInput, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { bertParameterCount, bertShapeProblems } from '../../../../common/bertSize';
import { pretrainConfigSchema, pretrainDefaults, pretrainModes, usesBaseModel, wordSplitters, type PretrainConfig } from '../../../../common/contract';
import { memoryText, useMemoryLimit } from '../../ui/memory';
import { useApp } from '../../state/AppContext';
import { schemaProblems, useEstimate, useWizardStart, WizardShell, type WizardStep } from '../../runs/WizardShell';
import { ModelPicker } from '../../ui/ModelPicker';
import { Fact } from '../../ui/Fact';

export interface PretrainDraft {
  config: PretrainConfig;
  step: number;
  /** Typed by the user: switching the mode no longer swaps in its default learning rate. */
  rateEdited: boolean;
}

function initialDraft(corpusId: number, modelPath: string): PretrainDraft {
  // The schema wants a folder; the wizard starts with none chosen.
  const config = pretrainConfigSchema.parse({ corpusId, mode: modelPath ? 'continue' : 'scratch', modelPath, outputDir: '.' });
  return { config: { ...config, outputDir: '' }, step: 0, rateEdited: false };
}

type NumericKey = 'maxLength' | 'mlmProbability' | 'temperature' | 'learningRate' | 'epochs' | 'batchSize' | 'gradientAccumulation' | 'warmupRatio' | 'weightDecay' | 'seed' | 'evalSeeds' | 'checkpointEvery';
type ShapeKey = 'vocabSize' | 'hiddenSize' | 'numLayers' | 'numHeads' | 'intermediateSize' | 'maxPositions';

export function PretrainWizard(props: { draft: PretrainDraft | null; onDraft(d: PretrainDraft): void; onCancel(): void; onStarted(runId: number): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const draft = props.draft ?? initialDraft(app.corpusId ?? app.corpora[0]?.id ?? 0, app.settings.models[0] ?? '');
  const { config, step } = draft;
  const set = (change: Partial<PretrainDraft>) => props.onDraft({ ...draft, ...change });
  const setConfig = (change: Partial<PretrainConfig>) => set({ config: { ...config, ...change } });
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  useEffect(() => {
    if (!props.draft) props.onDraft(draft);
  });

  // ---- the estimate (documents, parameters, memory), a moment after the last change
  const valid = pretrainConfigSchema.safeParse({ ...config, outputDir: config.outputDir || '.' });
  // Every field the estimate reads (not the name, nor the folder it writes to).
  const key = JSON.stringify({ ...config, name: '', outputDir: '' });
  const memoryLimit = useMemoryLimit();
  const { current } = useEstimate(key, valid.success, () => app.api.call('pretrain.estimate', { ...config, outputDir: config.outputDir || '.' }));

  const shapeProblems = bertShapeProblems(config.scratch);
  const stepValid = [
    Boolean(app.corpora.some((c) => c.id === config.corpusId) && current?.value),
    usesBaseModel(config.mode) ? Boolean(config.modelPath) && !current?.error : shapeProblems.length === 0,
    valid.success,
    valid.success && config.outputDir.trim() !== '' && Boolean(current?.value),
  ];

  const start = useWizardStart(t('pretrain.start'), () => app.api.call('pretrain.start', config), props.onStarted);

  // Each mode's defaults where the researcher has not set them: SimCSE's shorter sentences and smaller rate, and no NSP.
  const setMode = (mode: PretrainConfig['mode']) =>
    setConfig({
      mode,
      learningRate: draft.rateEdited ? config.learningRate : mode === 'scratch' ? pretrainDefaults.learningRateScratch : mode === 'simcse' ? pretrainDefaults.learningRateSimcse : pretrainDefaults.learningRateContinue,
      maxLength: mode === 'simcse' ? pretrainDefaults.maxLengthSimcse : config.mode === 'simcse' ? pretrainDefaults.maxLength : config.maxLength,
      nsp: mode === 'simcse' ? false : config.nsp,
    });

  const num = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const hints: Record<NumericKey, Record<string, unknown>> = {
    maxLength: { value: config.mode === 'simcse' ? pretrainDefaults.maxLengthSimcse : pretrainDefaults.maxLength },
    mlmProbability: { value: pretrainDefaults.mlmProbability },
    temperature: { value: pretrainDefaults.temperature },
    learningRate: { continue: pretrainDefaults.learningRateContinue, scratch: pretrainDefaults.learningRateScratch, simcse: pretrainDefaults.learningRateSimcse },
    epochs: { value: pretrainDefaults.epochs },
    batchSize: { value: pretrainDefaults.batchSize },
    gradientAccumulation: { effective: config.batchSize * config.gradientAccumulation },
    warmupRatio: { value: pretrainDefaults.warmupRatio },
    weightDecay: { value: pretrainDefaults.weightDecay },
    seed: { value: pretrainDefaults.seed },
    evalSeeds: { value: pretrainDefaults.evalSeeds },
    checkpointEvery: { value: pretrainDefaults.checkpointEvery },
  };
  const numberField = (k: NumericKey, limits: { min?: number; max?: number; step?: number; decimalScale?: number }) => (
    <NumberInput
      key={k}
      data-testid={`pretrain-${k}`}
      label={t(`pretrain.${k}`)}
      description={t(`pretrain.${k}Hint`, hints[k])}
      {...limits}
      allowDecimal={limits.decimalScale !== undefined}
      value={config[k]}
      onChange={(v) => {
        const value = num(v, config[k]);
        if (k === 'learningRate') props.onDraft({ ...draft, rateEdited: true, config: { ...config, learningRate: value } });
        else setConfig({ [k]: value });
      }}
    />
  );
  const shapeField = (k: ShapeKey) => (
    <NumberInput
      key={k}
      data-testid={`pretrain-${k}`}
      label={t(`pretrain.${k}`)}
      min={1}
      allowDecimal={false}
      value={config.scratch[k]}
      onChange={(v) => setConfig({ scratch: { ...config.scratch, [k]: num(v, config.scratch[k]) } })}
    />
  );
  const parameters = config.mode === 'scratch' ? bertParameterCount(config.scratch, config.nsp) : current?.value?.parameters ?? null;

  const dataFields = (
    <>
      <Select
        data-testid="pretrain-corpus"
        label={t('pretrain.corpus')}
        description={t('pretrain.corpusHint')}
        data={app.corpora.map((c) => ({ value: String(c.id), label: t('corpus.option', { name: c.name, count: c.documents.toLocaleString(locale) }) }))}
        value={config.corpusId ? String(config.corpusId) : null}
        allowDeselect={false}
        onChange={(v) => v && setConfig({ corpusId: Number(v) })}
      />
      <Radio.Group
        label={t('pretrain.heldOut')}
        value={config.heldOut.source}
        onChange={(v) => setConfig({ heldOut: v === 'dev' ? { source: 'dev' } : { source: 'holdout', fraction: 0.05 } })}
      >
        <Stack gap={6} mt={6}>
          <Radio value="dev" data-testid="pretrain-heldout-dev" label={t('pretrain.heldOutDev')} />
          <Radio value="holdout" data-testid="pretrain-heldout-holdout" label={t('pretrain.heldOutHoldout')} />
        </Stack>
      </Radio.Group>
      {config.heldOut.source === 'holdout' && (
        <NumberInput
          label={t('pretrain.heldOutFraction')}
          min={0.01}
          max={0.5}
          step={0.01}
          decimalScale={2}
          value={config.heldOut.fraction}
          onChange={(v) => setConfig({ heldOut: { source: 'holdout', fraction: num(v, 0.05) } })}
          maw={200}
        />
      )}
    </>
  );
  const documentsEstimate = current?.value && (
    <Text size="sm" data-testid="pretrain-documents">
      {t('pretrain.documents', { train: current.value.documents.train.toLocaleString(locale), heldOut: current.value.documents.heldOut.toLocaleString(locale), chars: current.value.characters.toLocaleString(locale) })}
    </Text>
  );
  const modelFields = (
    <>
      <SegmentedControl
        data-testid="pretrain-mode"
        value={config.mode}
        onChange={(v) => setMode(v as PretrainConfig['mode'])}
        data={pretrainModes.map((m) => ({ value: m, label: t(`pretrain.modes.${m}`) }))}
        w="fit-content"
      />
      <Text size="sm" c="dimmed">
        {t(`pretrain.modeHints.${config.mode}`)}
      </Text>
      {usesBaseModel(config.mode) && (
        <ModelPicker testId="pretrain-model" strings="pretrain" value={config.modelPath} onChange={(modelPath) => setConfig({ modelPath })} onGoToModels={props.onGoToModels} />
      )}
      {config.mode === 'scratch' && (
        <Card withBorder data-testid="pretrain-shape">
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <NumberInput
              data-testid="pretrain-vocabSize"
              label={t('pretrain.vocabSize')}
              description={t('pretrain.vocabSizeHint', { value: pretrainDefaults.scratch.vocabSize.toLocaleString(locale) })}
              min={100}
              allowDecimal={false}
              thousandSeparator=","
              value={config.scratch.vocabSize}
              onChange={(v) => setConfig({ scratch: { ...config.scratch, vocabSize: num(v, config.scratch.vocabSize) } })}
            />
            <Select
              data-testid="pretrain-wordSplitter"
              label={t('pretrain.wordSplitter')}
              data={wordSplitters.map((w) => ({ value: w, label: t(`pretrain.wordSplitters.${w}`) }))}
              value={config.scratch.wordSplitter}
              allowDeselect={false}
              onChange={(v) => v && setConfig({ scratch: { ...config.scratch, wordSplitter: v as PretrainConfig['scratch']['wordSplitter'] } })}
            />
            <Checkbox mt="xl" label={t('pretrain.lowercase')} checked={config.scratch.lowercase} onChange={(e) => setConfig({ scratch: { ...config.scratch, lowercase: e.currentTarget.checked } })} />
            {(['hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositions'] as const).map(shapeField)}
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t('pretrain.shapeHint', { hidden: pretrainDefaults.scratch.hiddenSize, layers: pretrainDefaults.scratch.numLayers })}
          </Text>
          {shapeProblems.some((p) => p.key === 'headsDivide') && (
            <Text size="sm" c="red" data-testid="pretrain-heads-divide">
              {t('pretrain.headsDivide')}
            </Text>
          )}
        </Card>
      )}
    </>
  );
  const sizeEstimate = (
    <>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {parameters !== null && (
          <Fact label={t('pretrain.parameters')} testId="pretrain-parameters">
            {t('pretrain.parametersValue', { count: parameters.toLocaleString(locale), mb: ((parameters * 4) / 1e6).toFixed(1) })}
          </Fact>
        )}
        {current?.value && <Fact label={t('pretrain.memory')}>{memoryText(current.value.memoryBytes, t)}</Fact>}
      </SimpleGrid>
      {current?.value && memoryLimit !== null && current.value.memoryBytes > memoryLimit && (
        <Alert color="orange" variant="light" mt="xs" data-testid="pretrain-memory-warning">
          {t('pretrain.overHeap', { need: memoryText(current.value.memoryBytes, t), limit: memoryText(memoryLimit, t) })}
        </Alert>
      )}
    </>
  );
  const trainingFields = config.mode === 'simcse' ? (
    <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
      {numberField('maxLength', { min: 8, max: 100_000 })}
      {numberField('temperature', { min: 0.001, max: 10, step: 0.01, decimalScale: 4 })}
      {numberField('learningRate', { min: 1e-7, max: 1, step: 1e-5, decimalScale: 7 })}
      {numberField('epochs', { min: 1, max: 1000 })}
      {numberField('batchSize', { min: 2, max: 4096 })}
      {numberField('gradientAccumulation', { min: 1, max: 1024 })}
      {numberField('warmupRatio', { min: 0, max: 1, step: 0.01, decimalScale: 3 })}
      {numberField('weightDecay', { min: 0, max: 1, step: 0.01, decimalScale: 4 })}
      {numberField('seed', { min: 0, max: 2 ** 31 - 1 })}
      {numberField('evalSeeds', { min: 1, max: 20 })}
      {numberField('checkpointEvery', { min: 1 })}
    </SimpleGrid>
  ) : (
    <>
      <Checkbox
        data-testid="pretrain-wwm"
        label={t('pretrain.wholeWordMasking')}
        description={t('pretrain.wholeWordMaskingHint')}
        checked={config.wholeWordMasking}
        onChange={(e) => setConfig({ wholeWordMasking: e.currentTarget.checked })}
      />
      <Checkbox
        data-testid="pretrain-nsp"
        label={t('pretrain.nsp')}
        description={t('pretrain.nspHint')}
        checked={config.nsp}
        onChange={(e) => setConfig({ nsp: e.currentTarget.checked })}
      />
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
        {numberField('maxLength', { min: 8, max: 100_000 })}
        {numberField('mlmProbability', { min: 0.01, max: 0.5, step: 0.01, decimalScale: 3 })}
        {numberField('learningRate', { min: 1e-7, max: 1, step: 1e-5, decimalScale: 7 })}
        {numberField('epochs', { min: 1, max: 1000 })}
        {numberField('batchSize', { min: 1, max: 4096 })}
        {numberField('gradientAccumulation', { min: 1, max: 1024 })}
        {numberField('warmupRatio', { min: 0, max: 1, step: 0.01, decimalScale: 3 })}
        {numberField('weightDecay', { min: 0, max: 1, step: 0.01, decimalScale: 4 })}
        {numberField('seed', { min: 0, max: 2 ** 31 - 1 })}
        {numberField('evalSeeds', { min: 1, max: 20 })}
        {numberField('checkpointEvery', { min: 1 })}
      </SimpleGrid>
    </>
  );
  const outputFields = (
    <>
      <TextInput
        data-testid="pretrain-output"
        label={t('pretrain.outputDir')}
        description={t('pretrain.outputDirHint')}
        value={config.outputDir}
        onChange={(e) => setConfig({ outputDir: e.currentTarget.value })}
      />
      <TextInput data-testid="pretrain-name" label={t('pretrain.name')} placeholder={t('pretrain.namePlaceholder')} value={config.name} onChange={(e) => setConfig({ name: e.currentTarget.value })} />
      <Text size="sm" fw={500}>
        {t('pretrain.configJson')}
      </Text>
      <Card withBorder p="xs">
        <Text component="pre" size="xs" ff="monospace" m={0} data-testid="pretrain-config-json" style={{ whiteSpace: 'pre-wrap' }}>
          {JSON.stringify({ ...config, corpus: config.corpusId, model: usesBaseModel(config.mode) ? config.modelPath : undefined, output: config.outputDir, corpusId: undefined, modelPath: undefined, outputDir: undefined }, null, 2)}
        </Text>
      </Card>
    </>
  );

  const steps: WizardStep[] = [
    { key: 'data', valid: stepValid[0], maxWidth: 760, content: dataFields, error: current?.error, estimate: documentsEstimate },
    { key: 'model', valid: stepValid[1], maxWidth: 860, content: modelFields, error: usesBaseModel(config.mode) ? current?.error : null, estimate: sizeEstimate },
    { key: 'training', valid: stepValid[2], content: trainingFields, problems: schemaProblems(valid) },
    { key: 'output', valid: stepValid[3], maxWidth: 860, content: outputFields },
  ];

  return (
    <WizardShell testId="pretrain-wizard" strings="pretrain" title={t('pretrain.new')} steps={steps} step={step} onStep={(s) => set({ step: s })} onCancel={props.onCancel} start={start} />
  );
}
