// A clustering's page and a map's page on the run scaffold: the record and lifecycle from
// RunPageShell; for a clustering its quality, topic list and the map of the same embedding run
// (chosen from those there are), for a map the map coloured by a clustering of the same embedding run.
import { Card, Code, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterConfig, ClusterRunInfo, EmbeddingRef, MapConfig, MapRunInfo } from '../../../../common/contract';
import { RunPageShell } from '../../runs/RunPageShell';
import { useRun, useRuns } from '../../runs/useRuns';
import { Fact } from '../../ui/Fact';
import { EditBar, SelectionEditActions, useTopicEditor } from './TopicEditing';
import { TopicList, QualityFacts } from './TopicList';
import { TopicMap } from './TopicMap';
import { TopicsExport } from './TopicsExport';

export function embeddingText(t: (k: string, o?: Record<string, unknown>) => string, e: EmbeddingRef): string {
  return t('topics.embeddingShort', { model: e.model, pooling: e.pooling, layer: e.layer });
}

/** What a clustering clustered: its embedding run's vectors, or for the baseline TF-IDF + SVD of the same documents. */
export function vectorsText(t: (k: string, o?: Record<string, unknown>) => string, run: Pick<ClusterRunInfo, 'config' | 'embedding'>): string {
  const lsa = run.config.lsa ?? null;
  return lsa ? t('topics.lsaShort', { components: lsa.components, run: run.embedding.runId }) : embeddingText(t, run.embedding);
}

export function algorithmText(t: (k: string, o?: Record<string, unknown>) => string, config: ClusterConfig): string {
  const a = config.algorithm;
  return a.kind === 'kmeans' ? t('topics.algorithmValue.kmeans', { k: a.k }) : t('topics.algorithmValue.hdbscan', { size: a.minClusterSize });
}

/** The finished runs of a kind made from the same embedding run. */
function useSiblings<K extends 'cluster' | 'map'>(kind: K, corpusId: number | null, embeddingRunId: number | null) {
  const list = useRuns(kind, corpusId);
  return (list.runs ?? []).filter((r) => r.status === 'done' && r.embedding.runId === embeddingRunId) as (K extends 'cluster' ? ClusterRunInfo : MapRunInfo)[];
}

function configRecord({ config, seed, embedding, t }: { config: ClusterConfig | MapConfig; seed: number; embedding: EmbeddingRef; t: (k: string) => string }) {
  return {
    lead: (
      <>
        <Fact breakAll label={t('topics.record.seed')}>
          {seed}
        </Fact>
        <Fact breakAll label={t('topics.record.embedding')}>
          #{embedding.runId} · {embedding.model} · {embedding.pooling} · L{embedding.layer} · {embedding.dimensions}
        </Fact>
      </>
    ),
    footer: (
      <Stack gap={4}>
        <Text size="xs" c="dimmed">
          {t('topics.record.config')}
        </Text>
        <Code block data-testid="run-config">
          {JSON.stringify(config, null, 2)}
        </Code>
      </Stack>
    ),
  };
}

export function ClusterRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('cluster', props.runId);
  const editor = useTopicEditor(props.runId, run.reload);
  const d = run.detail;
  const maps = useSiblings('map', d?.corpusId ?? null, d?.embedding.runId ?? null);
  const [chosen, setChosen] = useState<number | null>(null);
  const mapId = chosen !== null && maps.some((m) => m.id === chosen) ? chosen : (maps[0]?.id ?? null);
  return (
    <RunPageShell
      kind="cluster"
      namespace="topics.clusterRuns"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      parts={(detail) => {
        const record = configRecord({ config: detail.config, seed: detail.config.seed, embedding: detail.embedding, t });
        return {
          subtitle: t('topics.run.subtitle', {
            corpus: detail.corpusName,
            embedding: vectorsText(t, detail),
            algorithm: algorithmText(t, detail.config),
            metric: t(`topics.metrics.${detail.config.metric}`),
          }),
          body: detail.status === 'done' && (
            <>
              <QualityFacts run={detail} />
              <EditBar run={detail} editor={editor} />
              <TopicList run={detail} editor={editor} actions={<TopicsExport run={detail} />} />
              <Card withBorder p={0} style={{ border: 'none' }}>
                <Group justify="space-between" align="flex-end" mb="xs">
                  <Text fw={600}>{t('topics.mapView.title')}</Text>
                  {maps.length > 0 && (
                    <Select
                      data-testid="topics-map-select"
                      label={t('topics.mapView.choose')}
                      data={maps.map((m) => ({ value: String(m.id), label: `${m.name} (${t(`topics.methods.${m.config.method}`)})` }))}
                      value={mapId === null ? null : String(mapId)}
                      allowDeselect={false}
                      onChange={(v) => v && setChosen(Number(v))}
                      w={320}
                    />
                  )}
                </Group>
                {mapId === null ? (
                  <Text size="sm" c="dimmed" data-testid="topics-no-map">
                    {t('topics.mapView.none')}
                  </Text>
                ) : (
                  // Drawn again after each edit that moved documents (the assignment it colours by has changed); a rename or pin keeps the selection.
                  <TopicMap
                    key={`${mapId}:${detail.edits.filter((e) => e.edit.kind !== 'rename' && e.edit.kind !== 'pin').at(-1)?.id ?? 0}`}
                    mapRunId={mapId}
                    clusterRunId={detail.id}
                    topics={detail.topics}
                    selectionActions={(documentIds) => <SelectionEditActions documentIds={documentIds} topics={detail.topics} editor={editor} />}
                  />
                )}
              </Card>
            </>
          ),
          record: { ...record, checkpoint: null },
        };
      }}
    />
  );
}

export function MapRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('map', props.runId);
  const d = run.detail;
  const clusterings = useSiblings('cluster', d?.corpusId ?? null, d?.embedding.runId ?? null);
  const [chosen, setChosen] = useState<string>('auto');
  const clusterId = chosen === 'none' ? null : chosen === 'auto' ? (clusterings[0]?.id ?? null) : Number(chosen);
  const clustering = useRun('cluster', clusterId ?? -1);
  return (
    <RunPageShell
      kind="map"
      namespace="topics.mapRuns"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      parts={(detail) => {
        const record = configRecord({ config: detail.config, seed: detail.config.seed, embedding: detail.embedding, t });
        return {
          subtitle: t('topics.run.mapSubtitle', {
            corpus: detail.corpusName,
            embedding: embeddingText(t, detail.embedding),
            method: t(`topics.methods.${detail.config.method}`),
            metric: t(`topics.metrics.${detail.config.metric}`),
          }),
          body: detail.status === 'done' && (
            <Stack gap="xs">
              <Group justify="space-between" align="flex-end">
                <Text size="sm">
                  {t('topics.columns.trustworthiness')}: <b data-testid="map-trustworthiness">{detail.trustworthiness?.toFixed(3) ?? '—'}</b>
                </Text>
                <Select
                  data-testid="map-cluster-select"
                  label={t('topics.mapView.chooseClustering')}
                  data={[{ value: 'none', label: t('topics.mapView.noClustering') }, ...clusterings.map((c) => ({ value: String(c.id), label: c.name }))]}
                  value={chosen === 'auto' ? (clusterId === null ? 'none' : String(clusterId)) : chosen}
                  allowDeselect={false}
                  onChange={(v) => v && setChosen(v)}
                  w={320}
                />
              </Group>
              <TopicMap
                key={`${detail.id}:${clusterId}`}
                mapRunId={detail.id}
                clusterRunId={clusterId !== null && clustering.detail?.id === clusterId ? clusterId : null}
                topics={clusterId !== null && clustering.detail?.id === clusterId ? clustering.detail.topics : null}
              />
            </Stack>
          ),
          record: { ...record, checkpoint: null },
        };
      }}
    />
  );
}
