import { Alert, Button, Group, Progress, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmbeddingRunInfo, JobInfo } from '../../../../common/contract';
import { percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { EmbedModal } from './EmbedModal';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { CancelJobButton, jobCounts, jobEtaText } from '../../ui/JobBar';

const truncationKey = { head: 'head', 'head+tail': 'headTail' } as const;

/** "Embed corpus…" and the embedding runs of the selected corpus. */
export function EmbeddingsTab(props: { onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [open, setOpen] = useState(false);
  const [runs, setRuns] = useState<EmbeddingRunInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The embedding job started here last, shown above the runs until it is done or dismissed. */
  const [started, setStarted] = useState<{ jobId: string; corpusId: number } | null>(null);
  const corpusId = app.corpusId;
  const job = started && started.corpusId === corpusId ? (app.jobs.find((j) => j.id === started.jobId) ?? null) : null;
  const corpus = app.corpora.find((c) => c.id === corpusId);
  // Reload when an embedding job of this session finishes.
  const finished = app.jobs.filter((j) => j.kind === 'embed' && j.status === 'done').length;

  useLiveEffect((isLive) => {
    setError(null);
    if (corpusId === null) {
      setRuns(null);
      return;
    }
    app.api.call('embed.runs', { corpusId }).then(
      (r) => isLive() && setRuns(r),
      (err: unknown) => {
        if (!isLive()) return;
        setRuns(null);
        setError(err);
      },
    );
  }, [app.api, corpusId, finished]);

  return (
    <Stack gap="md" pb="md" data-testid="embeddings-view">
      <Group align="flex-end">
        <CorpusSelect />
        <Button data-testid="embed-open" disabled={!corpus} onClick={() => setOpen(true)}>
          {t('embed.open')}
        </Button>
      </Group>
      {!corpus && (
        <Text size="sm" c="dimmed">
          {t('documents.noCorpus')}
        </Text>
      )}
      <ErrorAlert error={error} />
      {job && <EmbedJobStatus job={job} onDismiss={() => setStarted(null)} />}
      {corpus && (
        <Stack gap="xs">
          <Text fw={600}>{t('embed.runs')}</Text>
          {runs && runs.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="embed-no-runs">
              {t('embed.noRuns')}
            </Text>
          ) : (
            <ScrollArea type="auto">
              <Table data-testid="embed-runs" striped withTableBorder fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <Table.Thead>
                  <Table.Tr>
                    {(['model', 'pooling', 'layer', 'maxLength', 'truncation', 'dimensions', 'documents', 'truncated', 'backend', 'seconds', 'created'] as const).map((c) => (
                      <Table.Th key={c}>{t(`embed.columns.${c}`)}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(runs ?? []).map((r) => (
                    <Table.Tr key={r.id} data-testid="embed-runs-row">
                      <Table.Td data-testid="embed-run-model" title={`${r.model.path}\n${r.model.hash}`}>
                        {r.model.name}
                      </Table.Td>
                      <Table.Td>{t(`embed.poolings.${r.pooling}`)}</Table.Td>
                      <Table.Td>{r.layer}</Table.Td>
                      <Table.Td>{r.maxLength.toLocaleString()}</Table.Td>
                      <Table.Td>{t(`embed.truncations.${truncationKey[r.truncation]}`)}</Table.Td>
                      <Table.Td data-testid="embed-run-dimensions">{r.dimensions.toLocaleString()}</Table.Td>
                      <Table.Td data-testid="embed-run-documents">{r.documents.toLocaleString()}</Table.Td>
                      <Table.Td data-testid="embed-run-truncated">{r.truncatedDocuments.toLocaleString()}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'normal', minWidth: 160 }}>{r.backend}</Table.Td>
                      <Table.Td>{t('embed.secondsValue', { seconds: r.seconds.toFixed(1) })}</Table.Td>
                      <Table.Td>{new Date(r.createdAt).toLocaleString(app.language === 'ja' ? 'ja-JP' : 'en-GB')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      )}
      {corpus && (
        <EmbedModal
          opened={open}
          corpusId={corpus.id}
          corpusName={corpus.name}
          onClose={() => setOpen(false)}
          onGoToModels={props.onGoToModels}
          onStarted={(jobId) => setStarted({ jobId, corpusId: corpus.id })}
        />
      )}
    </Stack>
  );
}

/** The embedding job started from this tab: its progress and a cancel button while it runs, then why it ended if no run came of it. */
function EmbedJobStatus({ job, onDismiss }: { job: JobInfo; onDismiss(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  if (job.status === 'done') return null;
  if (job.status === 'cancelled' || job.status === 'failed') {
    return (
      <Alert data-testid="embed-job" data-status={job.status} color={job.status === 'failed' ? 'red' : 'gray'} variant="light" withCloseButton closeButtonLabel={t('common.close')} onClose={onDismiss}>
        <Text size="sm">{job.status === 'cancelled' ? t('embed.jobCancelled') : t('embed.jobFailed', { message: app.message(job.error) })}</Text>
      </Alert>
    );
  }
  const counts = jobCounts(job, t, app.language);
  const eta = jobEtaText(job, t);
  return (
    <Alert data-testid="embed-job" data-status={job.status} color="blue" variant="light">
      <Group wrap="nowrap" gap="md">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="sm" data-testid="embed-job-progress">
            {counts ? t('embed.jobRunning', { progress: eta ? `${counts} · ${t('jobs.eta', { eta })}` : counts }) : t('embed.jobWaiting')}
          </Text>
          <Progress value={percentOf(job.done, job.total)} animated />
        </Stack>
        <CancelJobButton jobId={job.id} testId="embed-job-cancel" />
      </Group>
    </Alert>
  );
}
