// The entity training wizard: the annotated corpus, the model and the layer the table is built
// from, the head (TabERT's bi-affine or TabERT-CNN's 2-D CNN) and how the encoder trains, then the
// optimisation, each default with the reason for it. Start calls entities.start and opens the run.
import { Badge, Code, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  cnnActivations,
  encoderModes,
  entityHeads,
  entityTrainConfigSchema,
  entityTrainDefaults,
  type CnnActivation,
  type EncoderMode,
  type EntityHead,
  type EntityTrainConfig,
  type ModelInfo,
  type Output,
} from '../../../../common/contract';
import { schemaProblems, useWizardStart, WizardShell, type WizardStep } from '../../runs/WizardShell';
import { useApp } from '../../state/AppContext';
import { inspectModel } from '../../state/modelInfo';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ModelPicker } from '../../ui/ModelPicker';
import { formatRate } from './entityCharts';
import { defaultEntityConfig, parseRates, ratesText } from './entityConfig';

export interface EntityDraft {
  config: EntityTrainConfig;
  step: number;
  /** The learning rates as typed. */
  rates: string;
  /** Typed by the user: switching the encoder mode no longer swaps in its default rates. */
  ratesEdited: boolean;
}

export function EntityWizard(props: { draft: EntityDraft | null; onDraft(d: EntityDraft): void; onCancel(): void; onStarted(runId: number): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const draft: EntityDraft = props.draft ?? {
    config: defaultEntityConfig(app.corpusId ?? app.corpora[0]?.id ?? 0, app.settings.models[0] ?? ''),
    step: 0,
    rates: ratesText(entityTrainDefaults.learningRatesTrained),
    ratesEdited: false,
  };
  const { config, step } = draft;
  const set = (patch: Partial<EntityTrainConfig>) => props.onDraft({ ...draft, config: { ...config, ...patch } });
  const [schema, setSchema] = useState<{ corpusId: number; value: Output<'entities.schema'> } | null>(null);
  const [schemaError, setSchemaError] = useState<unknown>(null);
  const [model, setModel] = useState<{ path: string; info: ModelInfo } | null>(null);
  const [modelError, setModelError] = useState<unknown>(null);

  useEffect(() => {
    if (!props.draft) props.onDraft(draft);
    // The first draft is written once so that the state keeps it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useLiveEffect((isLive) => {
    setSchemaError(null);
    if (!config.corpusId) return;
    const corpusId = config.corpusId;
    app.api.call('entities.schema', { corpusId }).then(
      (value) => isLive() && setSchema({ corpusId, value }),
      (err: unknown) => isLive() && setSchemaError(err),
    );
  }, [app.api, config.corpusId]);

  useLiveEffect((isLive) => {
    setModelError(null);
    if (!config.modelPath) return;
    const path = config.modelPath;
    inspectModel(app.api, path).then(
      (info) => isLive() && setModel({ path, info }),
      (err: unknown) => isLive() && setModelError(err),
    );
  }, [app.api, config.modelPath]);

  const corpusSchema = schema?.corpusId === config.corpusId ? schema.value : undefined;
  const info = model?.path === config.modelPath ? model.info : null;
  const rates = parseRates(draft.rates);
  const full = { ...config, learningRates: rates ?? [] };
  const parsed = entityTrainConfigSchema.safeParse(full);
  const problems = schemaProblems(parsed);
  const start = useWizardStart(t('entities.wizard.start'), () => app.api.call('entities.start', full), props.onStarted);

  const num = (testId: string, label: string, hint: string, value: number, onChange: (v: number) => void, o: { min?: number; max?: number; step?: number; decimals?: number } = {}) => (
    <NumberInput
      data-testid={testId}
      label={label}
      description={hint}
      value={value}
      min={o.min}
      max={o.max}
      step={o.step}
      decimalScale={o.decimals}
      onChange={(v) => typeof v === 'number' && Number.isFinite(v) && onChange(v)}
    />
  );

  const encoderChange = (encoder: EncoderMode) => {
    const next: EntityDraft = { ...draft, config: { ...config, encoder } };
    if (!draft.ratesEdited) next.rates = ratesText(encoder === 'frozen' ? entityTrainDefaults.learningRatesFrozen : entityTrainDefaults.learningRatesTrained);
    props.onDraft(next);
  };

  const layerData = info
    ? [{ value: 'last', label: t('entities.wizard.layerLast', { count: info.layers }) }, ...Array.from({ length: info.layers + 1 }, (_, i) => ({ value: String(i), label: i === 0 ? t('entities.wizard.layerEmbeddings') : t('entities.wizard.layerN', { n: i }) }))]
    : [{ value: 'last', label: t('entities.wizard.layerLastUnknown') }];

  const steps: WizardStep[] = [
    {
      key: 'data',
      maxWidth: 720,
      valid: !!config.corpusId && !!corpusSchema,
      error: schemaError,
      content: (
        <>
          <Select
            data-testid="entities-corpus"
            label={t('entities.wizard.corpus')}
            description={t('entities.wizard.corpusHint')}
            data={app.corpora.map((c) => ({ value: String(c.id), label: t('corpus.option', { name: c.name, count: c.documents.toLocaleString() }) }))}
            value={config.corpusId ? String(config.corpusId) : null}
            allowDeselect={false}
            onChange={(v) => v && set({ corpusId: Number(v) })}
          />
          {corpusSchema === null && (
            <Text size="sm" c="red" data-testid="entities-corpus-unannotated">
              {t('entities.schema.none')}
            </Text>
          )}
          {corpusSchema && (
            <Stack gap={4} data-testid="entities-corpus-schema">
              <Text size="sm">{t('entities.schema.sentences', { count: corpusSchema.sentences })}</Text>
              <Group gap={4}>
                {corpusSchema.schema.entityTypes.map((e) => (
                  <Badge key={e} variant="light">
                    {e} {corpusSchema.entities[e] ?? 0}
                  </Badge>
                ))}
              </Group>
              <Group gap={4}>
                {corpusSchema.schema.relationTypes.map((r) => (
                  <Badge key={r} variant="outline" color="gray">
                    {r} {corpusSchema.relations[r] ?? 0}
                  </Badge>
                ))}
              </Group>
            </Stack>
          )}
        </>
      ),
    },
    {
      key: 'model',
      maxWidth: 720,
      valid: !!config.modelPath && !modelError,
      error: modelError,
      content: (
        <>
          <ModelPicker testId="entities-model" strings="entities.wizard" value={config.modelPath} onChange={(modelPath) => set({ modelPath, layer: null })} onGoToModels={props.onGoToModels} />
          <Select
            data-testid="entities-layer"
            label={t('entities.wizard.layer')}
            description={t('entities.wizard.layerHint')}
            data={layerData}
            value={config.layer === null ? 'last' : String(config.layer)}
            allowDeselect={false}
            onChange={(v) => v && set({ layer: v === 'last' ? null : Number(v) })}
          />
          <Radio.Group label={t('entities.wizard.encoder')} description={t('entities.wizard.encoderHint')} value={config.encoder} onChange={(v) => encoderChange(v as EncoderMode)}>
            <Stack gap="xs" mt="xs">
              {encoderModes.map((m) => (
                <Radio key={m} value={m} data-testid={`entities-encoder-${m}`} label={t(`entities.encoders.${m}`)} description={t(`entities.encoderHints.${m}`)} />
              ))}
            </Stack>
          </Radio.Group>
          {config.encoder === 'lora' && (
            <SimpleGrid cols={3}>
              {num('entities-lora-rank', t('entities.wizard.loraRank'), t('entities.wizard.loraRankHint'), config.lora.rank, (rank) => set({ lora: { ...config.lora, rank } }), { min: 1 })}
              {num('entities-lora-alpha', t('entities.wizard.loraAlpha'), t('entities.wizard.loraAlphaHint'), config.lora.alpha, (alpha) => set({ lora: { ...config.lora, alpha } }), { min: 1 })}
              {num('entities-lora-dropout', t('entities.wizard.dropout'), t('entities.wizard.dropoutHint', { value: entityTrainDefaults.lora.dropout }), config.lora.dropout, (dropout) => set({ lora: { ...config.lora, dropout } }), { min: 0, max: 0.9, step: 0.05, decimals: 2 })}
            </SimpleGrid>
          )}
        </>
      ),
    },
    {
      key: 'head',
      maxWidth: 760,
      valid: true,
      content: (
        <>
          <Radio.Group label={t('entities.wizard.head')} value={config.head} onChange={(v) => set({ head: v as EntityHead })}>
            <Stack gap="xs" mt="xs">
              {entityHeads.map((h) => (
                <Radio key={h} value={h} data-testid={`entities-head-${h}`} label={t(`entities.heads.${h}`)} description={t(`entities.headHints.${h}`)} />
              ))}
            </Stack>
          </Radio.Group>
          {config.head === 'cnn' ? (
            <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="entities-cnn">
              {num('entities-cnn-layers', t('entities.wizard.cnnLayers'), t('entities.wizard.cnnLayersHint', { value: entityTrainDefaults.cnn.layers }), config.cnn.layers, (layers) => set({ cnn: { ...config.cnn, layers } }), { min: 1, max: 16 })}
              {num('entities-cnn-channels', t('entities.wizard.cnnChannels'), t('entities.wizard.cnnChannelsHint', { value: entityTrainDefaults.cnn.channels }), config.cnn.channels, (channels) => set({ cnn: { ...config.cnn, channels } }), { min: 1, max: 4096 })}
              <Select
                data-testid="entities-cnn-activation"
                label={t('entities.wizard.cnnActivation')}
                description={t('entities.wizard.cnnActivationHint', { value: entityTrainDefaults.cnn.activation })}
                data={cnnActivations.map((a) => ({ value: a, label: a }))}
                value={config.cnn.activation}
                allowDeselect={false}
                onChange={(v) => v && set({ cnn: { ...config.cnn, activation: v as CnnActivation } })}
              />
              {num('entities-cnn-kernel-h', t('entities.wizard.kernelH'), t('entities.wizard.kernelHint', { h: entityTrainDefaults.cnn.kernel[0], w: entityTrainDefaults.cnn.kernel[1] }), config.cnn.kernel[0], (h) => set({ cnn: { ...config.cnn, kernel: [h, config.cnn.kernel[1]] } }), { min: 1, max: 15, step: 2 })}
              {num('entities-cnn-kernel-w', t('entities.wizard.kernelW'), t('entities.wizard.kernelHint', { h: entityTrainDefaults.cnn.kernel[0], w: entityTrainDefaults.cnn.kernel[1] }), config.cnn.kernel[1], (w) => set({ cnn: { ...config.cnn, kernel: [config.cnn.kernel[0], w] } }), { min: 1, max: 15, step: 2 })}
              {num('entities-cnn-dropout', t('entities.wizard.dropout'), t('entities.wizard.cnnDropoutHint', { value: entityTrainDefaults.cnn.dropout }), config.cnn.dropout, (dropout) => set({ cnn: { ...config.cnn, dropout } }), { min: 0, max: 0.9, step: 0.05, decimals: 2 })}
            </SimpleGrid>
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="entities-biaffine">
              {num('entities-biaffine-hidden', t('entities.wizard.biaffineHidden'), t('entities.wizard.biaffineHiddenHint', { value: entityTrainDefaults.biaffine.hidden }), config.biaffine.hidden, (hidden) => set({ biaffine: { ...config.biaffine, hidden } }), { min: 1, max: 4096 })}
              {num('entities-biaffine-dropout', t('entities.wizard.dropout'), t('entities.wizard.dropoutHint', { value: entityTrainDefaults.biaffine.dropout }), config.biaffine.dropout, (dropout) => set({ biaffine: { ...config.biaffine, dropout } }), { min: 0, max: 0.9, step: 0.05, decimals: 2 })}
            </SimpleGrid>
          )}
        </>
      ),
    },
    {
      key: 'training',
      maxWidth: 760,
      valid: parsed.success && rates !== null,
      problems: rates === null ? [t('entities.wizard.ratesInvalid')] : problems,
      content: (
        <>
          <TextInput
            data-testid="entities-rates"
            label={t('entities.wizard.rates')}
            description={t(config.encoder === 'frozen' ? 'entities.wizard.ratesHintFrozen' : 'entities.wizard.ratesHint', { value: ratesText(config.encoder === 'frozen' ? entityTrainDefaults.learningRatesFrozen : entityTrainDefaults.learningRatesTrained) })}
            value={draft.rates}
            error={rates === null ? t('entities.wizard.ratesInvalid') : undefined}
            onChange={(e) => props.onDraft({ ...draft, rates: e.currentTarget.value, ratesEdited: true })}
          />
          {config.encoder !== 'frozen' &&
            num('entities-head-rate', t('entities.wizard.headRate'), t('entities.wizard.headRateHint', { value: formatRate(entityTrainDefaults.headLearningRate) }), config.headLearningRate, (headLearningRate) => set({ headLearningRate }), {
              min: 0,
              max: 1,
              step: 1e-4,
              decimals: 6,
            })}
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {num('entities-epochs', t('entities.wizard.epochs'), t('entities.wizard.epochsHint', { value: entityTrainDefaults.epochs }), config.epochs, (epochs) => set({ epochs }), { min: 1, max: 1000 })}
            {num('entities-batch-size', t('entities.wizard.batchSize'), t('entities.wizard.batchSizeHint', { value: entityTrainDefaults.batchSize }), config.batchSize, (batchSize) => set({ batchSize }), { min: 1, max: 4096 })}
            {num('entities-max-length', t('entities.wizard.maxLength'), t('entities.wizard.maxLengthHint', { value: entityTrainDefaults.maxLength }), config.maxLength, (maxLength) => set({ maxLength }), { min: 4 })}
            {num('entities-seed', t('entities.wizard.seed'), t('entities.wizard.seedHint'), config.seed, (seed) => set({ seed }), { min: 0 })}
          </SimpleGrid>
          <TextInput data-testid="entities-name" label={t('entities.wizard.name')} description={t('entities.wizard.nameHint')} value={config.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          <Text size="xs" c="dimmed">
            {t('entities.wizard.cliNote')} <Code>{'shirabe ner-train <project> --config entities.json'}</Code>
          </Text>
          <Code block data-testid="entities-config-json" style={{ maxHeight: 240, overflow: 'auto' }}>
            {JSON.stringify(full, null, 2)}
          </Code>
        </>
      ),
    },
  ];

  return (
    <WizardShell
      testId="entities-wizard"
      strings="entities.wizard"
      title={t('entities.wizard.title')}
      intro={t('entities.wizard.intro')}
      steps={steps}
      step={step}
      onStep={(s) => props.onDraft({ ...draft, step: s })}
      onCancel={props.onCancel}
      start={start}
    />
  );
}
