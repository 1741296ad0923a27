// The project's entity training runs: the runs table with the head, the encoder mode and the test scores.
import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EntityRunInfo } from '../../../../common/contract';
import { formatScore } from '../../format';
import { RunsHeader, RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';

export function EntityRunsList(props: { onNew(): void; onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const list = useRuns('entities', null);
  const details: RunColumn<EntityRunInfo>[] = [
    { key: 'model', header: t('entities.columns.model'), cell: (r) => r.model.name, maxWidth: 170, title: (r) => `${r.model.path}\n${r.model.hash}` },
    { key: 'head', header: t('entities.columns.head'), cell: (r) => t(`entities.headsShort.${r.config.head}`) },
    { key: 'encoder', header: t('entities.columns.encoder'), cell: (r) => t(`entities.encoders.${r.config.encoder}`) },
  ];
  const metrics: RunColumn<EntityRunInfo>[] = [
    { key: 'ner', header: t('entities.columns.ner'), align: 'right', testId: 'runs-ner-f1', cell: (r) => formatScore(r.test?.ner.micro.f1) },
    { key: 're', header: t('entities.columns.re'), align: 'right', cell: (r) => formatScore(r.test?.re.micro.f1) },
    { key: 'rePlus', header: t('entities.columns.rePlus'), align: 'right', cell: (r) => formatScore(r.test?.rePlus.micro.f1) },
  ];
  return (
    <Stack gap="md" data-testid="entities-runs-list">
      <RunsHeader namespace="entities.train" newTestId="entities-new" canStart={app.corpora.length > 0} onNew={props.onNew} />
      <RunsTable kind="entities" namespace="entities.train" runs={list} details={details} metrics={metrics} onOpen={props.onOpen} />
    </Stack>
  );
}
