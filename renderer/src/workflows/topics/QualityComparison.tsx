// The corpus's finished clusterings side by side (issue 17, "Quality … compared across runs"): the
// embedding each came from (model, pooling, layer), the algorithm, and its silhouette, NMI, ARI,
// purity, label lift (both methods) and noise, the best of each column in bold; exported as CSV.
import { Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ClusterRunInfo } from '../../../../common/contract';
import { csvBytes } from '../../charts/csv';
import { downloadBytes } from '../../charts/download';
import { formatScore } from '../../format';
import { bestIndexes } from './quality';
import { algorithmText } from './TopicsRunPages';

type Metric = { key: string; value: (r: ClusterRunInfo) => number | null | undefined; lower?: boolean; format?: (v: number | null | undefined) => string };

const metrics: Metric[] = [
  { key: 'clusters', value: (r) => r.clusters, format: (v) => (v === null || v === undefined ? '—' : String(v)) },
  { key: 'silhouette', value: (r) => r.quality?.silhouette },
  { key: 'nmi', value: (r) => r.quality?.nmi },
  { key: 'ari', value: (r) => r.quality?.ari },
  { key: 'purity', value: (r) => r.quality?.purity },
  { key: 'liftStudy', value: (r) => r.quality?.lift.study },
  { key: 'liftCtfidf', value: (r) => r.quality?.lift.ctfidf },
  { key: 'noise', value: (r) => r.quality?.noise, lower: true, format: (v) => (v === null || v === undefined ? '—' : v.toLocaleString()) },
];

/** Model, pooling and layer of what was clustered; the baseline's TF-IDF + SVD has neither pooling nor layer. */
function sourceOf(r: ClusterRunInfo): [string, string, number | string] {
  const lsa = r.config.lsa ?? null;
  return lsa ? [`TF-IDF + SVD (${lsa.components})`, '', ''] : [r.embedding.model, r.embedding.pooling, r.embedding.layer];
}

export function QualityComparison(props: { runs: readonly ClusterRunInfo[] | null }) {
  const { t } = useTranslation();
  const runs = (props.runs ?? []).filter((r) => r.status === 'done');
  if (runs.length === 0) return null;
  // The cluster count has no better direction.
  const best = metrics.map((m) => (m.key === 'clusters' ? new Set<number>() : bestIndexes(runs.map(m.value), m.lower)));
  const header = ['name', 'model', 'pooling', 'layer', 'algorithm', ...metrics.map((m) => m.key)].map((k) => t(`topics.compare.columns.${k}`));

  const exportCsv = () => {
    const rows = runs.map((r) => [r.name, ...sourceOf(r), algorithmText(t, r.config), ...metrics.map((m) => m.value(r) ?? '')]);
    downloadBytes(csvBytes(header, rows), 'clustering-comparison.csv', 'text/csv;charset=utf-8');
  };

  return (
    <div data-testid="quality-comparison" data-runs={runs.length}>
      <Group justify="space-between" mb={4}>
        <Text fw={600}>{t('topics.compare.title')}</Text>
        <Button data-testid="quality-comparison-csv" size="compact-xs" variant="default" onClick={exportCsv}>
          {t('topics.compare.csv')}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              {header.map((h, j) => (
                <Table.Th key={h} style={{ textAlign: j >= 5 ? 'right' : undefined }}>
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((r, i) => (
              <Table.Tr key={r.id} data-testid="quality-comparison-row" data-run={r.id}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td data-testid="quality-comparison-source">{sourceOf(r)[0]}</Table.Td>
                <Table.Td>{sourceOf(r)[1]}</Table.Td>
                <Table.Td>{sourceOf(r)[2]}</Table.Td>
                <Table.Td>{algorithmText(t, r.config)}</Table.Td>
                {metrics.map((m, j) => (
                  <Table.Td key={m.key} data-key={m.key} data-best={best[j].has(i)} style={{ textAlign: 'right', fontWeight: best[j].has(i) ? 700 : undefined }}>
                    {(m.format ?? formatScore)(m.value(r))}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" mt={4}>
        {t('topics.compare.note')}
      </Text>
    </div>
  );
}
