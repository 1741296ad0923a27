// A clustering's quality and its topics: one row per cluster with its size, the study's label words
// beside the c-TF-IDF words, representative documents and the gold labels' shares as a small bar.
import { Badge, Card, Group, ScrollArea, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterRunDetail, TopicInfo } from '../../../../common/contract';
import { okabeIto } from '../../charts/chartOptions';
import { formatScore } from '../../format';
import { useApp } from '../../state/AppContext';
import { Fact } from '../../ui/Fact';
import { clusterColour } from './TopicMap';
import { goldLabelsOf, noise, shareSegments } from './topicsMap';

export function QualityFacts({ run }: { run: ClusterRunDetail }) {
  const { t } = useTranslation();
  const q = run.quality;
  const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '—' : x.toLocaleString(undefined, { maximumFractionDigits: digits }));
  return (
    <Card withBorder data-testid="topics-quality">
      <Text fw={600} mb="xs">
        {t('topics.quality.title')}
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4, lg: 5 }} spacing="sm" verticalSpacing="xs">
        <Fact label={t('topics.quality.clusters')} testId="quality-clusters">
          {run.clusters ?? '—'}
        </Fact>
        <Fact label={t('topics.quality.silhouette')} testId="quality-silhouette">
          {formatScore(q?.silhouette)}
        </Fact>
        <Fact label={t('topics.quality.nmi')} testId="quality-nmi">
          {formatScore(q?.nmi)}
        </Fact>
        <Fact label={t('topics.quality.ari')} testId="quality-ari">
          {formatScore(q?.ari)}
        </Fact>
        <Fact label={t('topics.quality.purity')}>{formatScore(q?.purity)}</Fact>
        <Fact label={t('topics.quality.inertia')}>{num(q?.inertia)}</Fact>
        <Fact label={t('topics.quality.noise')}>{q ? q.noise.toLocaleString() : '—'}</Fact>
        <Fact label={t('topics.quality.liftStudy')}>{num(q?.lift.study)}</Fact>
        <Fact label={t('topics.quality.liftCtfidf')}>{num(q?.lift.ctfidf)}</Fact>
        <Fact label={t('topics.quality.vocabulary')}>{run.vocabulary?.toLocaleString() ?? '—'}</Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('topics.quality.note')}
      </Text>
    </Card>
  );
}

/** The gold labels of a cluster as one bar of coloured segments, each label one colour in every row. */
export function ShareBar({ gold, labels }: { gold: TopicInfo['gold']; labels: readonly string[] }) {
  const { t } = useTranslation();
  const segments = shareSegments(gold, labels);
  if (segments.length === 0) return <Text size="xs">—</Text>;
  return (
    <Stack gap={2} w={160}>
      <div data-testid="topic-gold-bar" style={{ display: 'flex', height: 10, borderRadius: 3, overflow: 'hidden', border: '1px solid var(--mantine-color-default-border)' }}>
        {segments.map((s) => (
          <Tooltip key={s.label} label={t('topics.list.share', { label: s.label, count: s.count.toLocaleString(), percent: Math.round(s.share * 100) })}>
            <div data-label={s.label} style={{ width: `${s.share * 100}%`, background: okabeIto[s.colour % okabeIto.length] }} />
          </Tooltip>
        ))}
      </div>
      <Text size="xs" c="dimmed" lineClamp={1}>
        {segments
          .slice(0, 2)
          .map((s) => `${s.label} ${Math.round(s.share * 100)}%`)
          .join(' · ')}
      </Text>
    </Stack>
  );
}

function Words({ words, testId }: { words: TopicInfo['study']; testId: string }) {
  return (
    <Group gap={4} data-testid={testId} maw={300}>
      {words.slice(0, 10).map((w) => (
        <Badge key={w.word} size="sm" variant="light" color="gray" tt="none" title={w.score.toFixed(3)}>
          {w.word}
        </Badge>
      ))}
    </Group>
  );
}

export function TopicList({ run }: { run: ClusterRunDetail }) {
  const { t } = useTranslation();
  const app = useApp();
  const labels = useMemo(() => goldLabelsOf(run.topics), [run.topics]);
  const hasGold = labels.length > 0;
  return (
    <Card withBorder data-testid="topic-list" data-topics={run.topics.length}>
      <Text fw={600} mb="xs">
        {t('topics.list.title', { count: run.topics.filter((tp) => tp.cluster !== noise).length })}
      </Text>
      <ScrollArea type="auto">
        <Table striped withTableBorder fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('topics.list.cluster')}</Table.Th>
              <Table.Th ta="right">{t('topics.list.size')}</Table.Th>
              <Table.Th>{t('topics.list.study')}</Table.Th>
              <Table.Th>{t('topics.list.ctfidf')}</Table.Th>
              <Table.Th>{t('topics.list.representatives')}</Table.Th>
              {hasGold && <Table.Th>{t('topics.list.gold')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.topics.map((tp) => (
              <Table.Tr key={tp.cluster} data-testid="topic-row" data-cluster={tp.cluster} style={{ verticalAlign: 'top' }}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: clusterColour(tp.cluster) }} />
                    {tp.cluster === noise ? t('topics.list.noise') : String(tp.cluster)}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" data-testid="topic-size">
                  {tp.size.toLocaleString()}
                </Table.Td>
                <Table.Td>
                  <Words words={tp.study} testId="topic-study" />
                </Table.Td>
                <Table.Td>
                  <Words words={tp.ctfidf} testId="topic-ctfidf" />
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} maw={320}>
                    {tp.representatives.slice(0, 3).map((r) => (
                      <Text
                        key={r.documentId}
                        size="xs"
                        lineClamp={1}
                        title={r.snippet}
                        style={{ cursor: 'pointer' }}
                        data-testid="topic-representative"
                        onClick={() => app.openDocument({ documentId: r.documentId })}
                      >
                        <b>{r.title ?? t('topics.list.untitled')}</b> {r.snippet}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                {hasGold && (
                  <Table.Td>
                    <ShareBar gold={tp.gold} labels={labels} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}
