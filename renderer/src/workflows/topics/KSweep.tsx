// "Sweep k…" in the clustering form: k-means for every k of a range (topics.sweep, a job), its
// progress while it runs, then the elbow of the inertia and the silhouette over k with the
// suggested k (the highest silhouette) marked, and "Use k = N" to put a k into the form.
import { Alert, Button, Group, NumberInput, Paper, Progress, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isJobOf, kSweepDefaults, type VectorMetric } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { CancelJobButton, jobCounts, jobEtaText } from '../../ui/JobBar';
import { sweepCharts } from './kSweepCharts';

export interface KSweepProps {
  embeddingRunId: number | null;
  metric: VectorMetric;
  seed: number;
  /** The clustering form's restarts: where the sweep's start. */
  restarts: number;
  onChoose(k: number): void;
}

const whole = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : fallback);

export function KSweep(props: KSweepProps) {
  const { t } = useTranslation();
  const app = useApp();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(kSweepDefaults.from);
  const [to, setTo] = useState(kSweepDefaults.to);
  const [restarts, setRestarts] = useState(props.restarts);
  const [jobId, setJobId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<number | null>(null);

  const job = jobId === null ? null : (app.jobs.find((j) => j.id === jobId) ?? null);
  // The result of the sweep started here, while it is of the embedding run chosen above.
  const result = job && isJobOf(job, 'sweep') && job.status === 'done' && job.result?.embeddingRunId === props.embeddingRunId ? job.result : null;
  const charts = useMemo(
    () =>
      result &&
      sweepCharts(result, {
        k: t('topics.sweep.k'),
        inertia: t('topics.sweep.inertiaAxis'),
        silhouette: t('topics.sweep.silhouetteAxis'),
        nmi: t('topics.sweep.nmi'),
        ari: t('topics.sweep.ari'),
        suggested: t('topics.sweep.suggestedMark'),
      }),
    [result, t],
  );
  const chosen = result ? (picked !== null && result.points.some((p) => p.k === picked) ? picked : (result.suggested ?? result.points[0]?.k ?? null)) : null;

  const start = async () => {
    if (props.embeddingRunId === null) return;
    setBusy(true);
    setError(null);
    setPicked(null);
    try {
      const started = await app.api.call('topics.sweep', { embeddingRunId: props.embeddingRunId, from, to, restarts, metric: props.metric, reduce: null, seed: props.seed });
      setJobId(started.jobId);
      await app.refreshJobs();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Group>
        <Button data-testid="sweep-open" size="compact-sm" variant="light" onClick={() => setOpen(true)}>
          {t('topics.sweep.open')}
        </Button>
      </Group>
    );
  }
  const active = job !== null && (job.status === 'queued' || job.status === 'running');
  const counts = job ? jobCounts(job, t, app.language) : null;
  const eta = job ? jobEtaText(job, t) : null;
  const fileBase = result ? `k-sweep-embedding-${result.embeddingRunId}` : 'k-sweep';

  return (
    <Paper withBorder p="sm" data-testid="sweep">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {t('topics.sweep.title')}
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen(false)}>
            {t('common.close')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('topics.sweep.note')}
        </Text>
        <Group grow align="flex-end">
          <NumberInput data-testid="sweep-from" label={t('topics.sweep.from')} value={from} min={2} max={1000} onChange={(v) => setFrom(whole(v, kSweepDefaults.from))} />
          <NumberInput data-testid="sweep-to" label={t('topics.sweep.to')} value={to} min={2} max={1100} onChange={(v) => setTo(whole(v, kSweepDefaults.to))} />
          <NumberInput data-testid="sweep-restarts" label={t('topics.sweep.restarts')} value={restarts} min={1} max={100} onChange={(v) => setRestarts(whole(v, props.restarts))} />
          <Button data-testid="sweep-start" disabled={props.embeddingRunId === null || busy || active} loading={busy} onClick={() => void start()}>
            {t('topics.sweep.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {job && active && (
          <Group data-testid="sweep-job" data-status={job.status} wrap="nowrap" gap="md">
            <Stack gap={4} style={{ flex: 1 }}>
              <Text size="sm" data-testid="sweep-progress">
                {counts ? t('topics.sweep.running', { progress: eta ? `${counts} · ${t('jobs.eta', { eta })}` : counts }) : t('topics.sweep.waiting')}
              </Text>
              <Progress value={percentOf(job.done, job.total)} animated />
            </Stack>
            <CancelJobButton jobId={job.id} testId="sweep-cancel" />
          </Group>
        )}
        {job && (job.status === 'cancelled' || job.status === 'failed') && (
          <Alert data-testid="sweep-job" data-status={job.status} color={job.status === 'failed' ? 'red' : 'gray'} variant="light">
            <Text size="sm">{job.status === 'cancelled' ? t('topics.sweep.cancelled') : t('topics.sweep.failed', { message: app.message(job.error) })}</Text>
          </Alert>
        )}
        {result && charts && (
          <Stack gap="xs" data-testid="sweep-result" data-suggested={result.suggested ?? ''}>
            <SimpleGrid cols={{ base: 1, xl: 2 }}>
              <Chart testId="chart-sweep-inertia" exportTestId="chart-sweep-inertia-export" title={t('topics.sweep.inertia')} fileName={`${fileBase}-inertia`} option={charts.inertia.option} csv={charts.inertia.csv} height={240} />
              <Chart
                testId="chart-sweep-silhouette"
                exportTestId="chart-sweep-silhouette-export"
                title={t('topics.sweep.silhouette')}
                fileName={`${fileBase}-silhouette`}
                option={charts.silhouette.option}
                csv={charts.silhouette.csv}
                height={240}
              />
            </SimpleGrid>
            <Text size="sm" data-testid="sweep-suggested">
              {result.suggested === null ? t('topics.sweep.noSuggestion') : t('topics.sweep.suggested', { k: result.suggested })} {t('topics.sweep.seconds', { seconds: result.seconds.toFixed(1) })}
            </Text>
            {chosen !== null && (
              <Group align="flex-end">
                <Select
                  data-testid="sweep-choose"
                  label={t('topics.sweep.choose')}
                  data={result.points.map((p) => ({ value: String(p.k), label: `${p.k}${p.k === result.suggested ? ' ★' : ''}` }))}
                  value={String(chosen)}
                  allowDeselect={false}
                  onChange={(v) => v && setPicked(Number(v))}
                  w={110}
                />
                <Button data-testid="sweep-use" variant="light" onClick={() => props.onChoose(chosen)}>
                  {t('topics.sweep.use', { k: chosen })}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
