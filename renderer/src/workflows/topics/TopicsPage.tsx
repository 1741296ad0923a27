// The Maps & topics view: the start panel (an embedding run of the selected corpus, clustered and
// labelled, or projected to a map), the clusterings and maps of that corpus, and one run's page.
// Which is shown is the workflow's state, kept by the app while another page is shown.
import { Alert, Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { topicsDefaults, type ClusterRunInfo, type EmbeddingRunInfo, type MapMethod, type MapRunInfo, type VectorMetric } from '../../../../common/contract';
import { formatScore } from '../../format';
import { RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type { WorkflowPageProps } from '../types';
import { KSweep } from './KSweep';
import { QualityComparison } from './QualityComparison';
import { algorithmText, ClusterRunPage, embeddingText, MapRunPage, vectorsText } from './TopicsRunPages';

export type TopicsScreen = { kind: 'runs' } | { kind: 'run'; runKind: 'cluster' | 'map'; runId: number };

export function TopicsPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<TopicsScreen>) {
  const open = (runKind: 'cluster' | 'map') => (runId: number) => onScreen({ kind: 'run', runKind, runId });
  if (screen.kind === 'run') {
    const Page = screen.runKind === 'cluster' ? ClusterRunPage : MapRunPage;
    return <Page key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs' })} onOpenRun={open(screen.runKind)} />;
  }
  return <RunsView onOpenCluster={open('cluster')} onOpenMap={open('map')} onGoToCorpus={() => go('corpus')} />;
}

const numberOr = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function RunsView(props: { onOpenCluster(runId: number): void; onOpenMap(runId: number): void; onGoToCorpus(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const corpusId = app.corpusId;
  const clusterRuns = useRuns('cluster', corpusId);
  const mapRuns = useRuns('map', corpusId);

  const clusterDetails: RunColumn<ClusterRunInfo>[] = [
    { key: 'embedding', header: t('topics.columns.embedding'), cell: (r) => vectorsText(t, r), maxWidth: 220 },
    { key: 'algorithm', header: t('topics.columns.algorithm'), cell: (r) => algorithmText(t, r.config) },
  ];
  const clusterMetrics: RunColumn<ClusterRunInfo>[] = [
    { key: 'clusters', header: t('topics.columns.clusters'), align: 'right', testId: 'runs-clusters', cell: (r) => r.clusters ?? '—' },
    { key: 'nmi', header: t('topics.columns.nmi'), align: 'right', testId: 'runs-nmi', cell: (r) => formatScore(r.quality?.nmi) },
    { key: 'ari', header: t('topics.columns.ari'), align: 'right', cell: (r) => formatScore(r.quality?.ari) },
    { key: 'silhouette', header: t('topics.columns.silhouette'), align: 'right', cell: (r) => formatScore(r.quality?.silhouette) },
  ];
  const mapDetails: RunColumn<MapRunInfo>[] = [
    { key: 'embedding', header: t('topics.columns.embedding'), cell: (r) => embeddingText(t, r.embedding), maxWidth: 220 },
    { key: 'method', header: t('topics.columns.method'), cell: (r) => t(`topics.methods.${r.config.method}`) },
  ];
  const mapMetrics: RunColumn<MapRunInfo>[] = [
    { key: 'trustworthiness', header: t('topics.columns.trustworthiness'), align: 'right', testId: 'runs-trustworthiness', cell: (r) => formatScore(r.trustworthiness) },
  ];

  return (
    <Stack gap="md" pb="md" data-testid="topics-view">
      <div>
        <Title order={3}>{t('topics.title')}</Title>
        <Text size="sm" c="dimmed" maw={860}>
          {t('topics.intro')}
        </Text>
      </div>
      <StartPanel onGoToCorpus={props.onGoToCorpus} />
      <Text fw={600}>{t('topics.clusterRuns.title')}</Text>
      <RunsTable kind="cluster" namespace="topics.clusterRuns" runs={clusterRuns} details={clusterDetails} metrics={clusterMetrics} onOpen={props.onOpenCluster} />
      <QualityComparison runs={clusterRuns.runs} />
      <Text fw={600}>{t('topics.mapRuns.title')}</Text>
      <RunsTable kind="map" namespace="topics.mapRuns" runs={mapRuns} details={mapDetails} metrics={mapMetrics} onOpen={props.onOpenMap} />
    </Stack>
  );
}

/** The embedding runs of the selected corpus, again when an embedding job of this session finishes. */
function useEmbeddingRuns(): { runs: EmbeddingRunInfo[] | null; error: unknown } {
  const app = useApp();
  const [runs, setRuns] = useState<EmbeddingRunInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finished = app.jobs.filter((j) => j.kind === 'embed' && j.status === 'done').length;
  useLiveEffect((isLive) => {
    setError(null);
    if (app.corpusId === null) return setRuns(null);
    app.api.call('embed.runs', { corpusId: app.corpusId }).then(
      (r) => isLive() && setRuns(r),
      (err: unknown) => isLive() && (setRuns(null), setError(err)),
    );
  }, [app.api, app.corpusId, finished]);
  return { runs, error };
}

function StartPanel(props: { onGoToCorpus(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const embeddings = useEmbeddingRuns();
  const [chosen, setChosen] = useState<number | null>(null);
  const runs = embeddings.runs ?? [];
  // The newest embedding run unless another was chosen.
  const embeddingRunId = chosen !== null && runs.some((r) => r.id === chosen) ? chosen : (runs[runs.length - 1]?.id ?? null);

  const [algorithm, setAlgorithm] = useState<'kmeans' | 'hdbscan'>('kmeans');
  const [k, setK] = useState<number>(topicsDefaults.k);
  const [restarts, setRestarts] = useState<number>(topicsDefaults.restarts);
  const [minClusterSize, setMinClusterSize] = useState<number>(topicsDefaults.minClusterSize);
  const [metric, setMetric] = useState<VectorMetric>(topicsDefaults.metric);
  const [words, setWords] = useState<number>(topicsDefaults.words);
  const [minDf, setMinDf] = useState<number>(topicsDefaults.minDf);
  const [stopWords, setStopWords] = useState<string[]>([]);
  const [seed, setSeed] = useState<number>(topicsDefaults.seed);
  // The baseline: the same clustering on TF-IDF + SVD of the documents' morphemes.
  const [lsa, setLsa] = useState(false);
  const [lsaComponents, setLsaComponents] = useState<number>(topicsDefaults.lsaComponents);

  const [method, setMethod] = useState<MapMethod>('umap');
  const [neighbours, setNeighbours] = useState<number>(topicsDefaults.neighbours);
  const [minDist, setMinDist] = useState<number>(topicsDefaults.minDist);
  const [perplexity, setPerplexity] = useState<number>(topicsDefaults.perplexity);

  const [busy, setBusy] = useState<'cluster' | 'map' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [started, setStarted] = useState(false);

  const start = async (what: 'cluster' | 'map') => {
    if (embeddingRunId === null) return;
    setBusy(what);
    setError(null);
    setStarted(false);
    try {
      if (what === 'cluster') {
        await app.api.call('topics.cluster', {
          embeddingRunId,
          algorithm: algorithm === 'kmeans' ? { kind: 'kmeans', k, restarts } : { kind: 'hdbscan', minClusterSize, minSamples: null },
          metric,
          // BERTopic's reduction before HDBSCAN; k-means works on the embeddings as they are.
          reduce: algorithm === 'hdbscan' ? topicsDefaults.reduce : null,
          lsa: lsa ? { components: lsaComponents } : null,
          labels: { words, minDf, maxDfShare: topicsDefaults.maxDfShare, stopWords, diversity: null },
          seed,
          name: '',
        });
      } else {
        await app.api.call('maps.start', { embeddingRunId, method, metric, neighbours, minDist, perplexity, seed, name: '' });
      }
      setStarted(true);
      await app.refreshJobs();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const disabled = embeddingRunId === null || busy !== null;
  const metricData = (['cosine', 'euclidean'] as const).map((m) => ({ value: m, label: t(`topics.metrics.${m}`) }));

  return (
    <Stack gap="sm" data-testid="topics-start">
      <Group align="flex-end" wrap="wrap">
        <CorpusSelect />
        <Select
          data-testid="topics-embedding"
          label={t('topics.embedding')}
          data={runs.map((r) => ({
            value: String(r.id),
            label: t('topics.embeddingOption', { id: r.id, model: r.model.name, pooling: r.pooling, layer: r.layer, dimensions: r.dimensions, documents: r.documents.toLocaleString() }),
          }))}
          value={embeddingRunId === null ? null : String(embeddingRunId)}
          allowDeselect={false}
          onChange={(v) => v && setChosen(Number(v))}
          w={520}
          disabled={runs.length === 0}
        />
        <Select data-testid="topics-metric" label={t('topics.cluster.metric')} data={metricData} value={metric} allowDeselect={false} onChange={(v) => v && setMetric(v as VectorMetric)} w={150} />
        <NumberInput data-testid="topics-seed" label={t('topics.cluster.seed')} value={seed} min={0} max={2 ** 31 - 1} onChange={(v) => setSeed(numberOr(v, topicsDefaults.seed))} w={110} />
      </Group>
      {embeddings.runs && runs.length === 0 && (
        <Alert color="yellow" variant="light" data-testid="topics-no-embeddings">
          <Group justify="space-between">
            <Text size="sm">{t('topics.embeddingNone')}</Text>
            <Button size="compact-sm" variant="light" onClick={props.onGoToCorpus}>
              {t('topics.goToCorpus')}
            </Button>
          </Group>
        </Alert>
      )}
      <ErrorAlert error={embeddings.error} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder data-testid="topics-cluster-form">
          <Text fw={600} mb="xs">
            {t('topics.cluster.title')}
          </Text>
          <Stack gap="xs">
            <SegmentedControl
              data-testid="topics-algorithm"
              value={algorithm}
              onChange={(v) => setAlgorithm(v as 'kmeans' | 'hdbscan')}
              data={[
                { value: 'kmeans', label: t('topics.cluster.kmeans') },
                { value: 'hdbscan', label: t('topics.cluster.hdbscan') },
              ]}
            />
            <Group grow align="flex-start">
              {algorithm === 'kmeans' ? (
                <>
                  <NumberInput data-testid="topics-k" label={t('topics.cluster.k')} description={t('topics.cluster.kHint')} value={k} min={2} max={1000} onChange={(v) => setK(numberOr(v, topicsDefaults.k))} />
                  <NumberInput data-testid="topics-restarts" label={t('topics.cluster.restarts')} description={t('topics.cluster.restartsHint')} value={restarts} min={1} max={100} onChange={(v) => setRestarts(numberOr(v, topicsDefaults.restarts))} />
                </>
              ) : (
                <NumberInput
                  data-testid="topics-min-cluster-size"
                  label={t('topics.cluster.minClusterSize')}
                  description={t('topics.cluster.minClusterSizeHint')}
                  value={minClusterSize}
                  min={2}
                  onChange={(v) => setMinClusterSize(numberOr(v, topicsDefaults.minClusterSize))}
                />
              )}
            </Group>
            {algorithm === 'kmeans' && <KSweep embeddingRunId={embeddingRunId} metric={metric} seed={seed} restarts={restarts} onChoose={setK} />}
            <Group grow align="flex-start">
              <NumberInput data-testid="topics-words" label={t('topics.cluster.words')} value={words} min={1} max={200} onChange={(v) => setWords(numberOr(v, topicsDefaults.words))} />
              <NumberInput data-testid="topics-min-df" label={t('topics.cluster.minDf')} description={t('topics.cluster.minDfHint')} value={minDf} min={1} onChange={(v) => setMinDf(numberOr(v, topicsDefaults.minDf))} />
            </Group>
            <TagsInput data-testid="topics-stop-words" label={t('topics.cluster.stopWords')} description={t('topics.cluster.stopWordsHint')} value={stopWords} onChange={setStopWords} clearable />
            <Group align="flex-end" wrap="nowrap">
              <Checkbox data-testid="topics-lsa" label={t('topics.cluster.lsa')} description={t('topics.cluster.lsaHint')} checked={lsa} onChange={(e) => setLsa(e.currentTarget.checked)} style={{ flex: 1 }} />
              {lsa && (
                <NumberInput
                  data-testid="topics-lsa-components"
                  label={t('topics.cluster.lsaComponents')}
                  value={lsaComponents}
                  min={2}
                  max={1000}
                  w={140}
                  onChange={(v) => setLsaComponents(numberOr(v, topicsDefaults.lsaComponents))}
                />
              )}
            </Group>
            <Group justify="flex-end">
              <Button data-testid="topics-start-cluster" disabled={disabled} loading={busy === 'cluster'} onClick={() => void start('cluster')}>
                {t('topics.cluster.start')}
              </Button>
            </Group>
          </Stack>
        </Card>
        <Card withBorder data-testid="topics-map-form">
          <Text fw={600} mb="xs">
            {t('topics.map.title')}
          </Text>
          <Stack gap="xs">
            <SegmentedControl
              data-testid="map-method"
              value={method}
              onChange={(v) => setMethod(v as MapMethod)}
              data={(['umap', 'tsne', 'pca'] as const).map((m) => ({ value: m, label: t(`topics.methods.${m}`) }))}
            />
            <Group grow align="flex-start">
              <NumberInput data-testid="map-neighbours" label={t('topics.map.neighbours')} value={neighbours} min={2} max={200} disabled={method !== 'umap'} onChange={(v) => setNeighbours(numberOr(v, topicsDefaults.neighbours))} />
              <NumberInput data-testid="map-min-dist" label={t('topics.map.minDist')} value={minDist} min={0} max={1} step={0.05} decimalScale={3} disabled={method !== 'umap'} onChange={(v) => setMinDist(numberOr(v, topicsDefaults.minDist))} />
              <NumberInput data-testid="map-perplexity" label={t('topics.map.perplexity')} value={perplexity} min={2} max={500} disabled={method !== 'tsne'} onChange={(v) => setPerplexity(numberOr(v, topicsDefaults.perplexity))} />
            </Group>
            <Group justify="flex-end">
              <Button data-testid="topics-start-map" disabled={disabled} loading={busy === 'map'} onClick={() => void start('map')}>
                {t('topics.map.start')}
              </Button>
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>
      <ErrorAlert error={error} />
      {started && (
        <Alert color="blue" variant="light" data-testid="topics-started" withCloseButton onClose={() => setStarted(false)}>
          {t('topics.started')}
        </Alert>
      )}
    </Stack>
  );
}
