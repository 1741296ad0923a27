import { Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { splitNames, type CorpusStats } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { okabeIto } from '../../charts/chartOptions';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { ErrorAlert } from '../../ui/ErrorAlert';

type Unit = 'chars' | 'morphemes';
const bins = 30;

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

export function StatsTab() {
  const { t } = useTranslation();
  const app = useApp();
  const [unit, setUnit] = useState<Unit>('chars');
  const [stats, setStats] = useState<CorpusStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [analyseJob, setAnalyseJob] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const corpusId = app.corpusId;
  const corpus = app.corpora.find((c) => c.id === corpusId);

  useLiveEffect((isLive) => {
    setError(null);
    if (corpusId === null) {
      setStats(null);
      return;
    }
    app.api.call('corpus.stats', { corpusId, unit, bins }).then(
      (s) => isLive() && setStats(s),
      (err: unknown) => {
        if (!isLive()) return;
        setStats(null);
        setError(err);
      },
    );
  }, [app.api, corpusId, unit, reload, corpus?.documents]);

  const job = analyseJob ? app.jobs.find((j) => j.id === analyseJob) : undefined;
  useEffect(() => {
    if (job && (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled')) {
      setAnalyseJob(null);
      setReload((r) => r + 1);
    }
  }, [job]);

  const analyse = async () => {
    if (corpusId === null) return;
    try {
      const { jobId } = await app.api.call('corpus.analyse', { corpusId });
      setAnalyseJob(jobId);
    } catch (err) {
      setError(err);
    }
  };

  const unitLabel = t(`stats.units.${unit}`);
  const histogram = useMemo(() => {
    if (!stats) return null;
    const { edges, counts } = stats.histogram;
    const categories = counts.map((_, i) => t('stats.binLabel', { from: round(edges[i]), to: round(edges[i + 1]) }));
    const option: EChartsOption = {
      grid: { left: 56, right: 16, top: 36, bottom: 64 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, name: unitLabel, nameLocation: 'middle', nameGap: 48, axisLabel: { rotate: 35 } },
      yAxis: { type: 'value', name: t('stats.documents'), minInterval: 1 },
      series: [{ type: 'bar', data: counts, barCategoryGap: '5%', itemStyle: { color: '#0072B2' } }],
    };
    const csv = {
      header: [t('stats.csv.from'), t('stats.csv.to'), t('stats.csv.count')],
      rows: counts.map((c, i) => [edges[i], edges[i + 1], c]),
    };
    return { option, csv };
  }, [stats, t, unitLabel]);

  const labels = useMemo(() => {
    if (!stats) return null;
    const option: EChartsOption = {
      grid: { left: 56, right: 16, top: 36, bottom: 64, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: stats.labels.map((l) => l.label), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'value', name: t('stats.documents'), minInterval: 1 },
      series: [{ type: 'bar', data: stats.labels.map((l, i) => ({ value: l.count, itemStyle: { color: okabeIto[i % okabeIto.length] } })) }],
    };
    const csv = { header: [t('stats.csv.label'), t('stats.csv.count')], rows: stats.labels.map((l) => [l.label, l.count]) };
    return { option, csv };
  }, [stats, t]);

  const needsAnalysis = unit === 'morphemes' && stats !== null && stats.analysed < stats.documents;

  return (
    <Stack gap="md" pb="md">
      <Group align="flex-end">
        <CorpusSelect />
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {t('stats.unit')}
          </Text>
          <SegmentedControl
            data-testid="stats-unit"
            value={unit}
            onChange={(v) => setUnit(v as Unit)}
            data={[
              { value: 'chars', label: t('stats.units.chars') },
              { value: 'morphemes', label: t('stats.units.morphemes') },
            ]}
          />
        </Stack>
        {needsAnalysis && (
          <Group gap="xs">
            <Button data-testid="analyse-morphemes" loading={analyseJob !== null} onClick={() => void analyse()}>
              {t('stats.analyse')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('stats.analysed', { analysed: stats.analysed, documents: stats.documents })}
            </Text>
          </Group>
        )}
      </Group>
      <ErrorAlert error={error} />
      {!corpus && (
        <Text c="dimmed" size="sm">
          {t('documents.noCorpus')}
        </Text>
      )}
      {stats && (
        <>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Card withBorder>
              <Text size="xs" c="dimmed">
                {t('stats.documentCount')}
              </Text>
              <Text size="xl" fw={700} data-testid="stats-documents">
                {stats.documents.toLocaleString()}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="xs" c="dimmed" mb={4}>
                {t('stats.splits')}
              </Text>
              <Table fz="sm">
                <Table.Tbody>
                  {splitNames.map((s) => (
                    <Table.Tr key={s}>
                      <Table.Td>{t(`splits.${s}`)}</Table.Td>
                      <Table.Td ta="right">{stats.splits[s].toLocaleString()}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder>
              <Text size="xs" c="dimmed" mb={4}>
                {t('stats.summary', { unit: unitLabel })}
              </Text>
              <Table fz="sm" data-testid="stats-summary">
                <Table.Tbody>
                  {(
                    [
                      ['mean', round(stats.mean)],
                      ['median', round(stats.median)],
                      ['min', round(stats.min)],
                      ['max', round(stats.max)],
                      ['emptySkipped', String(stats.emptySkipped)],
                      ['duplicates', String(stats.duplicates)],
                    ] as const
                  ).map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Td>{t(`stats.${k}`)}</Table.Td>
                      <Table.Td ta="right">{v}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {histogram && (
              <Card withBorder>
                <Chart
                  testId="chart-histogram"
                  title={t('stats.histogram', { unit: unitLabel })}
                  fileName={`histogram-${unit}`}
                  option={histogram.option}
                  csv={histogram.csv}
                />
              </Card>
            )}
            {labels && (
              <Card withBorder>
                <Chart testId="chart-labels" title={t('stats.labels')} fileName="labels" option={labels.option} csv={labels.csv} />
              </Card>
            )}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
