// Runs side by side: the settings they differ in (or all of them) and their test metrics, the
// best of each metric marked.
import { Badge, Group, Modal, ScrollArea, Stack, Switch, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunInfo } from '../../../../common/contract';
import { formatScore } from '../../format';
import { compareConfigs, compareMetrics, formatLearningRate, type ConfigText, type MetricRowKey } from './trainConfig';
import { useConfigText } from './TrainShared';

const scoreKeys: ReadonlySet<MetricRowKey> = new Set(['accuracy', 'macroF1', 'macroPrecision', 'macroRecall', 'microF1', 'weightedF1', 'hammingLoss', 'majorityAccuracy']);

function metricText(key: MetricRowKey, value: number | null): string {
  if (value === null) return '—';
  if (scoreKeys.has(key)) return formatScore(value);
  if (key === 'bestLearningRate') return formatLearningRate(value);
  if (key === 'bestValidationLoss') return value.toFixed(4);
  if (key === 'seconds') return value.toFixed(1);
  return value.toLocaleString();
}

export function TrainCompare(props: { opened: boolean; runs: TrainRunInfo[]; onClose(): void }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const base = useConfigText();
  // Each run names its own corpus and model, whatever this session's lists hold.
  const text: ConfigText = useMemo(
    () => ({
      t: base.t,
      corpusName: (id) => props.runs.find((r) => r.corpusId === id)?.corpusName ?? base.corpusName(id),
      modelName: (path) => props.runs.find((r) => r.config.modelPath === path)?.model.name ?? base.modelName(path),
    }),
    [base, props.runs],
  );
  const configRows = useMemo(() => compareConfigs(props.runs.map((r) => r.config), text), [props.runs, text]);
  const metricRows = useMemo(() => compareMetrics(props.runs), [props.runs]);
  const shown = all ? configRows : configRows.filter((r) => r.differs);

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={t('train.compareTitle', { count: props.runs.length })} size="90%">
      <Stack gap="md" data-testid="train-compare-view">
        <ScrollArea type="auto">
          <Table withTableBorder withColumnBorders fz="sm" layout="fixed" miw={220 + 200 * props.runs.length} data-testid="compare-metrics">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={220}>{t('train.compareMetrics')}</Table.Th>
                {props.runs.map((r) => (
                  <Table.Th key={r.id}>
                    <Text size="sm" fw={600}>
                      {r.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      #{r.id} · {t(`runs.status.${r.status}`)}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {metricRows.map((row) => (
                <Table.Tr key={row.key} data-testid="compare-metric-row" data-key={row.key}>
                  <Table.Td c="dimmed">{t(`train.compareKeys.${row.key}`)}</Table.Td>
                  {row.values.map((v, i) => (
                    <Table.Td key={i} fw={row.best.includes(i) ? 700 : undefined} data-best={row.best.includes(i) || undefined}>
                      {metricText(row.key, v)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {all ? t('train.compareAllSettings') : t('train.compareDifferences', { count: shown.length })}
          </Text>
          <Switch data-testid="compare-all" label={t('train.compareShowAll')} checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
        </Group>
        {shown.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('train.compareSame')}
          </Text>
        ) : (
          <ScrollArea type="auto">
            <Table withTableBorder withColumnBorders fz="sm" layout="fixed" miw={220 + 200 * props.runs.length} data-testid="compare-config">
              <Table.Tbody>
                {shown.map((row) => (
                  <Table.Tr key={row.key} data-testid="compare-config-row" data-key={row.key} data-differs={row.differs || undefined}>
                    <Table.Td w={220} c="dimmed">
                      <Group gap={6} wrap="nowrap">
                        {t(`train.config.keys.${row.key}`)}
                        {all && row.differs && (
                          <Badge size="xs" variant="light" color="orange">
                            {t('train.compareDiffers')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    {row.values.map((v, i) => (
                      <Table.Td key={i} style={{ wordBreak: 'break-word' }}>
                        {v}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
        <Text size="xs" c="dimmed">
          {t('train.compareNote')}
        </Text>
      </Stack>
    </Modal>
  );
}
