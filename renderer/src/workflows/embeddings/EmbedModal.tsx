import { Alert, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { poolings, type EmbedOptions, type ModelInfo, type Pooling } from '../../../../common/contract';
import { inferenceBytes } from '../../../../common/memory';
import { baseName } from '../../format';
import { useApp } from '../../state/AppContext';
import { inspectModel } from '../../state/modelInfo';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { memoryText, useMemoryLimit } from '../../ui/memory';

type Truncation = EmbedOptions['truncation'];
/** i18n keys may not contain '+'. */
const truncationKey: Record<Truncation, string> = { head: 'head', 'head+tail': 'headTail' };

export const defaultEmbedSettings = { pooling: 'mean' as Pooling, layer: -1, maxLength: 128, batchSize: 16, truncation: 'head' as Truncation };

/** Choose a model and how to pool its hidden states, then start an embedding job for one corpus. */
export function EmbedModal(props: { opened: boolean; corpusId: number; corpusName: string; onClose(): void; onGoToModels(): void; onStarted(jobId: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const models = app.settings.models;
  const [model, setModel] = useState<string | null>(null);
  const [info, setInfo] = useState<ModelInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [form, setForm] = useState(defaultEmbedSettings);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!props.opened) return;
    setError(null);
    setBusy(false);
    setModel((m) => (m && models.includes(m) ? m : (models[0] ?? null)));
  }, [props.opened, models]);

  // The chosen model's shape: how many layers there are and how long an input may be.
  useLiveEffect((isLive) => {
    setInfo(null);
    setInfoError(null);
    if (!model || !props.opened) return;
    inspectModel(app.api, model).then(
      (i) => isLive() && setInfo(i),
      (err: unknown) => isLive() && setInfoError(err),
    );
  }, [app.api, model, props.opened]);

  const unusable = info !== null && (info.missing.length > 0 || info.misshaped.length > 0);
  const tooLong = info !== null && form.maxLength > info.maxPositions;
  // The weights and one batch's forward pass on the tfjs backend, from the model's shapes (common/memory.ts).
  const memory = info ? inferenceBytes(info.parameters, { numLayers: info.layers, hiddenSize: info.hiddenSize, intermediateSize: info.intermediateSize, numHeads: info.heads, vocabSize: info.vocabSize }, form) : null;
  const memoryLimit = useMemoryLimit();
  const layerOut = info !== null && (form.layer > info.layers || form.layer < -(info.layers + 1));

  const start = async () => {
    if (!model) return;
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await app.api.call('embed.start', { corpusId: props.corpusId, modelPath: model, ...form });
      props.onStarted(jobId);
      props.onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const number = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('embed.title', { name: props.corpusName })} size="xl">
      <Stack gap="md" data-testid="embed-modal">
        <Text size="sm" c="dimmed">
          {t('embed.intro')}
        </Text>
        {models.length === 0 ? (
          <Alert color="yellow" variant="light" data-testid="embed-no-models">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('embed.noModels')}</Text>
              <Button
                size="compact-sm"
                variant="light"
                onClick={() => {
                  props.onClose();
                  props.onGoToModels();
                }}
              >
                {t('embed.goToModels')}
              </Button>
            </Stack>
          </Alert>
        ) : (
          <>
            <Select
              data-testid="embed-model"
              label={t('embed.model')}
              description={
                info
                  ? t('embed.modelInfo', { architecture: info.architecture, layers: info.layers, hidden: info.hiddenSize, maxPositions: info.maxPositions })
                  : model ?? undefined
              }
              data={models.map((p) => ({ value: p, label: baseName(p) || p }))}
              value={model}
              allowDeselect={false}
              onChange={setModel}
            />
            <ErrorAlert error={infoError} />
            {unusable && (
              <Alert color="red" variant="light" data-testid="embed-model-unusable">
                {t('models.unusable')}
              </Alert>
            )}
            <SimpleGrid cols={2}>
              <Select
                data-testid="embed-pooling"
                label={t('embed.pooling')}
                description={t(`embed.poolingHints.${form.pooling}`)}
                data={poolings.map((p) => ({ value: p, label: t(`embed.poolings.${p}`) }))}
                renderOption={({ option }) => (
                  <div>
                    <Text size="sm">{option.label}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`embed.poolingHints.${option.value}`)}
                    </Text>
                  </div>
                )}
                value={form.pooling}
                allowDeselect={false}
                onChange={(v) => v && setForm((f) => ({ ...f, pooling: v as Pooling }))}
              />
              <NumberInput
                data-testid="embed-layer"
                label={t('embed.layer')}
                description={info ? t('embed.layerHint', { layers: info.layers }) : t('embed.layerHintGeneric')}
                min={info ? -(info.layers + 1) : -1000}
                max={info ? info.layers : 1000}
                allowDecimal={false}
                value={form.layer}
                error={layerOut ? t('embed.layerOut', { layers: info?.layers ?? 0 }) : undefined}
                onChange={(v) => setForm((f) => ({ ...f, layer: number(v, -1) }))}
              />
              <NumberInput
                data-testid="embed-max-length"
                label={t('embed.maxLength')}
                description={t('embed.maxLengthHint')}
                min={2}
                max={info?.maxPositions ?? 100_000}
                allowDecimal={false}
                value={form.maxLength}
                error={tooLong ? t('embed.tooLong', { limit: info?.maxPositions ?? 0 }) : undefined}
                onChange={(v) => setForm((f) => ({ ...f, maxLength: number(v, defaultEmbedSettings.maxLength) }))}
              />
              <NumberInput
                data-testid="embed-batch-size"
                label={t('embed.batchSize')}
                description={t('embed.batchSizeHint')}
                min={1}
                max={4096}
                allowDecimal={false}
                value={form.batchSize}
                onChange={(v) => setForm((f) => ({ ...f, batchSize: number(v, defaultEmbedSettings.batchSize) }))}
              />
              <Select
                data-testid="embed-truncation"
                label={t('embed.truncation')}
                description={t(`embed.truncationHints.${truncationKey[form.truncation]}`)}
                data={(['head', 'head+tail'] as const).map((v) => ({ value: v, label: t(`embed.truncations.${truncationKey[v]}`) }))}
                value={form.truncation}
                allowDeselect={false}
                onChange={(v) => v && setForm((f) => ({ ...f, truncation: v as Truncation }))}
              />
            </SimpleGrid>
            {memory !== null && (
              <Text size="sm" c="dimmed" data-testid="embed-memory">
                {t('embed.memory', { value: memoryText(memory, t) })}
              </Text>
            )}
            {memory !== null && memoryLimit !== null && memory > memoryLimit && (
              <Alert color="orange" variant="light" data-testid="embed-memory-warning">
                {t('embed.overHeap', { limit: memoryText(memoryLimit, t) })}
              </Alert>
            )}
          </>
        )}
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            data-testid="embed-start"
            loading={busy}
            disabled={!model || busy || unusable || infoError !== null || tooLong || layerOut || form.maxLength < 2 || form.batchSize < 1}
            onClick={() => void start()}
          >
            {t('embed.start')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
