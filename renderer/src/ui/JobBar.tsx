import { Button, Group, Paper, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo } from '../../../common/contract';
import type { Language } from '../../../common/messages';
import { formatEtaRange, formatMegabytes, percentOf } from '../format';
import { useApp } from '../state/AppContext';

export const statusColor: Record<JobInfo['status'], string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

/** How far a job is, as a researcher reads it: "1,234 / 7,367 documents" (bytes as MB); null before it knows its total. */
export function jobCounts(job: JobInfo, t: TFunction, language: Language): string | null {
  if (job.total <= 0) return null;
  const done = job.status === 'done' ? job.total : Math.min(job.done, job.total);
  if (job.unit === 'bytes') return t('jobs.counts', { done: formatMegabytes(done), total: formatMegabytes(job.total), unit: t('jobs.units.bytes') });
  const locale = language === 'ja' ? 'ja-JP' : 'en-GB';
  // The compute worker counts tokenizing as half a document: show whole documents (and steps).
  return t('jobs.counts', { done: Math.floor(done).toLocaleString(locale), total: job.total.toLocaleString(locale), unit: t(`jobs.units.${job.unit}`) });
}

/**
 * The remaining time as the job measured it (eta.ts in main): a range ("3:10–4:20") while the rate
 * is uncertain, one value once it is known; null when the job is not running or has no estimate.
 */
export function jobEtaText(job: JobInfo, t: TFunction): string | null {
  if (job.status !== 'running') return null;
  const eta = formatEtaRange(job.eta, job.etaSeconds);
  return Array.isArray(eta) ? t('jobs.etaRange', { low: eta[0], high: eta[1] }) : eta;
}

/** Always at the bottom of the window: every job with its progress, ETA and cancel button. */
export function JobBar(props: { onShowAll?(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = () => document.documentElement.style.setProperty('--job-bar-height', `${el.offsetHeight}px`);
    set();
    const observer = new ResizeObserver(set);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  // Newest first; finished jobs stay listed (until cleared) so their outcome can be read.
  const jobs = [...app.jobs].reverse().filter((j) => !hidden.has(j.id));
  const finished = jobs.filter((j) => j.status !== 'running' && j.status !== 'queued');
  const clearFinished = () => setHidden((h) => new Set([...h, ...finished.map((j) => j.id)]));

  return (
    <Paper
      ref={ref}
      data-testid="job-bar"
      withBorder
      radius={0}
      px="md"
      py={6}
      style={{ position: 'fixed', left: 0, right: 0, bottom: 0, zIndex: 150 }}
    >
      {jobs.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('jobs.none')}
        </Text>
      ) : (
        <Group align="flex-start" wrap="nowrap" gap="sm">
          <ScrollArea.Autosize mah={120} style={{ flex: 1 }}>
            <Stack gap={4}>
              {jobs.map((job) => (
                <JobItem key={job.id} job={job} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
          <Group gap={4} wrap="nowrap">
            {props.onShowAll && (
              <Button data-testid="job-show-all" size="compact-xs" variant="subtle" onClick={props.onShowAll}>
                {t('jobs.showAll')}
              </Button>
            )}
            {finished.length > 0 && (
              <Button data-testid="job-clear" size="compact-xs" variant="subtle" onClick={clearFinished}>
                {t('jobs.clear')}
              </Button>
            )}
          </Group>
        </Group>
      )}
    </Paper>
  );
}

function JobItem({ job }: { job: JobInfo }) {
  const { t } = useTranslation();
  const app = useApp();
  const percent = job.status === 'done' ? 100 : percentOf(job.done, job.total);
  const eta = jobEtaText(job, t);
  const active = job.status === 'running' || job.status === 'queued';
  const counts = jobCounts(job, t, app.language);
  return (
    <Group data-testid="job-item" data-status={job.status} data-kind={job.kind} data-done={job.done} data-total={job.total} gap="sm" wrap="nowrap">
      <Text size="sm" fw={500} w={280} truncate>
        {t('jobs.title', { kind: t(`jobs.kind.${job.kind}`), title: job.title })}
      </Text>
      <Progress value={percent} color={statusColor[job.status]} animated={job.status === 'running'} style={{ flex: 1, minWidth: 80 }} />
      <Text data-testid="job-progress" size="xs" w={150} ta="right" style={{ whiteSpace: 'nowrap' }}>
        {counts}
      </Text>
      <Text size="xs" w={40} ta="right">
        {t('jobs.percent', { percent })}
      </Text>
      {eta ? (
        <Text data-testid="job-eta" size="xs" c="dimmed" w={110}>
          {t('jobs.eta', { eta })}
        </Text>
      ) : (
        <Text data-testid="job-status" size="xs" c={job.status === 'cancelled' || job.status === 'failed' ? statusColor[job.status] : 'dimmed'} w={110}>
          {t(`jobs.status.${job.status}`)}
        </Text>
      )}
      <Group w={300} gap="xs" wrap="nowrap" justify="flex-end">
        {job.status === 'failed' && job.error && (
          <Text size="xs" c="red" truncate title={app.message(job.error)} style={{ flex: 1 }} ta="right">
            {app.message(job.error)}
          </Text>
        )}
        {active && <CancelJobButton jobId={job.id} testId="job-cancel" size="compact-xs" />}
      </Group>
    </Group>
  );
}

/** Cancels a queued or running job (the job bar, the Embeddings tab and a training run all offer it). */
export function CancelJobButton({ jobId, testId, size = 'compact-sm' }: { jobId: string; testId: string; size?: 'compact-xs' | 'compact-sm' }) {
  const app = useApp();
  const { t } = useTranslation();
  return (
    <Button data-testid={testId} size={size} variant="light" color="red" onClick={() => app.api.call('jobs.cancel', { jobId }).catch(() => undefined)}>
      {t('jobs.cancel')}
    </Button>
  );
}
