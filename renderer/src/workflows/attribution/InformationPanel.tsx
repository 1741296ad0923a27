// The implicit-weighting study's question on the Attribution page: choose attribution runs (e.g.
// CLS and mean pooling, before and after sentence-embedding training) and a corpus for P(w); a job
// correlates every word's contribution with −log P(w) and P(w); the table is the study's Table 1
// (Pearson and Spearman with 95% intervals), beside a scatter of contribution against −log P(w)
// with each run's fitted line.
import { Button, Card, Checkbox, Group, MultiSelect, Progress, SegmentedControl, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isJobOf, type AttributionRunInfo, type CorrelationInfo } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { csvBytes } from '../../charts/csv';
import { downloadBytes } from '../../charts/download';
import { percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { informationScatter, informationTable } from './informationCharts';

const cell = (c: CorrelationInfo) => (
  <Tooltip label={`95%: Fisher [${c.fisher[0].toFixed(3)}, ${c.fisher[1].toFixed(3)}] · bootstrap [${c.bootstrap[0].toFixed(3)}, ${c.bootstrap[1].toFixed(3)}]`}>
    <span>
      {c.value.toFixed(3)}{' '}
      <Text span size="xs" c="dimmed">
        [{c.fisher[0].toFixed(2)}, {c.fisher[1].toFixed(2)}]
      </Text>
    </span>
  </Tooltip>
);

export function InformationPanel({ runs }: { runs: readonly AttributionRunInfo[] }) {
  const { t } = useTranslation();
  const app = useApp();
  const done = runs.filter((r) => r.done > 0);
  const [chosen, setChosen] = useState<string[]>([]);
  const [corpus, setCorpus] = useState<string | null>(null);
  const [unit, setUnit] = useState<'morpheme' | 'subword'>('morpheme');
  const [withSymbols, setWithSymbols] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const frequencyCorpus = corpus ?? (app.corpusId === null ? null : String(app.corpusId));
  const job = jobId === null ? null : (app.jobs.find((j) => j.id === jobId) ?? null);
  const result = job && isJobOf(job, 'information') && job.status === 'done' ? job.result : null;
  const runName = (r: { runId: number; name: string }) => `#${r.runId} ${r.name}`;
  const chart = useMemo(() => result && informationScatter(result, { x: t('attribution.information.x'), y: t('attribution.information.y'), run: runName }), [result, t]);
  if (done.length === 0) return null;

  const start = async () => {
    if (frequencyCorpus === null || chosen.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const started = await app.api.call('attribution.information', { runIds: chosen.map(Number), frequencyCorpusId: Number(frequencyCorpus), unit, withoutSymbols: !withSymbols, bootstrap: 1000, seed: 42 });
      setJobId(started.jobId);
      await app.refreshJobs();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder data-testid="information-panel">
      <Stack gap="xs">
        <Text fw={600}>{t('attribution.information.title')}</Text>
        <Text size="sm" c="dimmed" maw={900}>
          {t('attribution.information.intro')}
        </Text>
        <Group align="flex-end">
          <MultiSelect
            data-testid="information-runs"
            w={420}
            label={t('attribution.information.runs')}
            data={done.map((r) => ({ value: String(r.id), label: `#${r.id} ${r.name}` }))}
            value={chosen}
            onChange={setChosen}
            maxValues={8}
          />
          <Select
            data-testid="information-corpus"
            w={220}
            label={t('attribution.information.corpus')}
            data={app.corpora.map((c) => ({ value: String(c.id), label: c.name }))}
            value={frequencyCorpus}
            allowDeselect={false}
            onChange={setCorpus}
          />
          <SegmentedControl
            data-testid="information-unit"
            value={unit}
            onChange={(v) => setUnit(v as 'morpheme' | 'subword')}
            data={[
              { value: 'morpheme', label: t('attribution.heatmap.morpheme') },
              { value: 'subword', label: t('attribution.heatmap.token') },
            ]}
          />
          <Checkbox data-testid="information-symbols" label={t('attribution.information.symbols')} checked={withSymbols} onChange={(e) => setWithSymbols(e.currentTarget.checked)} mb={8} />
          <Button data-testid="information-start" disabled={chosen.length === 0 || frequencyCorpus === null || busy} loading={busy} onClick={() => void start()}>
            {t('attribution.information.start')}
          </Button>
        </Group>
        <ErrorAlert error={error ?? (job?.status === 'failed' ? job.error : null)} />
        {job && (job.status === 'running' || job.status === 'queued') && <Progress value={percentOf(job.done, job.total)} animated />}
        {result && chart && (
          <Stack gap="xs" data-testid="information-result" data-runs={result.runs.length}>
            <Group justify="space-between">
              <Text size="sm">{t('attribution.information.frequencies', { tokens: result.tokens.toLocaleString(), types: result.types.toLocaleString(), unit: t(`attribution.heatmap.${result.unit === 'morpheme' ? 'morpheme' : 'token'}`) })}</Text>
              <Button
                data-testid="information-csv"
                size="compact-xs"
                variant="default"
                onClick={() => {
                  const table = informationTable(result, { run: runName });
                  downloadBytes(csvBytes(table.header, table.rows), 'information-table.csv', 'text/csv;charset=utf-8');
                }}
              >
                {t('attribution.information.csv')}
              </Button>
            </Group>
            <Table withTableBorder fz="sm" data-testid="information-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('attribution.information.run')}</Table.Th>
                  <Table.Th ta="right">n</Table.Th>
                  <Table.Th>{t('attribution.information.pearsonInfo')}</Table.Th>
                  <Table.Th>{t('attribution.information.spearmanInfo')}</Table.Th>
                  <Table.Th>{t('attribution.information.pearsonP')}</Table.Th>
                  <Table.Th>{t('attribution.information.spearmanP')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.runs.map((r) => (
                  <Table.Tr key={r.runId} data-testid="information-row" data-pearson={r.information.pearson.value}>
                    <Table.Td>{runName(r)}</Table.Td>
                    <Table.Td ta="right">{r.n.toLocaleString()}</Table.Td>
                    <Table.Td>{cell(r.information.pearson)}</Table.Td>
                    <Table.Td>{cell(r.information.spearman)}</Table.Td>
                    <Table.Td>{cell(r.probability.pearson)}</Table.Td>
                    <Table.Td>{cell(r.probability.spearman)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              {t('attribution.information.note')}
            </Text>
            <Chart option={chart.option} csv={chart.csv} fileName="information-scatter" testId="information-scatter" exportTestId="information-export" height={380} />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
