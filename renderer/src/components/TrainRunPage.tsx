// One fine-tuning run: live curves while it trains (train.run's curves plus train.progress
// events), its job with ETA and cancel, then the outcome (best learning rate and epoch, test
// metrics, confusion matrix), the test and validation predictions, the export and the record.
import { Alert, Badge, Button, Card, Code, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo, TrainProgress, TrainRunDetail } from '../../../common/contract';
import { Chart } from '../charts/Chart';
import { applyProgress, epochChart, stepLossChart, type EpochChartText, type EpochMetric } from '../charts/trainCharts';
import { formatEta, percentOf } from '../format';
import { useApp } from '../state/AppContext';
import { useLiveEvents } from '../state/liveEvents';
import { runJobOf } from '../state/trainJobs';
import { formatLearningRate } from '../trainConfig';
import { ErrorAlert } from './ErrorAlert';
import { CancelJobButton } from './JobBar';
import { TrainErrors } from './TrainErrors';
import { TrainExport } from './TrainExport';
import { TrainResults } from './TrainResults';
import { ConfigJson, ConfigSummary, resumable, RunStatusBadge, useConfigText } from './TrainShared';
import { Fact } from './Fact';

export function TrainRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const { runId } = props;
  const [detail, setDetail] = useState<TrainRunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  // Every live event of this run since the page opened; folded into the fetched curves.
  const { events: live, version: liveVersion } = useLiveEvents(app.api, 'train.progress', runId);

  const job = runJobOf('train', runId, app.jobs);
  const jobState = job ? `${job.id}:${job.status}` : '';

  useEffect(() => {
    let isLive = true;
    app.api.call('train.run', { runId }).then(
      (d) => {
        if (!isLive) return;
        setDetail(d);
        setError(null);
      },
      (err: unknown) => isLive && setError(err),
    );
    return () => {
      isLive = false;
    };
  }, [app.api, runId, reload, jobState]);

  // Running without a job this session knows (started in another window or by the CLI): look again now and then.
  const jobActive = job !== null && (job.status === 'queued' || job.status === 'running');
  const orphanRunning = detail?.status === 'running' && !jobActive;
  useEffect(() => {
    if (!orphanRunning) return;
    const id = setInterval(() => setReload((r) => r + 1), 4000);
    return () => clearInterval(id);
  }, [orphanRunning]);

  // liveVersion says when live.current has grown.
  const curves = useMemo(() => (detail ? applyProgress(detail.curves, live.current) : null), [detail, liveVersion]);
  const lastStep = useMemo(() => {
    for (let i = live.current.length - 1; i >= 0; i--) if (live.current[i].kind === 'step') return live.current[i];
    return null;
  }, [liveVersion]);

  const act = async (what: 'resume' | 'rerun') => {
    setBusy(true);
    setActionError(null);
    try {
      if (what === 'resume') {
        await app.api.call('train.resume', { runId });
        setReload((r) => r + 1);
      } else {
        const { runId: next } = await app.api.call('train.rerun', { runId });
        props.onOpenRun(next);
      }
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };

  const text = useConfigText(detail ? { corpusName: detail.corpusName, modelName: detail.model.name } : undefined);

  if (!detail) {
    return (
      <Stack gap="md" pb="md" data-testid="run-view">
        <Group>
          <Button variant="subtle" onClick={props.onBack} data-testid="run-back">
            {t('train.run.back')}
          </Button>
        </Group>
        {error ? <ErrorAlert error={error} /> : <Loader size="sm" />}
      </Stack>
    );
  }

  const status = jobActive ? 'running' : detail.status;
  const lrs = detail.config.learningRates;
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  return (
    <Stack gap="md" pb="md" data-testid="run-view" data-run={detail.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Button variant="subtle" size="compact-sm" onClick={props.onBack} data-testid="run-back">
              {t('train.run.back')}
            </Button>
          </Group>
          <Group gap="sm">
            <Title order={3} data-testid="run-name">
              {detail.name}
            </Title>
            <RunStatusBadge status={status} testId="run-status" />
          </Group>
          <Text size="sm" c="dimmed">
            {t('train.run.subtitle', {
              corpus: detail.corpusName,
              model: detail.model.name,
              method: t(`train.methods.${detail.config.method}`),
              task: t(`train.tasks.${detail.config.task === 'single-label' ? 'single' : 'multi'}`),
              labels: detail.labels.length,
            })}
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {resumable(detail.status) && !jobActive && (
            <Tooltip label={t('train.resumeHint')}>
              <Button data-testid="run-resume" color="orange" loading={busy} onClick={() => void act('resume')}>
                {t('train.resume')}
              </Button>
            </Tooltip>
          )}
        </Group>
      </Group>
      <ErrorAlert error={actionError} />
      <ErrorAlert error={error} />

      {job && jobActive && <JobPanel job={job} learningRates={lrs} last={lastStep} />}
      {orphanRunning && (
        <Alert color="blue" variant="light" data-testid="run-elsewhere">
          {t('train.run.elsewhere')}
        </Alert>
      )}
      {detail.status === 'interrupted' && !jobActive && (
        <Alert color="orange" variant="light" data-testid="run-interrupted">
          {detail.checkpoint
            ? t('train.run.interrupted', {
                lr: formatLearningRate(lrs[detail.checkpoint.learningRateIndex] ?? 0),
                index: detail.checkpoint.learningRateIndex + 1,
                count: lrs.length,
                step: detail.checkpoint.step.toLocaleString(),
                at: new Date(detail.checkpoint.savedAt).toLocaleString(locale),
              })
            : t('train.run.interruptedNoCheckpoint')}
        </Alert>
      )}
      {(detail.status === 'failed' || detail.status === 'cancelled') && !jobActive && (
        <Alert color={detail.status === 'failed' ? 'red' : 'gray'} variant="light" data-testid="run-ended">
          {detail.status === 'failed' ? t('train.run.failed', { message: detail.error ? app.message(detail.error) : '—' }) : t('train.run.cancelled')}
        </Alert>
      )}

      {curves && <Curves curves={curves} learningRates={lrs} best={detail.best} runId={detail.id} />}

      {detail.status === 'done' && detail.test && <TrainResults run={detail} curves={curves ?? detail.curves} />}
      {detail.status === 'done' && <TrainErrors run={detail} />}
      {detail.status === 'done' && <TrainExport run={detail} />}

      <Record run={detail} text={text} busy={busy} onRerun={() => void act('rerun')} />
    </Stack>
  );
}

function JobPanel({ job, learningRates, last }: { job: JobInfo; learningRates: number[]; last: TrainProgress | null }) {
  const { t } = useTranslation();
  const app = useApp();
  const eta = job.status === 'running' ? formatEta(job.etaSeconds) : null;
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  return (
    <Card withBorder data-testid="run-job" data-status={job.status}>
      <Group wrap="nowrap" gap="md">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="sm" data-testid="run-job-progress">
            {job.status === 'queued'
              ? t('train.run.queued')
              : t('train.run.progress', {
                  done: Math.floor(job.done).toLocaleString(locale),
                  total: job.total.toLocaleString(locale),
                  percent: percentOf(job.done, job.total),
                })}
            {last &&
              ` · ${t('train.run.where', {
                lr: formatLearningRate(learningRates[last.learningRateIndex] ?? 0),
                index: last.learningRateIndex + 1,
                count: learningRates.length,
                epoch: last.epoch,
              })}`}
            {eta && ` · ${t('jobs.eta', { eta })}`}
          </Text>
          <Progress value={percentOf(job.done, job.total)} animated />
        </Stack>
        <CancelJobButton jobId={job.id} testId="run-cancel" />
      </Group>
    </Card>
  );
}

const scoreMetrics = ['validationMacroF1', 'validationAccuracy', 'validationMicroF1'] as const;

function Curves(props: { curves: TrainRunDetail['curves']; learningRates: number[]; best: TrainRunDetail['best']; runId: number }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<(typeof scoreMetrics)[number]>('validationMacroF1');
  const { curves, learningRates, best } = props;
  const stepText = useMemo(
    () => ({
      step: t('train.charts.step'),
      loss: t('train.charts.loss'),
      epoch: t('train.charts.epoch'),
      learningRate: t('train.charts.learningRate'),
      scheduledLearningRate: t('train.charts.scheduledLearningRate'),
    }),
    [t],
  );
  const epochText: EpochChartText = useMemo(
    () => ({
      epoch: t('train.charts.epoch'),
      learningRate: t('train.charts.learningRate'),
      seconds: t('train.charts.seconds'),
      best: t('train.charts.best'),
      metrics: {
        validationLoss: t('train.charts.metrics.validationLoss'),
        validationMacroF1: t('train.charts.metrics.validationMacroF1'),
        validationAccuracy: t('train.charts.metrics.validationAccuracy'),
        validationMicroF1: t('train.charts.metrics.validationMicroF1'),
        trainLoss: t('train.charts.metrics.trainLoss'),
      },
    }),
    [t],
  );
  const steps = useMemo(() => stepLossChart(curves, learningRates, stepText), [curves, learningRates, stepText]);
  const validation = useMemo(() => epochChart(curves, learningRates, 'validationLoss', epochText, best), [curves, learningRates, epochText, best]);
  const scores = useMemo(() => epochChart(curves, learningRates, score as EpochMetric, epochText, best), [curves, learningRates, score, epochText, best]);
  const empty = curves.steps.length === 0 && curves.epochs.length === 0;

  return (
    // The point counts let the end-to-end test see the curves grow while the run goes on.
    <Card withBorder data-testid="run-curves" data-steps={curves.steps.length} data-epochs={curves.epochs.length}>
      <Text fw={600} mb="xs">
        {t('train.charts.title')}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed" data-testid="run-no-curves">
          {t('train.charts.empty')}
        </Text>
      ) : (
        <Stack gap="md">
          <Chart
            testId="chart-train-loss"
            title={t('train.charts.trainLoss')}
            fileName={`run-${props.runId}-train-loss`}
            option={steps.option}
            csv={steps.csv}
            height={300}
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Chart
              testId="chart-val"
              title={t('train.charts.validationLoss')}
              fileName={`run-${props.runId}-validation-loss`}
              option={validation.option}
              csv={validation.csv}
              exportTestId="chart-val-export"
              height={300}
            />
            <Stack gap={4}>
              <SegmentedControl
                data-testid="chart-val-metric"
                size="xs"
                value={score}
                onChange={(v) => setScore(v as (typeof scoreMetrics)[number])}
                data={scoreMetrics.map((m) => ({ value: m, label: t(`train.charts.metrics.${m}`) }))}
              />
              <Chart
                testId="chart-val-scores"
                title={t('train.charts.validationScores')}
                fileName={`run-${props.runId}-${score}`}
                option={scores.option}
                csv={scores.csv}
                exportTestId="chart-val-scores-export"
                height={270}
              />
            </Stack>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('train.charts.note')}
          </Text>
        </Stack>
      )}
    </Card>
  );
}

/** What makes the run reproducible: config, seed, data and model hashes, backend and versions. */
function Record({ run, text, busy, onRerun }: { run: TrainRunDetail; text: ReturnType<typeof useConfigText>; busy: boolean; onRerun(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  return (
    <Card withBorder data-testid="run-record">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('train.record.title')}</Text>
        <Tooltip label={t('train.rerunHint')}>
          <Button data-testid="run-rerun" variant="light" loading={busy} disabled={run.status === 'running'} onClick={onRerun}>
            {t('train.rerun')}
          </Button>
        </Tooltip>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} spacing="sm" verticalSpacing="xs" mb="md">
        <Fact breakAll label={t('train.record.seed')}>{run.config.seed}</Fact>
        <Fact breakAll label={t('train.record.dataHash')} testId="run-data-hash">
          <Text size="xs" ff="monospace">
            {run.dataHash}
          </Text>
        </Fact>
        <Fact breakAll label={t('train.record.model')}>
          {run.model.name} ({run.model.modelType})
          <Text size="xs" c="dimmed">
            {run.model.path}
          </Text>
          <Text size="xs" ff="monospace">
            {run.model.hash}
          </Text>
        </Fact>
        <Fact breakAll label={t('train.record.backend')}>{run.backend ?? '—'}</Fact>
        <Fact breakAll label={t('train.record.versions')}>
          <Group gap={4}>
            {Object.entries(run.versions).map(([k, v]) => (
              <Badge key={k} variant="outline" color="gray" tt="none" size="sm">
                {k} {v}
              </Badge>
            ))}
          </Group>
        </Fact>
        <Fact breakAll label={t('train.record.documents')}>
          {t('train.estimate.documentsValue', {
            train: run.documents.train.toLocaleString(),
            validation: run.documents.validation.toLocaleString(),
            test: run.documents.test.toLocaleString(),
          })}
        </Fact>
        <Fact breakAll label={t('train.record.labels', { count: run.labels.length })}>{run.labels.join(t('common.listSeparator'))}</Fact>
        <Fact breakAll label={t('train.record.created')}>{new Date(run.createdAt).toLocaleString(locale)}</Fact>
        <Fact breakAll label={t('train.record.finished')}>
          {run.finishedAt ? new Date(run.finishedAt).toLocaleString(locale) : '—'}
          {run.seconds !== null && (
            <Text size="xs" c="dimmed">
              {t('train.record.duration', { time: formatEta(run.seconds) ?? '—' })}
            </Text>
          )}
        </Fact>
        {run.checkpoint && (
          <Fact breakAll label={t('train.record.checkpoint')}>
            {t('train.record.checkpointValue', {
              lr: formatLearningRate(run.config.learningRates[run.checkpoint.learningRateIndex] ?? 0),
              step: run.checkpoint.step.toLocaleString(),
              at: new Date(run.checkpoint.savedAt).toLocaleString(locale),
            })}
          </Fact>
        )}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ConfigSummary config={run.config} text={text} testId="run-config" />
        <ConfigJson config={run.config} fileName={`run-${run.id}-config`} />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('train.record.rerunNote')} <Code>{`shirabe train --config run-${run.id}-config.json`}</Code>
      </Text>
    </Card>
  );
}
