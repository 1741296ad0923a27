// A run's status as a coloured badge, with what the status means on hover.
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RunStatus } from '../../../common/contract';

export const runStatusColor: Record<RunStatus, string> = {
  running: 'blue',
  interrupted: 'orange',
  done: 'teal',
  failed: 'red',
  cancelled: 'gray',
};

/** What resumeRun accepts: a run stopped before its end, by a crash, a cancel or an error (from its last checkpoint, if any). */
export function resumable(status: RunStatus): boolean {
  return status === 'interrupted' || status === 'cancelled' || status === 'failed';
}

export function RunStatusBadge({ status, testId }: { status: RunStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      data-testid={testId}
      data-status={status}
      variant="light"
      color={runStatusColor[status]}
      title={t(`runs.statusHints.${status}`)}
      // A table column may not squeeze it to its first letter.
      style={{ flexShrink: 0, minWidth: 'max-content' }}
    >
      {t(`runs.status.${status}`)}
    </Badge>
  );
}
