// The Apply-a-classifier view: the start panel (a fine-tuning run or a model folder with a
// classification head, the corpus, its split), the corpus's prediction runs, and one run's page with
// its comparison against the gold labels, its predicted documents (filtered by a predicted label,
// sorted by confidence) and the CSV download.
import { Alert, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { predictionDefaults, predictionSorts, type PredictedDocument, type PredictionRunDetail, type PredictionRunInfo, type PredictionSort } from '../../../../common/contract';
import { downloadBlob } from '../../charts/download';
import { formatScore } from '../../format';
import { RunPageShell } from '../../runs/RunPageShell';
import { StartCard } from '../../runs/StartCard';
import { RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRun, useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';
import { ClassifierSourcePicker, useClassifierSource } from '../../ui/ClassifierSource';
import { TestMetricsCard } from '../training/TrainResults';
import type { WorkflowPageProps } from '../types';

export type PredictionScreen = { kind: 'runs' } | { kind: 'run'; runId: number };

/** Documents shown on a run's page; the CSV has every one. */
const shownRows = 500;

export function PredictionPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<PredictionScreen>) {
  if (screen.kind === 'run') {
    return <PredictionRunPage key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs' })} onOpenRun={(runId) => onScreen({ kind: 'run', runId })} />;
  }
  return <RunsView onOpen={(runId) => onScreen({ kind: 'run', runId })} go={go} />;
}

function RunsView(props: { onOpen(runId: number): void; go(id: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const runs = useRuns('prediction', app.corpusId);
  const details: RunColumn<PredictionRunInfo>[] = [{ key: 'model', header: t('prediction.columns.model'), cell: (r) => r.model.name, maxWidth: 260 }];
  const metrics: RunColumn<PredictionRunInfo>[] = [
    { key: 'done', header: t('prediction.columns.done'), align: 'right', testId: 'runs-done', cell: (r) => `${r.done} / ${r.documents.documents}` },
    { key: 'accuracy', header: t('prediction.columns.accuracy'), align: 'right', testId: 'runs-accuracy', cell: (r) => formatScore(r.evaluation?.metrics.accuracy) },
    { key: 'macroF1', header: t('prediction.columns.macroF1'), align: 'right', testId: 'runs-macro-f1', cell: (r) => formatScore(r.evaluation?.metrics.macro.f1) },
  ];
  return (
    <Stack gap="md" pb="md" data-testid="prediction-view">
      <div>
        <Title order={3}>{t('prediction.title')}</Title>
        <Text size="sm" c="dimmed" maw={860}>
          {t('prediction.intro')}
        </Text>
      </div>
      <StartPanel go={props.go} />
      <Text fw={600}>{t('prediction.runs.title')}</Text>
      <RunsTable kind="prediction" namespace="prediction.runs" runs={runs} details={details} metrics={metrics} onOpen={props.onOpen} />
    </Stack>
  );
}

function StartPanel(props: { go(id: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const corpusId = app.corpusId;
  // A run of any corpus can be applied to this one.
  const classifier = useClassifierSource(null);
  const { sourceKind, runId, run, model } = classifier;
  const [split, setSplit] = useState<'train' | 'dev' | 'test' | 'all'>('all');
  const [threshold, setThreshold] = useState(predictionDefaults.threshold);
  const [batchSize, setBatchSize] = useState(predictionDefaults.batchSize);

  const source = sourceKind === 'run' ? (runId === null ? null : { kind: 'run' as const, runId }) : model ? { kind: 'model' as const, path: model } : null;
  const multi = sourceKind === 'model' || run?.config.task === 'multi-label';
  const ready = corpusId !== null && source !== null;

  const start = async () => {
    if (!ready || corpusId === null || source === null) return;
    await app.api.call('prediction.start', { corpusId, source, split: split === 'all' ? null : split, threshold, batchSize, maxLength: null, truncation: null, name: '' });
  };

  return (
    <StartCard
      namespace="prediction"
      ready={ready}
      start={start}
      left={
        <>
          <ClassifierSourcePicker ns="prediction" source={classifier} onGoToModels={() => props.go('models')} />
        </>
      }
      right={
        <>
          <Select
            data-testid="prediction-split"
            label={t('prediction.start.split')}
            data={(['all', 'train', 'dev', 'test'] as const).map((s) => ({ value: s, label: s === 'all' ? t('prediction.start.all') : t(`splits.${s}`) }))}
            value={split}
            allowDeselect={false}
            onChange={(v) => v && setSplit(v as typeof split)}
          />
          <Group grow align="flex-start">
            {multi && (
              <NumberInput
                data-testid="prediction-threshold"
                label={t('prediction.start.threshold')}
                description={t('prediction.start.thresholdHint')}
                value={threshold}
                min={0.01}
                max={0.99}
                step={0.05}
                decimalScale={2}
                onChange={(v) => setThreshold(typeof v === 'number' && v > 0 && v < 1 ? v : predictionDefaults.threshold)}
              />
            )}
            <NumberInput
              data-testid="prediction-batch-size"
              label={t('prediction.start.batchSize')}
              value={batchSize}
              min={1}
              max={4096}
              onChange={(v) => setBatchSize(typeof v === 'number' && v >= 1 ? Math.floor(v) : predictionDefaults.batchSize)}
            />
          </Group>
        </>
      }
    />
  );
}

function PredictionRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('prediction', props.runId);
  return (
    <RunPageShell
      kind="prediction"
      namespace="prediction.runs"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      parts={(detail) => ({
        subtitle: t('prediction.run.subtitle', {
          corpus: detail.corpusName,
          split: detail.config.split === null ? t('prediction.start.all') : t(`splits.${detail.config.split}`),
          model: detail.model.name,
          task: t(`prediction.run.task.${detail.task}`, { threshold: detail.threshold }),
        }),
        interrupted: t('prediction.run.checkpoint', { done: detail.done }),
        body: (
          <Stack gap="md">
            {detail.status === 'done' && <Evaluation detail={detail} />}
            {detail.done > 0 && <PredictedDocuments detail={detail} />}
          </Stack>
        ),
        record: {
          lead: <Fact label={t('prediction.columns.model')}>{`${detail.model.name} · ${detail.model.hash.slice(0, 12)}`}</Fact>,
          checkpoint: detail.checkpoint ? t('prediction.run.checkpoint', { done: detail.checkpoint.step }) : null,
        },
      })}
    />
  );
}

function Evaluation({ detail }: { detail: PredictionRunDetail }) {
  const { t } = useTranslation();
  const e = detail.evaluation;
  if (!e) {
    return (
      <Alert color="gray" variant="light" data-testid="prediction-no-gold">
        {t('prediction.run.noGold')}
      </Alert>
    );
  }
  const sep = t('common.listSeparator');
  return (
    <Stack gap="xs" data-testid="prediction-evaluation">
      {e.unseen.documents > 0 && (
        <Alert color="yellow" variant="light" data-testid="prediction-unseen">
          {t(detail.task === 'multi-label' ? 'prediction.run.unseenMulti' : 'prediction.run.unseenSingle', { count: e.unseen.documents, labels: e.unseen.labels.join(sep) })}
        </Alert>
      )}
      {e.withoutGold > 0 && (
        <Text size="sm" c="dimmed" data-testid="prediction-without-gold">
          {t('prediction.run.withoutGold', { count: e.withoutGold })}
        </Text>
      )}
      <TestMetricsCard test={e.metrics} labels={detail.labels} runId={detail.id} title={t('prediction.run.gold', { count: e.metrics.documents })} />
    </Stack>
  );
}

function PredictedDocuments({ detail }: { detail: PredictionRunDetail }) {
  const { t } = useTranslation();
  const app = useApp();
  const [label, setLabel] = useState<string | null>(null);
  const [sort, setSort] = useState<PredictionSort>('position');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [page, setPage] = useState<{ total: number; rows: PredictedDocument[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { id: runId, done } = detail;

  useEffect(() => {
    let live = true;
    app.api.call('prediction.documents', { runId, predicted: label, errorsOnly, sort, offset: 0, limit: shownRows }).then(
      (p) => live && setPage(p),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [app.api, runId, done, label, errorsOnly, sort]);

  const download = async () => {
    setError(null);
    try {
      const { csv } = await app.api.call('prediction.csv', { runId });
      downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `prediction-run-${runId}.csv`);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Card withBorder p="xs" data-testid="prediction-documents">
      <Group justify="space-between" align="flex-end" mb="xs">
        <Group align="flex-end" gap="sm">
          <Text fw={600}>{t('prediction.run.documents', { count: page?.total ?? 0 })}</Text>
          <Select
            data-testid="prediction-filter"
            label={t('prediction.run.predictedFilter')}
            placeholder={t('prediction.run.anyLabel')}
            data={detail.labels}
            value={label}
            clearable
            w={180}
            onChange={setLabel}
          />
          <Select
            data-testid="prediction-sort"
            label={t('prediction.run.sort')}
            data={predictionSorts.map((s) => ({ value: s, label: t(`prediction.run.sorts.${s}`) }))}
            value={sort}
            allowDeselect={false}
            w={200}
            onChange={(v) => v && setSort(v as PredictionSort)}
          />
          {detail.evaluation && <Checkbox data-testid="prediction-errors" label={t('prediction.run.errorsOnly')} checked={errorsOnly} onChange={(e) => setErrorsOnly(e.currentTarget.checked)} mb={6} />}
        </Group>
        <Button data-testid="prediction-csv" variant="light" onClick={() => void download()}>
          {t('prediction.run.csv')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
      <Table.ScrollContainer minWidth={640} mah={560}>
        <Table striped highlightOnHover fz="sm" data-testid="prediction-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('prediction.run.id')}</Table.Th>
              <Table.Th>{t('prediction.run.titleColumn')}</Table.Th>
              <Table.Th>{t('prediction.run.goldColumn')}</Table.Th>
              <Table.Th>{t('prediction.run.predicted')}</Table.Th>
              <Table.Th ta="right">
                <Tooltip label={t('prediction.run.confidenceHint')} multiline w={300}>
                  <span>{t('prediction.run.confidence')}</span>
                </Tooltip>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(page?.rows ?? []).map((r) => (
              <Table.Tr key={r.documentId} data-testid="prediction-row" data-document={r.documentId} style={{ cursor: 'pointer' }} onClick={() => app.openDocument({ documentId: r.documentId })}>
                <Table.Td>{r.documentId}</Table.Td>
                <Table.Td maw={260} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {r.title ?? r.snippet.slice(0, 40)}
                </Table.Td>
                <Table.Td>{r.gold.join(t('common.listSeparator'))}</Table.Td>
                <Table.Td c={r.correct === false ? 'red' : undefined}>{r.predicted.join(t('common.listSeparator'))}</Table.Td>
                <Table.Td ta="right">{formatScore(r.confidence)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {page && page.total > page.rows.length && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('prediction.run.more', { shown: page.rows.length, total: page.total })}
        </Text>
      )}
    </Card>
  );
}
