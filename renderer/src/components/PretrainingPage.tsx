// The Pretraining view: the project's domain-pretraining runs, the wizard, one run's page, and the
// masked-LM loss comparison of models. Which screen is shown lives in the workbench (App.tsx), so
// leaving the view and coming back keeps the run or the half-filled wizard.
import { Alert, Anchor, Badge, Button, Card, Group, MultiSelect, NumberInput, ScrollArea, Select, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MlmEvaluation, PretrainRunInfo } from '../../../common/contract';
import { baseName } from '../format';
import { useApp } from '../state/AppContext';
import { useLiveEffect } from '../state/useLiveEffect';
import { ErrorAlert } from './ErrorAlert';
import { ConfirmDelete } from './RunPieces';
import { PretrainRunPage } from './PretrainRunPage';
import { PretrainWizard, type PretrainDraft } from './PretrainWizard';
import { resumable, RunStatusBadge } from './TrainShared';

export type PretrainingScreen = { kind: 'runs'; tab: 'runs' | 'mlm' } | { kind: 'new'; draft: PretrainDraft | null } | { kind: 'run'; runId: number };

export function PretrainingPage(props: { screen: PretrainingScreen; onScreen(screen: PretrainingScreen): void; onGoToModels(): void }) {
  const { screen, onScreen } = props;
  const { t } = useTranslation();
  if (screen.kind === 'new') {
    return (
      <PretrainWizard
        draft={screen.draft}
        onDraft={(draft) => onScreen({ kind: 'new', draft })}
        onCancel={() => onScreen({ kind: 'runs', tab: 'runs' })}
        onStarted={(runId) => onScreen({ kind: 'run', runId })}
        onGoToModels={props.onGoToModels}
      />
    );
  }
  if (screen.kind === 'run') return <PretrainRunPage key={screen.runId} runId={screen.runId} onBack={() => onScreen({ kind: 'runs', tab: 'runs' })} />;
  return (
    <Stack gap="md" data-testid="pretrain-view">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3}>{t('pretrain.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('pretrain.intro')}
          </Text>
        </div>
        <Button data-testid="pretrain-new" onClick={() => onScreen({ kind: 'new', draft: null })}>
          {t('pretrain.new')}
        </Button>
      </Group>
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

/** Changes whenever a job of one of these kinds of this session changes state: lists reload then. */
function useJobsSignature(kinds: readonly string[]): string {
  const app = useApp();
  return app.jobs
    .filter((j) => kinds.includes(j.kind))
    .map((j) => `${j.id}:${j.status}`)
    .join(',');
}

function RunsList(props: { onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [runs, setRuns] = useState<PretrainRunInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [deleting, setDeleting] = useState<PretrainRunInfo | null>(null);
  const jobs = useJobsSignature(['pretrain']);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';

  useLiveEffect((isLive) => {
    app.api.call('pretrain.runs', { corpusId: null }).then(
      (list) => isLive() && (setRuns(list), setError(null)),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, jobs, reload]);

  const resume = async (run: PretrainRunInfo) => {
    try {
      await app.api.call('pretrain.resume', { runId: run.id });
      props.onOpen(run.id);
    } catch (err) {
      setError(err);
    }
  };

  if (app.corpora.length === 0) return <Text c="dimmed">{t('pretrain.noCorpus')}</Text>;
  return (
    <Stack gap="sm">
      <ErrorAlert error={error} />
      {runs && runs.length === 0 && (
        <Text c="dimmed" data-testid="pretrain-no-runs">
          {t('pretrain.noRuns')}
        </Text>
      )}
      {runs && runs.length > 0 && (
        <ScrollArea>
          <Table striped highlightOnHover data-testid="pretrain-runs">
            <Table.Thead>
              <Table.Tr>
                {(['name', 'status', 'mode', 'corpus', 'loss', 'output', 'created', 'actions'] as const).map((c) => (
                  <Table.Th key={c}>{t(`pretrain.columns.${c}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((r) => (
                <Table.Tr key={r.id} data-testid="pretrain-runs-row" data-status={r.status}>
                  <Table.Td>
                    <Anchor component="button" size="sm" data-testid="pretrain-runs-open" onClick={() => props.onOpen(r.id)}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <RunStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>{t(`pretrain.modes.${r.config.mode}`)}</Table.Td>
                  <Table.Td>{r.corpusName}</Table.Td>
                  <Table.Td data-testid="pretrain-runs-loss">{r.initialLoss && r.finalLoss ? t('pretrain.lossChange', { from: r.initialLoss.loss.toFixed(3), to: r.finalLoss.loss.toFixed(3) }) : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {r.config.outputDir}
                    </Text>
                  </Table.Td>
                  <Table.Td>{new Date(r.createdAt).toLocaleDateString(locale)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {resumable(r.status) && (
                        <Tooltip label={t('pretrain.resumeHint')}>
                          <Button size="compact-xs" variant="light" data-testid="pretrain-runs-resume" onClick={() => void resume(r)}>
                            {t('pretrain.resume')}
                          </Button>
                        </Tooltip>
                      )}
                      {r.status !== 'running' && (
                        <Button size="compact-xs" variant="subtle" color="red" data-testid="pretrain-runs-delete" onClick={() => setDeleting(r)}>
                          {t('pretrain.delete')}
                        </Button>
                      )}
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
        title={t('pretrain.deleteTitle')}
        text={t('pretrain.deleteConfirm', { name: deleting?.name ?? '' })}
        confirm={t('pretrain.delete')}
        testId="pretrain-delete-confirm"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const run = deleting!;
          setDeleting(null);
          app.api.call('pretrain.delete', { runId: run.id }).then(() => setReload((x) => x + 1), setError);
        }}
      />
    </Stack>
  );
}

/** Models a comparison can take: the Models page's, and the folders finished pretraining runs wrote. */
function useMlmModels(): string[] {
  const app = useApp();
  const [outputs, setOutputs] = useState<string[]>([]);
  const jobs = useJobsSignature(['pretrain']);
  useLiveEffect((isLive) => {
    app.api.call('pretrain.runs', { corpusId: null }).then(
      (runs) => isLive() && setOutputs(runs.filter((r) => r.status === 'done' && r.output).map((r) => r.output!.path)),
      () => undefined,
    );
  }, [app.api, jobs]);
  return useMemo(() => [...new Set([...app.settings.models, ...outputs])], [app.settings.models, outputs]);
}

function MlmComparison() {
  const { t } = useTranslation();
  const app = useApp();
  const models = useMlmModels();
  const [corpusId, setCorpusId] = useState<number | null>(app.corpusId ?? app.corpora[0]?.id ?? null);
  const [split, setSplit] = useState<'train' | 'dev' | 'test'>('test');
  const [picked, setPicked] = useState<string[]>([]);
  const [seeds, setSeeds] = useState(3);
  const [maxLength, setMaxLength] = useState(128);
  const [error, setError] = useState<unknown>(null);
  const [evaluations, setEvaluations] = useState<MlmEvaluation[] | null>(null);
  const jobs = useJobsSignature(['mlm']);

  useLiveEffect((isLive) => {
    app.api.call('mlm.evaluations', { corpusId: null }).then(
      (list) => isLive() && setEvaluations(list),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, jobs]);

  const start = async () => {
    setError(null);
    try {
      await app.api.call('mlm.evaluate', { corpusId: corpusId!, modelPaths: picked, split, seeds, maxLength });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap="md" data-testid="mlm-view">
      <Card withBorder>
        <Text fw={600}>{t('pretrain.mlm.title')}</Text>
        <Text size="sm" c="dimmed" mb="sm">
          {t('pretrain.mlm.intro')}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <Select
            data-testid="mlm-corpus"
            label={t('pretrain.mlm.corpus')}
            data={app.corpora.map((c) => ({ value: String(c.id), label: c.name }))}
            value={corpusId === null ? null : String(corpusId)}
            onChange={(v) => v && setCorpusId(Number(v))}
            allowDeselect={false}
          />
          <Select
            data-testid="mlm-split"
            label={t('pretrain.mlm.split')}
            data={(['train', 'dev', 'test'] as const).map((s) => ({ value: s, label: t(`splits.${s}`) }))}
            value={split}
            onChange={(v) => v && setSplit(v as typeof split)}
            allowDeselect={false}
            w={120}
          />
          <MultiSelect
            data-testid="mlm-models"
            searchable
            label={t('pretrain.mlm.models')}
            description={t('pretrain.mlm.modelsHint')}
            data={models.map((p) => ({ value: p, label: baseName(p) || p }))}
            value={picked}
            onChange={setPicked}
            miw={320}
            style={{ flex: 1 }}
          />
          <NumberInput data-testid="mlm-seeds" label={t('pretrain.mlm.seeds')} min={1} max={20} allowDecimal={false} value={seeds} onChange={(v) => typeof v === 'number' && setSeeds(v)} w={120} />
          <NumberInput data-testid="mlm-max-length" label={t('pretrain.mlm.maxLength')} min={8} allowDecimal={false} value={maxLength} onChange={(v) => typeof v === 'number' && setMaxLength(v)} w={120} />
          <Button data-testid="mlm-start" disabled={corpusId === null || picked.length === 0} onClick={() => void start()}>
            {t('pretrain.mlm.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
      </Card>
      {evaluations && evaluations.length === 0 && <Text c="dimmed">{t('pretrain.mlm.none')}</Text>}
      {evaluations?.map((e) => <EvaluationTable key={e.id} evaluation={e} />)}
    </Stack>
  );
}

function EvaluationTable({ evaluation: e }: { evaluation: MlmEvaluation }) {
  const { t } = useTranslation();
  const groups = new Set(e.models.map((m) => m.group)).size;
  return (
    <Card withBorder data-testid="mlm-evaluation">
      <Text fw={600} size="sm" mb="xs">
        {t('pretrain.mlm.heading', { corpus: e.corpusName, split: t(`splits.${e.split}`), documents: e.documents, seeds: e.seeds, maxLength: e.maxLength })}
      </Text>
      {groups > 1 && (
        <Alert color="yellow" variant="light" mb="xs" data-testid="mlm-not-comparable">
          {t('pretrain.mlm.notComparable', { count: groups })}
        </Alert>
      )}
      <Table fz="sm" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            {(['model', 'loss', 'perplexity', 'perSeed', 'tokens', 'group'] as const).map((c) => (
              <Table.Th key={c}>{t(`pretrain.mlm.columns.${c}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {e.models.map((m) => (
            <Table.Tr key={m.path} data-testid="mlm-row" data-group={m.group}>
              <Table.Td>
                <Tooltip label={m.path}>
                  <span>{m.name}</span>
                </Tooltip>
              </Table.Td>
              <Table.Td data-testid="mlm-loss">{m.loss.loss.toFixed(4)}</Table.Td>
              <Table.Td>{Math.exp(m.loss.loss).toFixed(2)}</Table.Td>
              <Table.Td>{m.loss.perSeed.map((x) => x.toFixed(4)).join(' / ')}</Table.Td>
              <Table.Td>{m.loss.tokens[0]?.toLocaleString()}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={groups > 1 ? 'yellow' : 'gray'}>
                  {t('pretrain.mlm.group', { n: m.group + 1 })}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
