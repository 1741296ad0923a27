// The Training view: the project's fine-tuning runs, the wizard and one run's page. Which of them
// is shown is the workflow's state, kept by the app, so leaving the view and coming back keeps the
// run or the half-filled wizard.
import { Button, Group, Select, Stack, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunInfo } from '../../../../common/contract';
import { formatScore } from '../../format';
import { RunsHeader, RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import type { WorkflowPageProps } from '../types';
import { TrainCompare } from './TrainCompare';
import { formatLearningRate } from './trainConfig';
import { TrainRunPage } from './TrainRunPage';
import { TrainWizard, type WizardDraft } from './TrainWizard';

export type TrainingScreen = { kind: 'runs' } | { kind: 'new'; draft: WizardDraft | null } | { kind: 'run'; runId: number };

export function TrainingPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<TrainingScreen>) {
  if (screen.kind === 'new') {
    return (
      <TrainWizard
        draft={screen.draft}
        onDraft={(draft) => onScreen({ kind: 'new', draft })}
        onCancel={() => onScreen({ kind: 'runs' })}
        onStarted={(runId) => onScreen({ kind: 'run', runId })}
        onGoToModels={() => go('models')}
      />
    );
  }
  if (screen.kind === 'run') {
    // Keyed by run: another run's page starts afresh (no curves or events of the one before).
    return <TrainRunPage key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs' })} onOpenRun={(runId) => onScreen({ kind: 'run', runId })} />;
  }
  return <RunsList onNew={() => onScreen({ kind: 'new', draft: null })} onOpen={(runId) => onScreen({ kind: 'run', runId })} />;
}

function RunsList(props: { onNew(): void; onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [corpusFilter, setCorpusFilter] = useState<string>('all');
  const list = useRuns('train', corpusFilter === 'all' ? null : Number(corpusFilter));
  const { runs } = list;
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const [comparing, setComparing] = useState(false);
  // Runs no longer listed (deleted, or in another corpus) are not compared.
  const selected = useMemo(() => new Set([...picked].filter((id) => runs?.some((r) => r.id === id))), [picked, runs]);
  const chosen = useMemo(() => (runs ?? []).filter((r) => selected.has(r.id)), [runs, selected]);
  const toggle = (id: number) =>
    setPicked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const selection = { selected, toggle, label: (r: TrainRunInfo) => t('train.select', { name: r.name }) };

  const details: RunColumn<TrainRunInfo>[] = [
    { key: 'model', header: t('train.columns.model'), cell: (r) => r.model.name, maxWidth: 170, title: (r) => `${r.model.path}\n${r.model.hash}` },
    { key: 'method', header: t('train.columns.method'), cell: (r) => t(`train.methodsShort.${r.config.method}`), title: (r) => t(`train.methods.${r.config.method}`) },
    { key: 'task', header: t('train.columns.task'), cell: (r) => t(`train.tasksShort.${r.config.task === 'single-label' ? 'single' : 'multi'}`) },
  ];
  const metrics: RunColumn<TrainRunInfo>[] = [
    { key: 'best', header: t('train.columns.best'), cell: (r) => (r.best ? t('train.bestValue', { lr: formatLearningRate(r.best.learningRate), epoch: r.best.epoch }) : '—') },
    { key: 'macroF1', header: t('train.columns.macroF1'), align: 'right', testId: 'runs-macro-f1', cell: (r) => formatScore(r.test?.macro.f1) },
    { key: 'accuracy', header: t('train.columns.accuracy'), align: 'right', cell: (r) => formatScore(r.test?.accuracy) },
  ];

  return (
    <Stack gap="md" pb="md" data-testid="training-view">
      <RunsHeader namespace="train" newTestId="train-new" canStart={app.corpora.length > 0} onNew={props.onNew} />
      <Group align="flex-end" justify="space-between">
        <Select
          data-testid="train-runs-corpus"
          label={t('corpus.label')}
          data={[{ value: 'all', label: t('corpus.all') }, ...app.corpora.map((c) => ({ value: String(c.id), label: c.name }))]}
          value={corpusFilter}
          allowDeselect={false}
          onChange={(v) => v && setCorpusFilter(v)}
          w={260}
        />
        <Tooltip label={t('train.compareHint')}>
          <Button data-testid="train-compare" variant="light" disabled={chosen.length < 2} onClick={() => setComparing(true)}>
            {t('train.compare', { count: chosen.length })}
          </Button>
        </Tooltip>
      </Group>
      <RunsTable kind="train" namespace="train" runs={list} details={details} metrics={metrics} selection={selection} onOpen={props.onOpen} />
      <TrainCompare opened={comparing} runs={chosen} onClose={() => setComparing(false)} />
    </Stack>
  );
}
