// One entity training run: live curves while it trains (the run's curves plus entities.progress
// events), then the dev and test scores (NER, RE, RE+ micro P/R/F1, per type and macro F1, as CSV
// or LaTeX), and the dev and test sentences of its corpus to open in the viewer. The header, job,
// notices and record's common facts are the run scaffold's (RunPageShell).
import { Button, Card, Code, Group, Menu, Pagination, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRow, EntityMetrics, EntityRunDetail } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { textBytes } from '../../charts/csv';
import { downloadBytes } from '../../charts/download';
import { formatScore } from '../../format';
import { applyProgress, useLastStep } from '../../runs/liveCurves';
import { ModelFact } from '../../runs/ModelFact';
import { RunPageShell } from '../../runs/RunPageShell';
import { useLiveRun } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';
import { entityEpochChart, entityStepChart, formatRate, metricsCsv, metricsLatex, metricsRows, tasks, type EntityCurves } from './entityCharts';
import { EntityExport } from './Extraction';

export function EntityRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void; onOpenSentence(documentId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const { runId } = props;
  const run = useLiveRun('entities', 'entities.progress', runId);
  const { detail, events: live, eventsVersion } = run;
  const curves = useMemo(() => (detail ? applyProgress(detail.curves, live.current) : null), [detail, eventsVersion]);
  const lastStep = useLastStep(run);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  const lrs = detail?.config.learningRates ?? [];

  return (
    <RunPageShell
      kind="entities"
      namespace="entities.train"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      progressNote={lastStep && ` · ${t('entities.run.where', { lr: formatRate(lrs[lastStep.learningRateIndex] ?? 0), index: lastStep.learningRateIndex + 1, count: lrs.length, epoch: lastStep.epoch })}`}
      parts={(d) => ({
        subtitle: t('entities.run.subtitle', {
          corpus: d.corpusName,
          model: d.model.name,
          head: t(`entities.heads.${d.config.head}`),
          encoder: t(`entities.encoders.${d.config.encoder}`),
          entities: d.schema.entityTypes.length,
          relations: d.schema.relationTypes.length,
        }),
        interrupted: d.checkpoint
          ? t('entities.run.interrupted', { step: d.checkpoint.step.toLocaleString(), at: new Date(d.checkpoint.savedAt).toLocaleString(locale) })
          : t('runs.interruptedNoCheckpoint'),
        body: (
          <>
            {curves && <Curves curves={curves} learningRates={lrs} runId={d.id} />}
            {d.status === 'done' && <Results run={d} />}
            {d.status === 'done' && <RunSentences run={d} onOpen={props.onOpenSentence} />}
            {d.status === 'done' && <EntityExport runId={d.id} title={t('entities.export.testTitle')} />}
          </>
        ),
        record: {
          lead: (
            <Fact breakAll label={t('entities.record.seed')}>
              {d.config.seed}
            </Fact>
          ),
          afterHash: <ModelFact label={t('entities.record.model')} model={d.model} />,
          middle: (
            <>
              <Fact breakAll label={t('entities.record.sentences')}>
                {t('entities.record.sentencesValue', { train: d.documents.train.toLocaleString(), validation: d.documents.validation.toLocaleString(), test: d.documents.test.toLocaleString() })}
              </Fact>
              <Fact breakAll label={t('entities.schema.entityTypes')}>
                {d.schema.entityTypes.join(t('common.listSeparator'))}
              </Fact>
              <Fact breakAll label={t('entities.schema.relationTypes')}>
                {d.schema.relationTypes.join(t('common.listSeparator'))}
              </Fact>
              {d.truncatedSentences > 0 && (
                <Fact label={t('entities.record.truncated')} testId="entities-truncated">
                  {t('entities.record.truncatedValue', { count: d.truncatedSentences, max: d.config.maxLength })}
                </Fact>
              )}
            </>
          ),
          checkpoint: d.checkpoint && t('entities.record.checkpointValue', { step: d.checkpoint.step.toLocaleString(), at: new Date(d.checkpoint.savedAt).toLocaleString(locale) }),
          footer: (
            <>
              <Code block mt="xs" data-testid="run-config" style={{ maxHeight: 260, overflow: 'auto' }}>
                {JSON.stringify(d.config, null, 2)}
              </Code>
              <Text size="xs" c="dimmed" mt="xs">
                {t('entities.record.rerunNote')} <Code>{`shirabe ner-train <project> --config run-${d.id}-config.json`}</Code>
              </Text>
            </>
          ),
        },
      })}
    />
  );
}

function Curves(props: { curves: EntityCurves; learningRates: number[]; runId: number }) {
  const { t } = useTranslation();
  const { curves, learningRates } = props;
  const steps = useMemo(() => entityStepChart(curves, learningRates, { step: t('entities.charts.step'), loss: t('entities.charts.loss') }), [curves, learningRates, t]);
  const epochs = useMemo(
    () =>
      entityEpochChart(curves, learningRates, {
        epoch: t('entities.charts.epoch'),
        f1: t('entities.charts.f1'),
        scores: { nerF1: t('entities.tasks.ner'), reF1: t('entities.tasks.re'), rePlusF1: t('entities.tasks.rePlus') },
      }),
    [curves, learningRates, t],
  );
  const empty = curves.steps.length === 0 && curves.epochs.length === 0;
  return (
    <Card withBorder data-testid="run-curves" data-steps={curves.steps.length} data-epochs={curves.epochs.length}>
      <Text fw={600} mb="xs">
        {t('entities.charts.title')}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed" data-testid="run-no-curves">
          {t('entities.charts.empty')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Chart testId="chart-entities-loss" title={t('entities.charts.trainLoss')} fileName={`entities-run-${props.runId}-loss`} option={steps.option} csv={steps.csv} height={300} />
          <Chart
            testId="chart-entities-dev"
            exportTestId="chart-entities-dev-export"
            title={t('entities.charts.devScores')}
            fileName={`entities-run-${props.runId}-dev-f1`}
            option={epochs.option}
            csv={epochs.csv}
            height={300}
          />
        </SimpleGrid>
      )}
    </Card>
  );
}

function Results({ run }: { run: EntityRunDetail }) {
  const { t } = useTranslation();
  const [which, setWhich] = useState<'test' | 'dev'>(run.test ? 'test' : 'dev');
  const metrics = which === 'test' ? run.test : run.dev;
  return (
    <Card withBorder data-testid="entities-results">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('entities.results.title')}</Text>
        <SegmentedControl
          data-testid="entities-results-split"
          size="xs"
          value={which}
          onChange={(v) => setWhich(v as 'test' | 'dev')}
          data={[
            { value: 'test', label: t('entities.results.test') },
            { value: 'dev', label: t('entities.results.dev') },
          ]}
        />
      </Group>
      {run.best && (
        <Text size="sm" mb="xs" data-testid="entities-best">
          {t('entities.results.best', { lr: formatRate(run.best.learningRate), epoch: run.best.epoch, f1: formatScore(run.best.devF1) })}
        </Text>
      )}
      {metrics ? (
        <MetricsTables metrics={metrics} fileName={`entities-run-${run.id}-${which}`} caption={t(which === 'test' ? 'entities.results.captionTest' : 'entities.results.captionDev', { name: run.name })} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('entities.results.none')}
        </Text>
      )}
    </Card>
  );
}

export function MetricsTables({ metrics, fileName, caption }: { metrics: EntityMetrics; fileName: string; caption: string }) {
  const { t } = useTranslation();
  const taskNames = { ner: t('entities.tasks.ner'), re: t('entities.tasks.re'), rePlus: t('entities.tasks.rePlus') };
  const rows = metricsRows(metrics, taskNames, { micro: t('entities.results.micro'), macro: t('entities.results.macro') });
  const save = (kind: 'csv' | 'latex') => {
    if (kind === 'csv') downloadBytes(textBytes(metricsCsv(rows)), `${fileName}.csv`, 'text/csv;charset=utf-8');
    else {
      const headings = { task: t('entities.results.task'), type: t('entities.results.type'), precision: t('entities.results.precision'), recall: t('entities.results.recall'), f1: t('entities.results.f1') };
      // LaTeX is read by TeX, not Excel: plain UTF-8, no BOM.
      downloadBytes(new TextEncoder().encode(metricsLatex(rows, headings, caption)), `${fileName}.tex`, 'application/x-tex;charset=utf-8');
    }
  };
  return (
    <Stack gap="sm" data-testid="entities-metrics">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('entities.results.sentences', { count: metrics.sentences })}
        </Text>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-xs" variant="default" data-testid="entities-metrics-export">
              {t('entities.results.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item data-testid="entities-metrics-export-csv" onClick={() => save('csv')}>
              {t('entities.results.csv')}
            </Menu.Item>
            <Menu.Item data-testid="entities-metrics-export-latex" onClick={() => save('latex')}>
              {t('entities.results.latex')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {tasks.map((task) => (
          <Fact key={task} label={t('entities.results.microF1', { task: taskNames[task] })} testId={`entities-f1-${task}`}>
            <Text size="xl" fw={700} component="span">
              {formatScore(metrics[task].micro.f1)}
            </Text>
            <Text size="xs" c="dimmed">
              {t('entities.results.prMacro', { p: formatScore(metrics[task].micro.precision), r: formatScore(metrics[task].micro.recall), macro: formatScore(metrics[task].macro.f1) })}
            </Text>
          </Fact>
        ))}
      </SimpleGrid>
      <ScrollArea.Autosize mah={480} type="auto">
        <Table fz="sm" withTableBorder striped data-testid="entities-per-type">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('entities.results.task')}</Table.Th>
              <Table.Th>{t('entities.results.type')}</Table.Th>
              <Table.Th ta="right">{t('entities.results.precision')}</Table.Th>
              <Table.Th ta="right">{t('entities.results.recall')}</Table.Th>
              <Table.Th ta="right">{t('entities.results.f1')}</Table.Th>
              <Table.Th ta="right">TP</Table.Th>
              <Table.Th ta="right">FP</Table.Th>
              <Table.Th ta="right">FN</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr key={i} fw={r[1] === t('entities.results.micro') || r[1] === t('entities.results.macro') ? 600 : undefined}>
                <Table.Td>{r[0]}</Table.Td>
                <Table.Td>{r[1]}</Table.Td>
                {[2, 3, 4].map((k) => (
                  <Table.Td key={k} ta="right">
                    {formatScore(r[k] as number)}
                  </Table.Td>
                ))}
                {[5, 6, 7].map((k) => (
                  <Table.Td key={k} ta="right">
                    {r[k] === '' ? '' : r[k].toLocaleString()}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
}

const pageSize = 20;

/** The test and dev sentences of the run's corpus, each opening the viewer with the run's predictions. */
function RunSentences({ run, onOpen }: { run: EntityRunDetail; onOpen(documentId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [split, setSplit] = useState<'test' | 'dev'>('test');
  const [page, setPage] = useState(1);
  const [answer, setAnswer] = useState<{ total: number; rows: DocumentRow[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useLiveEffect((isLive) => {
    setError(null);
    app.api.call('corpus.documents', { corpusId: run.corpusId, query: '', label: null, split, offset: (page - 1) * pageSize, limit: pageSize }).then(
      (a) => isLive() && setAnswer(a),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, run.corpusId, split, page]);
  return (
    <Card withBorder data-testid="entities-sentences">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('entities.sentences.title')}</Text>
        <SegmentedControl
          size="xs"
          value={split}
          onChange={(v) => {
            setSplit(v as 'test' | 'dev');
            setPage(1);
          }}
          data={[
            { value: 'test', label: t('entities.results.test') },
            { value: 'dev', label: t('entities.results.dev') },
          ]}
        />
      </Group>
      <ErrorAlert error={error} />
      {answer && answer.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('entities.sentences.none')}
        </Text>
      ) : (
        <Stack gap={4}>
          {(answer?.rows ?? []).map((d) => (
            <Text key={d.id} size="sm" data-testid="entities-sentence-row" style={{ cursor: 'pointer' }} onClick={() => onOpen(d.id)} c="blue" lineClamp={1} title={t('entities.sentences.open')}>
              {d.title ? `${d.title} · ` : ''}
              {d.snippet.text}
            </Text>
          ))}
          {answer && answer.total > pageSize && <Pagination size="sm" total={Math.ceil(answer.total / pageSize)} value={page} onChange={setPage} mt="xs" />}
        </Stack>
      )}
    </Card>
  );
}
