// One pretraining run: its job (progress, ETA, cancel), the loss curves growing live (training
// batches per step, held-out text before training and after each epoch), the held-out losses per
// mask seed, the model folder it wrote, and the record that makes it reproducible.
import { Alert, Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldOutLossInfo, JobInfo, PretrainRunDetail } from '../../../common/contract';
import { Chart } from '../charts/Chart';
import { applyPretrainProgress, pretrainLossChart } from '../charts/pretrainCharts';
import { formatEta, percentOf } from '../format';
import { useApp } from '../state/AppContext';
import { useLiveEvents } from '../state/liveEvents';
import { runJobOf } from '../state/trainJobs';
import { ErrorAlert } from './ErrorAlert';
import { Fact } from './Fact';
import { CancelJobButton } from './JobBar';
import { resumable, RunStatusBadge } from './TrainShared';

export function PretrainRunPage(props: { runId: number; onBack(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const { runId } = props;
  const [detail, setDetail] = useState<PretrainRunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  const { events: live, version: liveVersion } = useLiveEvents(app.api, 'pretrain.progress', runId);

  const job = runJobOf('pretrain', runId, app.jobs);
  const jobState = job ? `${job.id}:${job.status}` : '';
  useEffect(() => {
    let isLive = true;
    app.api.call('pretrain.run', { runId }).then(
      (d) => isLive && (setDetail(d), setError(null)),
      (err: unknown) => isLive && setError(err),
    );
    return () => {
      isLive = false;
    };
  }, [app.api, runId, reload, jobState]);

  const jobActive = job !== null && (job.status === 'queued' || job.status === 'running');
  const elsewhere = detail?.status === 'running' && !jobActive;
  useEffect(() => {
    if (!elsewhere) return;
    const id = setInterval(() => setReload((r) => r + 1), 4000);
    return () => clearInterval(id);
  }, [elsewhere]);

  // liveVersion says when live.current has grown.
  const points = useMemo(() => (detail ? applyPretrainProgress(detail.points, live.current) : []), [detail, liveVersion]);
  const chartText = useMemo(
    () => ({
      step: t('pretrain.run.step'),
      loss: t('pretrain.run.loss'),
      epoch: t('pretrain.run.epoch'),
      training: t('pretrain.run.training'),
      heldOut: t('pretrain.run.heldOut'),
      learningRate: t('pretrain.run.learningRate'),
      kind: t('pretrain.run.kind'),
    }),
    [t],
  );
  const chart = useMemo(() => pretrainLossChart(points, chartText), [points, chartText]);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  const resume = async () => {
    try {
      await app.api.call('pretrain.resume', { runId });
      setReload((r) => r + 1);
    } catch (err) {
      setError(err);
    }
  };

  if (!detail) return <ErrorAlert error={error} />;
  const steps = points.filter((p) => p.kind === 'step');
  const evals = points.filter((p) => p.kind === 'eval');
  const status = jobActive ? 'running' : detail.status;
  return (
    <Stack gap="md" data-testid="pretrain-run" data-status={status}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Anchor component="button" size="sm" onClick={props.onBack} data-testid="pretrain-run-back">
            ← {t('pretrain.run.back')}
          </Anchor>
          <Title order={3} data-testid="pretrain-run-name">
            {detail.name}
          </Title>
          <RunStatusBadge status={status} testId="pretrain-run-status" />
          <Badge variant="outline" color="gray" tt="none">
            {t(`pretrain.modes.${detail.config.mode}`)}
          </Badge>
        </Group>
        {!jobActive && resumable(detail.status) && (
          <Button variant="light" data-testid="pretrain-run-resume" onClick={() => void resume()}>
            {t('pretrain.resume')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={error ?? detail.error} />
      {elsewhere && <Alert color="blue" variant="light">{t('pretrain.run.elsewhere')}</Alert>}
      {job && jobActive && <JobPanel job={job} />}

      <Card withBorder data-testid="pretrain-curves" data-steps={steps.length} data-evals={evals.length}>
        <Text fw={600} mb="xs">
          {t('pretrain.run.curves')}
        </Text>
        {points.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('pretrain.run.noCurves')}
          </Text>
        ) : (
          <Chart testId="chart-pretrain-loss" option={chart.option} csv={chart.csv} fileName={`pretrain-${runId}-loss`} exportTestId="pretrain-export" height={320} />
        )}
      </Card>

      {(detail.initialLoss || detail.finalLoss) && (
        <Card withBorder data-testid="pretrain-losses">
          <Text fw={600}>{t('pretrain.run.losses')}</Text>
          <Text size="xs" c="dimmed" mb="xs">
            {t('pretrain.run.lossesNote', { seeds: detail.config.evalSeeds, uniform: detail.output ? Math.log(detail.output.vocabSize).toFixed(3) : '—' })}
          </Text>
          <Table fz="sm" withTableBorder maw={720}>
            <Table.Tbody>
              <LossRow label={t('pretrain.run.initial')} loss={detail.initialLoss} perSeed={t('pretrain.run.perSeed')} testId="pretrain-initial-loss" />
              <LossRow label={t('pretrain.run.final')} loss={detail.finalLoss} perSeed={t('pretrain.run.perSeed')} testId="pretrain-final-loss" />
            </Table.Tbody>
          </Table>
        </Card>
      )}

      <Card withBorder data-testid="pretrain-record">
        <Text fw={600} mb="xs">
          {t('pretrain.run.record')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} spacing="sm" verticalSpacing="xs">
          <Fact breakAll label={t('pretrain.run.output')} testId="pretrain-output-path">
            <Text size="xs" ff="monospace">
              {detail.output?.path ?? detail.config.outputDir}
            </Text>
            {detail.output && <AddToModels path={detail.output.path} />}
          </Fact>
          {detail.base && (
            <Fact breakAll label={t('pretrain.run.base')}>
              {detail.base.name}
              <Text size="xs" c="dimmed" ff="monospace">
                {detail.base.hash}
              </Text>
            </Fact>
          )}
          <Fact breakAll label={t('pretrain.run.dataHash')}>
            <Text size="xs" ff="monospace">
              {detail.dataHash}
            </Text>
          </Fact>
          <Fact label={t('pretrain.run.sequences')}>{t('pretrain.run.sequencesValue', { train: detail.sequences.train.toLocaleString(locale), heldOut: detail.sequences.heldOut.toLocaleString(locale) })}</Fact>
          <Fact label={t('pretrain.run.backend')}>{detail.backend ?? '—'}</Fact>
          <Fact label={t('pretrain.run.versions')}>
            <Group gap={4}>
              {Object.entries(detail.versions).map(([k, v]) => (
                <Badge key={k} variant="outline" color="gray" tt="none" size="sm">
                  {k} {v}
                </Badge>
              ))}
            </Group>
          </Fact>
          <Fact label={t('pretrain.run.created')}>{new Date(detail.createdAt).toLocaleString(locale)}</Fact>
          <Fact label={t('pretrain.run.finished')}>{detail.finishedAt ? new Date(detail.finishedAt).toLocaleString(locale) : '—'}</Fact>
          {detail.checkpoint && (
            <Fact label={t('pretrain.run.checkpoint')}>{t('pretrain.run.checkpointValue', { step: detail.checkpoint.step.toLocaleString(locale), at: new Date(detail.checkpoint.savedAt).toLocaleString(locale) })}</Fact>
          )}
        </SimpleGrid>
        <Text component="pre" size="xs" ff="monospace" mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {JSON.stringify(detail.config, null, 2)}
        </Text>
      </Card>
    </Stack>
  );
}

function LossRow({ label, loss, perSeed, testId }: { label: string; loss: HeldOutLossInfo | null; perSeed: string; testId: string }) {
  return (
    <Table.Tr data-testid={testId}>
      <Table.Td c="dimmed" w="30%">
        {label}
      </Table.Td>
      <Table.Td fw={600}>{loss ? loss.loss.toFixed(4) : '—'}</Table.Td>
      <Table.Td c="dimmed">{loss ? `${perSeed}: ${loss.perSeed.map((x) => x.toFixed(4)).join(' / ')}` : ''}</Table.Td>
    </Table.Tr>
  );
}

function JobPanel({ job }: { job: JobInfo }) {
  const { t } = useTranslation();
  const app = useApp();
  const eta = job.status === 'running' ? formatEta(job.etaSeconds) : null;
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  return (
    <Card withBorder data-testid="pretrain-job" data-status={job.status}>
      <Group wrap="nowrap" gap="md">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="sm" data-testid="pretrain-job-progress">
            {job.status === 'queued'
              ? t('train.run.queued')
              : job.total === 0
                ? t('pretrain.run.preparing')
                : t('train.run.progress', { done: Math.floor(job.done).toLocaleString(locale), total: job.total.toLocaleString(locale), percent: percentOf(job.done, job.total) })}
            {eta && ` · ${t('jobs.eta', { eta })}`}
          </Text>
          <Progress value={percentOf(job.done, job.total)} animated />
        </Stack>
        <CancelJobButton jobId={job.id} testId="pretrain-cancel" />
      </Group>
    </Card>
  );
}

/** Puts the written model on the Models page, so it can be fine-tuned, embedded with or compared. */
function AddToModels({ path }: { path: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const [done, setDone] = useState(app.settings.models.includes(path));
  const [error, setError] = useState<unknown>(null);
  if (done) return <Text size="xs" c="dimmed">{t('pretrain.run.added')}</Text>;
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        mt={4}
        data-testid="pretrain-add-model"
        onClick={() =>
          app.api.call('models.add', { path }).then(
            () => {
              setDone(true);
              void app.refreshSettings();
            },
            setError,
          )
        }
      >
        {t('pretrain.run.openModels')}
      </Button>
      <ErrorAlert error={error} />
    </>
  );
}
