import { Badge, Card, Code, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentVisibility } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { backendNames, inferenceProviders, skipDetailShown, type ComputeBackendChoice, type ComputeStatus, type InferenceProviderChoice } from '../../../../common/contract';
import { formatMegabytes } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';

const refreshMs = 2000;
const choices: ComputeBackendChoice[] = ['auto', ...backendNames];
const providerChoices: InferenceProviderChoice[] = ['auto', ...inferenceProviders];

/** Which backend the compute worker runs on, what it skipped and why, its memory; choose a backend. */
export function ComputePage() {
  const { t } = useTranslation();
  const app = useApp();
  const visibility = useDocumentVisibility();
  const [status, setStatus] = useState<ComputeStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await app.api.call('compute.status', {}));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [app.api]);

  // Every 2 s while the page is shown and the window visible; one request at a time.
  useLiveEffect((isLive) => {
    if (visibility === 'hidden') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await load();
      if (isLive()) timer = setTimeout(() => void tick(), refreshMs);
    };
    void tick();
    return () => clearTimeout(timer);
  }, [load, visibility]);

  const choose = async (choice: { computeBackend: ComputeBackendChoice } | { inferenceProvider: InferenceProviderChoice }) => {
    setSaveError(null);
    try {
      await app.refreshSettings(await app.api.call('settings.set', choice));
      void load();
    } catch (err) {
      setSaveError(err);
    }
  };

  return (
    <Stack gap="md" pb="md" data-testid="compute-view">
      <div>
        <Title order={3}>{t('compute.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('compute.intro')}
        </Text>
      </div>
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t('compute.backend')}
            </Text>
            <Group gap="sm" data-testid="compute-backend" data-backend={status?.backend ?? ''}>
              {status?.backend ? (
                <>
                  <Code fz="lg">{status.backend}</Code>
                  <Text>{t(`compute.backends.${status.backend}`)}</Text>
                </>
              ) : (
                <Text c="dimmed">{status ? t('compute.notStarted') : t('compute.loading')}</Text>
              )}
              {status?.backend && (
                <Badge data-testid="compute-running" variant="light" color={status.running ? 'blue' : 'gray'}>
                  {status.running ? t('compute.running') : t('compute.idle')}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('compute.device')}
            </Text>
            <Text data-testid="compute-device">{status?.device ?? '—'}</Text>
            <Text size="xs" c="dimmed">
              {t('compute.gpu')}
            </Text>
            {status?.gpu ? (
              <Stack gap={0} data-testid="compute-gpu" data-software={String(status.gpu.software)}>
                <Text>
                  {status.gpu.name}
                  {status.gpu.software && ` ${t('compute.gpuSoftware')}`}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('compute.gpuLimits', {
                    buffer: formatMegabytes(status.gpu.limits.maxBufferSize),
                    binding: formatMegabytes(status.gpu.limits.maxStorageBufferBindingSize),
                    workgroup: status.gpu.limits.maxComputeInvocationsPerWorkgroup,
                  })}
                </Text>
              </Stack>
            ) : (
              <Text size="sm" c="dimmed" data-testid="compute-gpu">
                {t('compute.noGpu')}
              </Text>
            )}
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs">
            <Text size="xs" c="dimmed">
              {t('compute.memory')}
            </Text>
            {status?.memory ? (
              <SimpleGrid cols={3} data-testid="compute-memory">
                <div>
                  <Text size="xs" c="dimmed">
                    {t('compute.tensors')}
                  </Text>
                  <Text fw={600}>{status.memory.tensors.toLocaleString()}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('compute.tensorBytes')}
                  </Text>
                  <Text fw={600}>{t('compute.megabytes', { value: formatMegabytes(status.memory.bytes) })}</Text>
                </div>
                <div>
                  <Text size="xs" c="dimmed">
                    {t('compute.rss')}
                  </Text>
                  <Text fw={600}>{t('compute.megabytes', { value: formatMegabytes(status.memory.rssBytes) })}</Text>
                </div>
              </SimpleGrid>
            ) : (
              <Text size="sm" c="dimmed">
                {t('compute.noMemory')}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {t('compute.refreshed')}
            </Text>
          </Stack>
        </Card>
      </SimpleGrid>

      <Card withBorder>
        <Stack gap={4} data-testid="compute-inference" data-engine={status?.inference?.engine ?? ''}>
          <Text size="xs" c="dimmed">
            {t('compute.inference')}
          </Text>
          {status?.inference ? (
            <>
              <Code fz="md" w="fit-content">
                {status.inference.device}
              </Code>
              {status.inference.reasonCode && (
                <Text size="sm" title={status.inference.reason ?? undefined}>
                  {t('compute.inferenceFallback', { why: t(`compute.inferenceReasons.${status.inference.reasonCode}`) })}
                </Text>
              )}
              {status.inference.provider && (
                <Text size="sm" data-testid="compute-provider" data-provider={status.inference.provider}>
                  {status.inference.adapter
                    ? t('compute.providerOn', { name: t(`compute.providers.${status.inference.provider}`), adapter: status.inference.adapter })
                    : t('compute.provider', { name: t(`compute.providers.${status.inference.provider}`) })}
                  {status.inference.forcedBy && ` ${t('compute.providerForced', { by: t(`compute.providerForcedBy.${status.inference.forcedBy}`) })}`}
                </Text>
              )}
              {status.inference.providerSkipped.map((s) => (
                <Text key={`${s.provider}-${s.code}`} size="sm" c="dimmed" title={s.reason} data-testid="compute-provider-skipped">
                  {t('compute.providerSkipped', { name: t(`compute.providers.${s.provider}`), why: t(`compute.providerSkipReasons.${s.code}`) })}
                </Text>
              ))}
            </>
          ) : (
            <Text c="dimmed">{status ? t('compute.notStarted') : t('compute.loading')}</Text>
          )}
          <Text size="xs" c="dimmed">
            {t('compute.inferenceNote')}
          </Text>
        </Stack>
      </Card>

      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('compute.skipped')}
        </Text>
        {!status || status.skipped.length === 0 ? (
          <Text size="sm" c="dimmed">
            {status?.backend ? t('compute.noneSkipped') : t('compute.skippedUnknown')}
          </Text>
        ) : (
          <Table data-testid="compute-skipped" withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>{t('compute.skippedBackend')}</Table.Th>
                <Table.Th>{t('compute.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {status.skipped.map((s) => (
                <Table.Tr key={s.backend}>
                  <Table.Td>
                    <Code>{s.backend}</Code>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }} title={s.reason}>
                    {t(`compute.skipReasons.${s.code}`, { package: s.package ?? '' })}
                    {skipDetailShown(s.code) && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {s.reason}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Card withBorder>
        <Select
          data-testid="compute-choice"
          label={t('compute.choice')}
          description={t('compute.choiceNote')}
          data={choices.map((c) => ({ value: c, label: c === 'auto' ? t('compute.backends.auto') : t('compute.choiceOption', { name: c, label: t(`compute.backends.${c}`) }) }))}
          value={app.settings.computeBackend}
          allowDeselect={false}
          maw={420}
          onChange={(v) => v && void choose({ computeBackend: v as ComputeBackendChoice })}
        />
        <Select
          mt="sm"
          data-testid="compute-provider-choice"
          label={t('compute.providerChoice')}
          description={t('compute.providerChoiceNote')}
          data={providerChoices.map((c) => ({ value: c, label: t(`compute.providers.${c}`) }))}
          value={app.settings.inferenceProvider ?? 'auto'}
          allowDeselect={false}
          maw={420}
          onChange={(v) => v && void choose({ inferenceProvider: v as InferenceProviderChoice })}
        />
        <ErrorAlert error={saveError} />
      </Card>
    </Stack>
  );
}
