// One run's page, the parts every kind of run has: the way back to the list, the name and status,
// what the run is (the workflow's subtitle), resume and delete, the live job (progress, ETA,
// cancel), the notices for a run running elsewhere, stopped, failed or cancelled, then the
// workflow's own body (curves, results) and the record that makes the run reproducible (data hash,
// backend, versions, times, checkpoint, re-run).
import { Alert, Badge, Button, Card, Group, Loader, Progress, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobInfo, RunKind, RunMemory, RunStatus } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';
import { formatEta, percentOf } from '../format';
import { useApp } from '../state/AppContext';
import { ErrorAlert } from '../ui/ErrorAlert';
import { Fact } from '../ui/Fact';
import { CancelJobButton, jobEtaText } from '../ui/JobBar';
import { memoryText } from '../ui/memory';
import { ConfirmDelete } from './RunsTable';
import { runCapabilities, type RunDetailOf } from './runsApi';
import { resumable, RunStatusBadge } from './RunStatusBadge';
import { useRunsApi, type Run } from './useRuns';

/** What the shell reads of every kind of run. */
interface RunBasics {
  id: number;
  name: string;
  status: RunStatus;
  dataHash: string;
  backend: string | null;
  versions: Record<string, string>;
  createdAt: string;
  finishedAt: string | null;
  seconds: number | null;
  checkpoint: { step: number; savedAt: string } | null;
  error: ErrorInfo | null;
  memory?: RunMemory | null;
}

/** The workflow's parts of the page, made from the run's detail once it has come. */
export interface RunPageParts {
  /** Under the name: what the run is. */
  subtitle?: ReactNode;
  /** Beside the status. */
  badges?: ReactNode;
  /** Said when the run stopped before its end, instead of the step of its last checkpoint. */
  interrupted?: ReactNode;
  /** Curves, results, exports. */
  body: ReactNode;
  record: {
    /** Facts before the data hash (what was trained from, the seed)… */
    lead?: ReactNode;
    /** …right after it (the model, the sequences)… */
    afterHash?: ReactNode;
    /** …after the backend and versions (documents, labels). */
    middle?: ReactNode;
    /** The last checkpoint in the workflow's words; null: none. */
    checkpoint: ReactNode | null;
    /** Under the facts: the config. */
    footer?: ReactNode;
  };
}

export interface RunPageShellProps<K extends RunKind> {
  kind: K;
  /** The workflow's i18n namespace, with run.back (the way back to the list) and deleteConfirm ({{name}}: what deleting the run removes). */
  namespace: string;
  run: Run<K>;
  onBack(): void;
  /** Shows another run's page (a re-run's). */
  onOpenRun?(runId: number): void;
  /** After the job's step count: where in the run it is. */
  progressNote?: ReactNode;
  /** While the job does not know its step count yet. */
  preparing?: string;
  parts(detail: RunDetailOf<K>): RunPageParts;
}

export function RunPageShell<K extends RunKind>(props: RunPageShellProps<K>) {
  const { t } = useTranslation();
  const app = useApp();
  const api = useRunsApi();
  const { kind, namespace: ns, run } = props;
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState(false);

  const back = (
    <Button variant="subtle" size="compact-sm" onClick={props.onBack} data-testid="run-back">
      {t(`${ns}.run.back`)}
    </Button>
  );
  if (!run.detail) {
    return (
      <Stack gap="md" pb="md" data-testid="run-view" data-kind={kind}>
        <Group>{back}</Group>
        {run.error ? <ErrorAlert error={run.error} /> : <Loader size="sm" />}
      </Stack>
    );
  }

  const detail: RunDetailOf<K> = run.detail;
  const basics: RunBasics = detail;
  const parts = props.parts(detail);
  const stopped = !run.jobActive;
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  const act = async (what: 'resume' | 'rerun' | 'delete') => {
    setBusy(true);
    setActionError(null);
    try {
      if (what === 'resume') {
        await api.resumeRun(kind, basics.id);
        run.reload();
      } else if (what === 'rerun') {
        const { runId } = await api.rerunRun(kind, basics.id);
        props.onOpenRun?.(runId);
      } else {
        await api.deleteRun(kind, basics.id);
        props.onBack();
      }
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md" pb="md" data-testid="run-view" data-kind={kind} data-run={basics.id} data-status={run.status ?? undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap="xs">{back}</Group>
          <Group gap="sm">
            <Title order={3} data-testid="run-name">
              {basics.name}
            </Title>
            <RunStatusBadge status={run.status ?? basics.status} testId="run-status" />
            {parts.badges}
          </Group>
          {parts.subtitle && (
            <Text size="sm" c="dimmed">
              {parts.subtitle}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {resumable(basics.status) && stopped && (
            <Tooltip label={t('runs.resumeHint')}>
              <Button data-testid="run-resume" color="orange" loading={busy} onClick={() => void act('resume')}>
                {t('runs.resume')}
              </Button>
            </Tooltip>
          )}
          {stopped && basics.status !== 'running' && (
            <Button data-testid="run-delete" variant="subtle" color="red" disabled={busy} onClick={() => setDeleting(true)}>
              {t('runs.delete')}
            </Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={actionError} />
      <ErrorAlert error={run.error} />

      {run.job && run.jobActive && <RunJobPanel job={run.job} note={props.progressNote} preparing={props.preparing} />}
      {run.elsewhere && (
        <Alert color="blue" variant="light" data-testid="run-elsewhere">
          {t('runs.elsewhere')}
        </Alert>
      )}
      {basics.status === 'interrupted' && stopped && (
        <Alert color="orange" variant="light" data-testid="run-interrupted">
          {parts.interrupted ??
            (basics.checkpoint
              ? t('runs.interrupted', { step: basics.checkpoint.step.toLocaleString(locale), at: new Date(basics.checkpoint.savedAt).toLocaleString(locale) })
              : t('runs.interruptedNoCheckpoint'))}
        </Alert>
      )}
      {(basics.status === 'failed' || basics.status === 'cancelled') && stopped && (
        <Alert color={basics.status === 'failed' ? 'red' : 'gray'} variant="light" data-testid="run-ended">
          {basics.status === 'failed' ? t('runs.failed', { message: basics.error ? app.message(basics.error) : '—' }) : t('runs.cancelled')}
        </Alert>
      )}

      {parts.body}

      <RunRecord kind={kind} run={basics} parts={parts.record} busy={busy} onRerun={() => void act('rerun')} />
      <ConfirmDelete
        text={deleting ? t(`${ns}.deleteConfirm`, { name: basics.name }) : null}
        onCancel={() => setDeleting(false)}
        onConfirm={() => {
          setDeleting(false);
          void act('delete');
        }}
      />
    </Stack>
  );
}

/** The run's job while it is queued or running: how far, where, how long still, and cancel. */
function RunJobPanel({ job, note, preparing }: { job: JobInfo; note?: ReactNode; preparing?: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const eta = jobEtaText(job, t);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  return (
    <Card withBorder data-testid="run-job" data-status={job.status}>
      <Group wrap="nowrap" gap="md">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="sm" data-testid="run-job-progress">
            {job.status === 'queued'
              ? t('runs.job.queued')
              : job.total === 0
                ? (preparing ?? t('runs.job.preparing'))
                : t('runs.job.progress', { done: Math.floor(job.done).toLocaleString(locale), total: job.total.toLocaleString(locale), percent: percentOf(job.done, job.total) })}
            {note}
            {eta && ` · ${t('jobs.eta', { eta })}`}
          </Text>
          <Progress value={percentOf(job.done, job.total)} animated />
        </Stack>
        <CancelJobButton jobId={job.id} testId="run-cancel" />
      </Group>
    </Card>
  );
}

/** What makes the run reproducible: the workflow's facts around the data hash, backend, versions, times and checkpoint. */
function RunRecord({ kind, run, parts, busy, onRerun }: { kind: RunKind; run: RunBasics; parts: RunPageParts['record']; busy: boolean; onRerun(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  return (
    <Card withBorder data-testid="run-record">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('runs.record.title')}</Text>
        {runCapabilities(kind).rerun && (
          <Tooltip label={t('runs.rerunHint')}>
            <Button data-testid="run-rerun" variant="light" loading={busy} disabled={run.status === 'running'} onClick={onRerun}>
              {t('runs.rerun')}
            </Button>
          </Tooltip>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} spacing="sm" verticalSpacing="xs" mb={parts.footer ? 'md' : undefined}>
        {parts.lead}
        <Fact breakAll label={t('runs.record.dataHash')} testId="run-data-hash">
          <Text size="xs" ff="monospace">
            {run.dataHash}
          </Text>
        </Fact>
        {parts.afterHash}
        <Fact breakAll label={t('runs.record.backend')}>{run.backend ?? '—'}</Fact>
        <Fact breakAll label={t('runs.record.versions')}>
          <Group gap={4}>
            {Object.entries(run.versions).map(([k, v]) => (
              <Badge key={k} variant="outline" color="gray" tt="none" size="sm">
                {k} {v}
              </Badge>
            ))}
          </Group>
        </Fact>
        {run.memory && (
          <Fact breakAll label={t('runs.record.memory')} testId="run-memory">
            {t('runs.record.memoryValue', { tensors: memoryText(run.memory.peakTensorBytes, t), rss: memoryText(run.memory.rssBytes, t) })}
          </Fact>
        )}
        {parts.middle}
        <Fact breakAll label={t('runs.record.created')}>{new Date(run.createdAt).toLocaleString(locale)}</Fact>
        <Fact breakAll label={t('runs.record.finished')}>
          {run.finishedAt ? new Date(run.finishedAt).toLocaleString(locale) : '—'}
          {run.seconds !== null && (
            <Text size="xs" c="dimmed">
              {t('runs.record.duration', { time: formatEta(run.seconds) ?? '—' })}
            </Text>
          )}
        </Fact>
        {parts.checkpoint !== null && <Fact breakAll label={t('runs.record.checkpoint')}>{parts.checkpoint}</Fact>}
      </SimpleGrid>
      {parts.footer}
    </Card>
  );
}
