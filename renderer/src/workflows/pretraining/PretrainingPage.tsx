// The Pretraining view: the project's domain-pretraining runs, the wizard, one run's page, and the
// masked-LM loss comparison of models. Which screen is shown is the workflow's state, kept by the
// app, so leaving the view and coming back keeps the run or the half-filled wizard.
import { Stack, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PretrainRunInfo } from '../../../../common/contract';
import { RunsHeader, RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRuns } from '../../runs/useRuns';
import type { WorkflowPageProps } from '../types';
import { MlmComparison } from './MlmComparison';
import { PretrainRunPage } from './PretrainRunPage';
import { PretrainWizard, type PretrainDraft } from './PretrainWizard';

export type PretrainingScreen = { kind: 'runs'; tab: 'runs' | 'mlm' } | { kind: 'new'; draft: PretrainDraft | null } | { kind: 'run'; runId: number };

export function PretrainingPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<PretrainingScreen>) {
  const { t } = useTranslation();
  if (screen.kind === 'new') {
    return (
      <PretrainWizard
        draft={screen.draft}
        onDraft={(draft) => onScreen({ kind: 'new', draft })}
        onCancel={() => onScreen({ kind: 'runs', tab: 'runs' })}
        onStarted={(runId) => onScreen({ kind: 'run', runId })}
        onGoToModels={() => go('models')}
      />
    );
  }
  if (screen.kind === 'run') return <PretrainRunPage key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs', tab: 'runs' })} />;
  return (
    <Stack gap="md" data-testid="pretrain-view">
      <RunsHeader namespace="pretrain" newTestId="pretrain-new" canStart onNew={() => onScreen({ kind: 'new', draft: null })} />
      <Tabs value={screen.tab} onChange={(v) => v && onScreen({ kind: 'runs', tab: v as 'runs' | 'mlm' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="runs" data-testid="pretrain-tab-runs">
            {t('pretrain.tabs.runs')}
          </Tabs.Tab>
          <Tabs.Tab value="mlm" data-testid="pretrain-tab-mlm">
            {t('pretrain.tabs.mlm')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="runs" pt="md">
          <RunsList onOpen={(runId) => onScreen({ kind: 'run', runId })} />
        </Tabs.Panel>
        <Tabs.Panel value="mlm" pt="md">
          <MlmComparison />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function RunsList(props: { onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const list = useRuns('pretrain', null);
  const details: RunColumn<PretrainRunInfo>[] = [{ key: 'mode', header: t('pretrain.columns.mode'), cell: (r) => t(`pretrain.modes.${r.config.mode}`) }];
  const metrics: RunColumn<PretrainRunInfo>[] = [
    {
      key: 'loss',
      header: t('pretrain.columns.loss'),
      testId: 'pretrain-runs-loss',
      cell: (r) => (r.initialLoss && r.finalLoss ? t('pretrain.lossChange', { from: r.initialLoss.loss.toFixed(3), to: r.finalLoss.loss.toFixed(3) }) : '—'),
    },
    {
      key: 'output',
      header: t('pretrain.columns.output'),
      wrap: true,
      cell: (r) => (
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {r.config.outputDir}
        </Text>
      ),
    },
  ];
  return <RunsTable kind="pretrain" namespace="pretrain" runs={list} details={details} metrics={metrics} onOpen={props.onOpen} />;
}
