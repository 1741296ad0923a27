import { Badge, Button, Progress, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../common/contract';
import { useTranslation } from 'react-i18next';
import { percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { jobEtaText, statusColor } from '../../ui/JobBar';

type JobLine = Pick<JobRecord, 'kind' | 'title' | 'status' | 'error'>;

/** A job's kind, title and status: the first cells of a session row and of a history row alike. */
function JobCells({ job }: { job: JobLine }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`jobs.kind.${job.kind}`)}</Table.Td>
      <Table.Td>{job.title}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={statusColor[job.status]}>
          {t(`jobs.status.${job.status}`)}
        </Badge>
      </Table.Td>
    </>
  );
}

/** Why a job failed (nothing for a cancelled one: its status says it). */
function JobMessage({ job }: { job: JobLine }) {
  const app = useApp();
  return (
    <Table.Td>
      {job.error && job.status !== 'cancelled' && (
        <Text size="xs" c="red" style={{ whiteSpace: 'pre-wrap' }}>
          {app.message(job.error)}
        </Text>
      )}
    </Table.Td>
  );
}

/** Every job of this session (jobs.list), kept current by 'job.update'; below, the project's earlier jobs (jobs.history). */
export function JobsView() {
  const { t } = useTranslation();
  const app = useApp();
  const [history, setHistory] = useState<JobRecord[]>([]);

  useEffect(() => {
    void app.refreshJobs();
  }, [app.refreshJobs]);

  const projectPath = app.project?.path ?? null;
  useLiveEffect((isLive) => {
    if (projectPath === null) setHistory([]);
    else
      app.api
        .call('jobs.history', {})
        .then((h) => isLive() && setHistory(h))
        .catch(() => isLive() && setHistory([]));
  }, [app.api, projectPath]);
  const session = new Set(app.jobs.map((j) => j.id));
  const earlier = history.filter((j) => !session.has(j.id));

  const jobs = [...app.jobs].reverse();
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  return (
    <Stack gap="md" pb="md" data-testid="jobs-view">
      <div>
        <Title order={3}>{t('jobsView.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('jobsView.intro')}
        </Text>
      </div>
      {jobs.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('jobsView.empty')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('jobsView.columns.kind')}</Table.Th>
                <Table.Th>{t('jobsView.columns.title')}</Table.Th>
                <Table.Th>{t('jobsView.columns.status')}</Table.Th>
                <Table.Th w={220}>{t('jobsView.columns.progress')}</Table.Th>
                <Table.Th>{t('jobsView.columns.started')}</Table.Th>
                <Table.Th>{t('jobsView.columns.time')}</Table.Th>
                <Table.Th>{t('jobsView.columns.message')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.map((job) => {
                const percent = job.status === 'done' ? 100 : percentOf(job.done, job.total);
                const active = job.status === 'running' || job.status === 'queued';
                const seconds = job.startedAt !== null ? ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000 : null;
                const eta = jobEtaText(job, t);
                return (
                  <Table.Tr key={job.id} data-testid="jobs-row" data-status={job.status} data-kind={job.kind}>
                    <JobCells job={job} />
                    <Table.Td>
                      <Progress value={percent} color={statusColor[job.status]} animated={job.status === 'running'} />
                      <Text size="xs" c="dimmed">
                        {t(eta ? 'jobsView.progressEta' : 'jobsView.progress', {
                          done: job.done.toLocaleString(),
                          total: job.total.toLocaleString(),
                          unit: t(`jobsView.units.${job.unit}`),
                          percent,
                          eta,
                        })}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{job.startedAt !== null ? new Date(job.startedAt).toLocaleTimeString(locale) : '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{seconds !== null ? t('jobsView.seconds', { seconds: seconds.toFixed(1) }) : '—'}</Table.Td>
                    <JobMessage job={job} />
                    <Table.Td>
                      {active && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="red"
                          onClick={() => app.api.call('jobs.cancel', { jobId: job.id }).catch(() => undefined)}
                        >
                          {t('jobs.cancel')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {projectPath !== null && (
        <div>
          <Title order={4}>{t('jobsView.history')}</Title>
          <Text size="sm" c="dimmed">
            {t('jobsView.historyIntro')}
          </Text>
        </div>
      )}
      {projectPath !== null &&
        (earlier.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('jobsView.historyEmpty')}
          </Text>
        ) : (
          <ScrollArea type="auto">
            <Table striped withTableBorder fz="sm" data-testid="jobs-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobsView.columns.kind')}</Table.Th>
                  <Table.Th>{t('jobsView.columns.title')}</Table.Th>
                  <Table.Th>{t('jobsView.columns.status')}</Table.Th>
                  <Table.Th>{t('jobsView.columns.started')}</Table.Th>
                  <Table.Th>{t('jobsView.finished')}</Table.Th>
                  <Table.Th>{t('jobsView.columns.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {earlier.map((job) => (
                  <Table.Tr key={job.id} data-testid="jobs-history-row" data-status={job.status} data-kind={job.kind}>
                    <JobCells job={job} />
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{job.startedAt !== null ? new Date(job.startedAt).toLocaleString(locale) : '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{job.finishedAt !== null ? new Date(job.finishedAt).toLocaleString(locale) : '—'}</Table.Td>
                    <JobMessage job={job} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        ))}
    </Stack>
  );
}
