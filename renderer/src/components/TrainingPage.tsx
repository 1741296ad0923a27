// The Training view: the runs of the project, the fine-tuning wizard and one run's page. Which
// of them is shown lives in the workbench (App.tsx), so leaving the view and coming back keeps
// the run or the half-filled wizard.
import { Anchor, Button, Checkbox, Group, ScrollArea, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunInfo } from '../../../common/contract';
import { formatScore } from '../format';
import { useApp } from '../state/AppContext';
import { useLiveEffect } from '../state/useLiveEffect';
import { formatLearningRate } from '../trainConfig';
import { ErrorAlert } from './ErrorAlert';
import { ConfirmDelete } from './RunPieces';
import { TrainCompare } from './TrainCompare';
import { TrainRunPage } from './TrainRunPage';
import { resumable, RunStatusBadge } from './TrainShared';
import { TrainWizard, type WizardDraft } from './TrainWizard';

export type TrainingScreen = { kind: 'runs' } | { kind: 'new'; draft: WizardDraft | null } | { kind: 'run'; runId: number };

export function TrainingPage(props: { screen: TrainingScreen; onScreen(screen: TrainingScreen): void; onGoToModels(): void }) {
  const { screen, onScreen } = props;
  if (screen.kind === 'new') {
    return (
      <TrainWizard
        draft={screen.draft}
        onDraft={(draft) => onScreen({ kind: 'new', draft })}
        onCancel={() => onScreen({ kind: 'runs' })}
        onStarted={(runId) => onScreen({ kind: 'run', runId })}
        onGoToModels={props.onGoToModels}
      />
    );
  }
  if (screen.kind === 'run') {
    // Keyed by run: another run's page starts afresh (no curves or events of the one before).
    return <TrainRunPage key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs' })} onOpenRun={(runId) => onScreen({ kind: 'run', runId })} />;
  }
  return <RunsList onNew={() => onScreen({ kind: 'new', draft: null })} onOpen={(runId) => onScreen({ kind: 'run', runId })} />;
}

/** Reloads the runs when a training job of this session changes state. */
export function useTrainJobsSignature(): string {
  const app = useApp();
  return app.jobs
    .filter((j) => j.kind === 'train')
    .map((j) => `${j.id}:${j.status}`)
    .join(',');
}

function RunsList(props: { onNew(): void; onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [corpusFilter, setCorpusFilter] = useState<string>('all');
  const [runs, setRuns] = useState<TrainRunInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [comparing, setComparing] = useState(false);
  const [deleting, setDeleting] = useState<TrainRunInfo | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const jobs = useTrainJobsSignature();
  const anyRunning = runs?.some((r) => r.status === 'running') ?? false;

  useLiveEffect((isLive) => {
    app.api.call('train.runs', { corpusId: corpusFilter === 'all' ? null : Number(corpusFilter) }).then(
      (list) => {
        if (!isLive()) return;
        setRuns(list);
        setError(null);
        setSelected((s) => new Set([...s].filter((id) => list.some((r) => r.id === id))));
      },
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, corpusFilter, jobs, reload]);

  // A run started elsewhere (another window, the CLI) finishes without a job here: look again now and then.
  useEffect(() => {
    if (!anyRunning) return;
    const id = setInterval(() => setReload((r) => r + 1), 5000);
    return () => clearInterval(id);
  }, [anyRunning]);

  const act = async (run: TrainRunInfo, what: 'resume' | 'rerun') => {
    setBusy(run.id);
    setError(null);
    try {
      if (what === 'resume') {
        await app.api.call('train.resume', { runId: run.id });
        props.onOpen(run.id);
      } else {
        const { runId } = await app.api.call('train.rerun', { runId: run.id });
        props.onOpen(runId);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const remove = async (run: TrainRunInfo) => {
    setError(null);
    try {
      await app.api.call('train.delete', { runId: run.id });
      setDeleting(null);
      setReload((r) => r + 1);
    } catch (err) {
      setDeleting(null);
      setError(err);
    }
  };

  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  const chosen = useMemo(() => (runs ?? []).filter((r) => selected.has(r.id)), [runs, selected]);
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack gap="md" pb="md" data-testid="training-view">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{t('train.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('train.intro')}
          </Text>
        </div>
        <Button data-testid="train-new" onClick={props.onNew} disabled={app.corpora.length === 0}>
          {t('train.new')}
        </Button>
      </Group>
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
      <ErrorAlert error={error} />
      {runs && runs.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="train-no-runs">
          {app.corpora.length === 0 ? t('train.noCorpus') : t('train.noRuns')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table striped highlightOnHover withTableBorder fz="sm" data-testid="train-runs" style={{ whiteSpace: 'nowrap' }}>
            {/* Headers may wrap, between words only (keep-all: not inside a Japanese word); cells stay on one line. */}
            <Table.Thead style={{ whiteSpace: 'normal', wordBreak: 'keep-all', verticalAlign: 'bottom' }}>
              <Table.Tr>
                <Table.Th w={36} />
                <Table.Th>{t('train.columns.name')}</Table.Th>
                <Table.Th>{t('train.columns.corpus')}</Table.Th>
                <Table.Th>{t('train.columns.model')}</Table.Th>
                <Table.Th>{t('train.columns.method')}</Table.Th>
                <Table.Th>{t('train.columns.task')}</Table.Th>
                <Table.Th>{t('train.columns.status')}</Table.Th>
                <Table.Th>{t('train.columns.best')}</Table.Th>
                <Table.Th ta="right">{t('train.columns.macroF1')}</Table.Th>
                <Table.Th ta="right">{t('train.columns.accuracy')}</Table.Th>
                <Table.Th>{t('train.columns.created')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(runs ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid="runs-row" data-run={r.id} data-status={r.status} style={{ cursor: 'pointer' }} onClick={() => props.onOpen(r.id)}>
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Checkbox
                      data-testid="runs-select"
                      aria-label={t('train.select', { name: r.name })}
                      checked={selected.has(r.id)}
                      onChange={() => toggle(r.id)}
                    />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'normal', minWidth: 140 }}>
                    <Anchor component="button" data-testid="runs-open" fw={500} size="sm" ta="left" onClick={() => props.onOpen(r.id)}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.corpusName}</Table.Td>
                  <Table.Td title={`${r.model.path}\n${r.model.hash}`} maw={170} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                    {r.model.name}
                  </Table.Td>
                  <Table.Td title={t(`train.methods.${r.config.method}`)}>{t(`train.methodsShort.${r.config.method}`)}</Table.Td>
                  <Table.Td>{t(`train.tasksShort.${r.config.task === 'single-label' ? 'single' : 'multi'}`)}</Table.Td>
                  <Table.Td>
                    <RunStatusBadge status={r.status} testId="runs-status" />
                  </Table.Td>
                  <Table.Td>{r.best ? t('train.bestValue', { lr: formatLearningRate(r.best.learningRate), epoch: r.best.epoch }) : '—'}</Table.Td>
                  <Table.Td ta="right" data-testid="runs-macro-f1">
                    {formatScore(r.test?.macro.f1)}
                  </Table.Td>
                  <Table.Td ta="right">{formatScore(r.test?.accuracy)}</Table.Td>
                  <Table.Td title={new Date(r.createdAt).toLocaleString(locale)}>{new Date(r.createdAt).toLocaleDateString(locale)}</Table.Td>
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {resumable(r.status) && (
                        <Tooltip label={t('train.resumeHint')}>
                          <Button
                            data-testid="run-resume"
                            size="compact-xs"
                            variant="light"
                            color={r.status === 'interrupted' ? 'orange' : 'gray'}
                            loading={busy === r.id}
                            onClick={() => void act(r, 'resume')}
                          >
                            {t('train.resume')}
                          </Button>
                        </Tooltip>
                      )}
                      <Tooltip label={t('train.rerunHint')}>
                        <Button data-testid="runs-rerun" size="compact-xs" variant="default" loading={busy === r.id} disabled={r.status === 'running'} onClick={() => void act(r, 'rerun')}>
                          {t('train.rerun')}
                        </Button>
                      </Tooltip>
                      <Button data-testid="runs-delete" size="compact-xs" variant="subtle" color="red" disabled={r.status === 'running'} onClick={() => setDeleting(r)}>
                        {t('train.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <ConfirmDelete
        name={deleting?.name ?? null}
        title={t('train.deleteTitle')}
        text={t('train.deleteConfirm', { name: deleting?.name ?? '' })}
        confirm={t('train.delete')}
        testId="runs-delete-confirm"
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      />
      <TrainCompare opened={comparing} runs={chosen} onClose={() => setComparing(false)} />
    </Stack>
  );
}
