// The runs of one kind as a table: name, corpus, the workflow's own columns, status, its key
// metrics, when it was made and how long it took, and the actions every run has (resume a stopped
// run, re-run where the kind can, delete after asking). A row opens the run's page.
import { Anchor, Button, Checkbox, Group, Modal, ScrollArea, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunKind } from '../../../common/contract';
import { formatEta } from '../format';
import { useApp } from '../state/AppContext';
import { ErrorAlert } from '../ui/ErrorAlert';
import { runCapabilities, type RunInfoOf } from './runsApi';
import { resumable, RunStatusBadge } from './RunStatusBadge';
import { useRunsApi, type Runs } from './useRuns';

/** A column a workflow adds: its header and a cell per run. */
export interface RunColumn<R> {
  key: string;
  header: ReactNode;
  cell(run: R): ReactNode;
  align?: 'right';
  /** On each cell. */
  testId?: string;
  /** The cell's tooltip. */
  title?(run: R): string;
  /** Cells may wrap (long paths); the others stay on one line. */
  wrap?: boolean;
  /** Cells at most this wide (px), cut with an ellipsis. */
  maxWidth?: number;
}

export interface RunsTableProps<K extends RunKind> {
  kind: K;
  /** The workflow's i18n namespace, with noRuns, noCorpus and deleteConfirm ({{name}}: what deleting a run removes). */
  namespace: string;
  runs: Runs<K>;
  /** The workflow's columns after the corpus (what was trained, how). */
  details?: readonly RunColumn<RunInfoOf<K>>[];
  /** The workflow's key metrics, after the status. */
  metrics?: readonly RunColumn<RunInfoOf<K>>[];
  /** Tick boxes to choose runs (to compare them). */
  selection?: { selected: ReadonlySet<number>; toggle(runId: number): void; label(run: RunInfoOf<K>): string };
  onOpen(runId: number): void;
}

export function RunsTable<K extends RunKind>(props: RunsTableProps<K>) {
  const { t } = useTranslation();
  const app = useApp();
  const api = useRunsApi();
  const { kind, namespace: ns, selection } = props;
  const { runs, reload } = props.runs;
  const canRerun = runCapabilities(kind).rerun;
  const [busy, setBusy] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<RunInfoOf<K> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  const details = props.details ?? [];
  const metrics = props.metrics ?? [];

  const act = async (run: RunInfoOf<K>, what: 'resume' | 'rerun') => {
    setBusy(run.id);
    setError(null);
    try {
      if (what === 'resume') {
        await api.resumeRun(kind, run.id);
        props.onOpen(run.id);
      } else {
        props.onOpen((await api.rerunRun(kind, run.id)).runId);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const remove = async (run: RunInfoOf<K>) => {
    setDeleting(null);
    setError(null);
    try {
      await api.deleteRun(kind, run.id);
      reload();
    } catch (err) {
      setError(err);
    }
  };

  const header = (c: RunColumn<RunInfoOf<K>>) => (
    <Table.Th key={c.key} ta={c.align}>
      {c.header}
    </Table.Th>
  );
  const cell = (run: RunInfoOf<K>) => (c: RunColumn<RunInfoOf<K>>) => (
    <Table.Td
      key={c.key}
      ta={c.align}
      data-testid={c.testId}
      title={c.title?.(run)}
      style={{ ...(c.wrap ? { whiteSpace: 'normal' } : {}), ...(c.maxWidth ? { maxWidth: c.maxWidth, overflow: 'hidden', textOverflow: 'ellipsis' } : {}) }}
    >
      {c.cell(run)}
    </Table.Td>
  );

  return (
    <Stack gap="sm">
      <ErrorAlert error={props.runs.error} />
      <ErrorAlert error={error} />
      {runs && runs.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="runs-empty" data-kind={kind}>
          {app.corpora.length === 0 ? t(`${ns}.noCorpus`) : t(`${ns}.noRuns`)}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table striped highlightOnHover withTableBorder fz="sm" data-testid={`${kind}-runs`} style={{ whiteSpace: 'nowrap' }}>
            {/* Headers may wrap, between words only (keep-all: not inside a Japanese word); cells stay on one line. */}
            <Table.Thead style={{ whiteSpace: 'normal', wordBreak: 'keep-all', verticalAlign: 'bottom' }}>
              <Table.Tr>
                {selection && <Table.Th w={36} />}
                <Table.Th>{t('runs.columns.name')}</Table.Th>
                <Table.Th>{t('runs.columns.corpus')}</Table.Th>
                {details.map(header)}
                <Table.Th>{t('runs.columns.status')}</Table.Th>
                {metrics.map(header)}
                <Table.Th>{t('runs.columns.created')}</Table.Th>
                <Table.Th ta="right">{t('runs.columns.duration')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(runs ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid="runs-row" data-run={r.id} data-status={r.status} style={{ cursor: 'pointer' }} onClick={() => props.onOpen(r.id)}>
                  {selection && (
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Checkbox data-testid="runs-select" aria-label={selection.label(r)} checked={selection.selected.has(r.id)} onChange={() => selection.toggle(r.id)} />
                    </Table.Td>
                  )}
                  <Table.Td style={{ whiteSpace: 'normal', minWidth: 140 }}>
                    <Anchor component="button" data-testid="runs-open" fw={500} size="sm" ta="left" onClick={() => props.onOpen(r.id)}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.corpusName}</Table.Td>
                  {details.map(cell(r))}
                  <Table.Td>
                    <RunStatusBadge status={r.status} testId="runs-status" />
                  </Table.Td>
                  {metrics.map(cell(r))}
                  <Table.Td title={new Date(r.createdAt).toLocaleString(locale)}>{new Date(r.createdAt).toLocaleDateString(locale)}</Table.Td>
                  <Table.Td ta="right" data-testid="runs-duration">
                    {formatEta(r.seconds) ?? '—'}
                  </Table.Td>
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {resumable(r.status) && (
                        <Tooltip label={t('runs.resumeHint')}>
                          <Button
                            data-testid="runs-resume"
                            size="compact-xs"
                            variant="light"
                            color={r.status === 'interrupted' ? 'orange' : 'gray'}
                            loading={busy === r.id}
                            onClick={() => void act(r, 'resume')}
                          >
                            {t('runs.resume')}
                          </Button>
                        </Tooltip>
                      )}
                      {canRerun && (
                        <Tooltip label={t('runs.rerunHint')}>
                          <Button data-testid="runs-rerun" size="compact-xs" variant="default" loading={busy === r.id} disabled={r.status === 'running'} onClick={() => void act(r, 'rerun')}>
                            {t('runs.rerun')}
                          </Button>
                        </Tooltip>
                      )}
                      <Button data-testid="runs-delete" size="compact-xs" variant="subtle" color="red" disabled={r.status === 'running'} onClick={() => setDeleting(r)}>
                        {t('runs.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <ConfirmDelete text={deleting ? t(`${ns}.deleteConfirm`, { name: deleting.name }) : null} onCancel={() => setDeleting(null)} onConfirm={() => deleting && void remove(deleting)} />
    </Stack>
  );
}

/** A workflow's runs page's head: its title and intro (<namespace>.title, .intro) and the button that opens its wizard (.new). */
export function RunsHeader(props: { namespace: string; newTestId: string; canStart: boolean; onNew(): void }) {
  const { t } = useTranslation();
  const ns = props.namespace;
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap">
      <div>
        <Title order={3}>{t(`${ns}.title`)}</Title>
        <Text size="sm" c="dimmed" maw={760}>
          {t(`${ns}.intro`)}
        </Text>
      </div>
      <Button data-testid={props.newTestId} onClick={props.onNew} disabled={!props.canStart}>
        {t(`${ns}.new`)}
      </Button>
    </Group>
  );
}

/** "Delete this run?" with what goes; `text` null keeps it closed. */
export function ConfirmDelete(props: { text: string | null; onCancel(): void; onConfirm(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.text !== null} onClose={props.onCancel} title={t('runs.deleteTitle')}>
      <Stack>
        <Text size="sm">{props.text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('common.cancel')}
          </Button>
          <Button data-testid="runs-delete-confirm" color="red" onClick={props.onConfirm}>
            {t('runs.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
