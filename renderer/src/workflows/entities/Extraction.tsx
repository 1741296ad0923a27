// Extraction: a finished entities run applied to the documents of a corpus (an extract run), the
// runs table, and a done run's entities (grouped by text and type) and relations (grouped by head,
// type and tail), each row opening its document in the viewer; the results written as CSV or JSONL.
import { Alert, Button, Card, Code, Group, Loader, NumberInput, Pagination, Radio, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExtractRunInfo, MentionRow, RelationRow } from '../../../../common/contract';
import { RunPageShell } from '../../runs/RunPageShell';
import { RunsTable, type RunColumn } from '../../runs/RunsTable';
import { StartCard } from '../../runs/StartCard';
import { useFolderExport } from '../../runs/useFolderExport';
import { useRun, useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';
import { PathModal } from '../../ui/PathModal';

export function ExtractionTab(props: { onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const list = useRuns('extract', null);
  const details: RunColumn<ExtractRunInfo>[] = [
    { key: 'source', header: t('entities.extract.columns.source'), cell: (r) => r.source.name, maxWidth: 200 },
    { key: 'split', header: t('entities.extract.columns.split'), cell: (r) => t(`entities.import.splits.${r.config.split ?? 'all'}`) },
  ];
  const metrics: RunColumn<ExtractRunInfo>[] = [
    { key: 'entities', header: t('entities.extract.columns.entities'), align: 'right', cell: (r) => r.found?.entities.toLocaleString() ?? '—' },
    { key: 'relations', header: t('entities.extract.columns.relations'), align: 'right', cell: (r) => r.found?.relations.toLocaleString() ?? '—' },
  ];
  return (
    <Stack gap="md">
      <ExtractStart onStarted={list.reload} />
      <RunsTable kind="extract" namespace="entities.extract" runs={list} details={details} metrics={metrics} onOpen={props.onOpen} />
    </Stack>
  );
}

/** The panel that starts an extraction, the other workflows' start card. */
function ExtractStart(props: { onStarted(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const sources = useRuns('entities', null);
  const done = (sources.runs ?? []).filter((r) => r.status === 'done');
  const [runId, setRunId] = useState<string | null>(null);
  const [split, setSplit] = useState<'all' | 'train' | 'dev' | 'test'>('all');
  const [batchSize, setBatchSize] = useState(16);
  const [name, setName] = useState('');
  const chosen = runId ?? (done[0] ? String(done[0].id) : null);
  const ready = chosen !== null && app.corpusId !== null;

  const start = async () => {
    if (!ready) return;
    await app.api.call('entities.extract', { runId: Number(chosen), corpusId: app.corpusId!, split: split === 'all' ? null : split, batchSize, name: name.trim() });
  };

  return (
    <StartCard
      namespace="entities.extract"
      testId="extract"
      intro
      ready={ready}
      start={start}
      onStarted={props.onStarted}
      left={
        <>
          <Select
            data-testid="extract-run"
            label={t('entities.extract.start.run')}
            description={t('entities.extract.start.runHint')}
            placeholder={t('entities.extract.start.noRuns')}
            data={done.map((r) => ({ value: String(r.id), label: `#${r.id} ${r.name}` }))}
            value={chosen}
            allowDeselect={false}
            onChange={setRunId}
          />
          <Select
            data-testid="extract-split"
            label={t('entities.extract.start.split')}
            data={(['all', 'train', 'dev', 'test'] as const).map((s) => ({ value: s, label: t(`entities.import.splits.${s}`) }))}
            value={split}
            allowDeselect={false}
            onChange={(v) => v && setSplit(v as typeof split)}
          />
        </>
      }
      right={
        <>
          <NumberInput
            data-testid="extract-batch-size"
            label={t('entities.wizard.batchSize')}
            description={t('entities.extract.start.batchHint')}
            value={batchSize}
            min={1}
            max={4096}
            onChange={(v) => typeof v === 'number' && setBatchSize(v)}
          />
          <TextInput data-testid="extract-name" label={t('entities.wizard.name')} description={t('entities.wizard.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        </>
      }
    />
  );
}

export function ExtractionRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void; onOpenSentence(documentId: number, sourceRunId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('extract', props.runId);
  return (
    <RunPageShell
      kind="extract"
      namespace="entities.extract"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      parts={(d) => ({
        subtitle: t('entities.extract.run.subtitle', { source: d.source.name, corpus: d.corpusName, split: t(`entities.import.splits.${d.config.split ?? 'all'}`) }),
        body: d.status === 'done' && (
          <>
            {d.found && (
              <Card withBorder>
                <SimpleGrid cols={3}>
                  <Fact label={t('entities.import.sentences')}>{d.found.sentences.toLocaleString()}</Fact>
                  <Fact label={t('entities.import.entities')} testId="extract-found-entities">
                    {d.found.entities.toLocaleString()}
                  </Fact>
                  <Fact label={t('entities.import.relations')}>{d.found.relations.toLocaleString()}</Fact>
                </SimpleGrid>
              </Card>
            )}
            <SimpleGrid cols={{ base: 1, xl: 2 }}>
              <MentionList runId={d.id} types={d.source.schema.entityTypes} onOpen={(doc) => props.onOpenSentence(doc, d.source.runId)} />
              <RelationList runId={d.id} types={d.source.schema.relationTypes} onOpen={(doc) => props.onOpenSentence(doc, d.source.runId)} />
            </SimpleGrid>
            <EntityExport runId={d.id} title={t('entities.export.title')} />
          </>
        ),
        record: {
          lead: (
            <Fact label={t('entities.extract.columns.source')}>
              {`#${d.source.runId} ${d.source.name}`}
            </Fact>
          ),
          middle: <Fact label={t('entities.extract.record.documents')}>{d.documents.documents.toLocaleString()}</Fact>,
          checkpoint: d.checkpoint && t('entities.extract.record.checkpointValue', { step: d.checkpoint.step.toLocaleString() }),
          footer: (
            <Code block mt="xs" style={{ maxHeight: 200, overflow: 'auto' }}>
              {JSON.stringify(d.config, null, 2)}
            </Code>
          ),
        },
      })}
    />
  );
}

const pageSize = 50;

/** A list of an extract run's rows (mentions or relations) with a type filter and pages. */
function usePagedRows<R>(method: 'entities.mentions' | 'entities.relations', runId: number, type: string | null, page: number) {
  const app = useApp();
  const [answer, setAnswer] = useState<{ key: string; total: number; rows: R[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = `${runId}:${type}:${page}`;
  useLiveEffect((isLive) => {
    setError(null);
    app.api.call(method, { runId, type, offset: (page - 1) * pageSize, limit: pageSize }).then(
      (a) => isLive() && setAnswer({ key, total: a.total, rows: a.rows as R[] }),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, method, key]);
  return { answer: answer?.key === key ? answer : null, error };
}

function TypeFilter(props: { types: string[]; value: string | null; onChange(v: string | null): void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Select
      data-testid={props.testId}
      size="xs"
      w={180}
      data={[{ value: '', label: t('entities.extract.allTypes') }, ...props.types.map((ty) => ({ value: ty, label: ty }))]}
      value={props.value ?? ''}
      allowDeselect={false}
      onChange={(v) => props.onChange(v ? v : null)}
    />
  );
}

interface Column<R> {
  header: string;
  align?: 'right';
  cell(r: R): ReactNode;
}

/** One of a done extract run's lists: its rows of one kind, a type filter and pages, each row opening its document. */
function PagedRowList<R extends { documentId: number }>(props: {
  method: 'entities.mentions' | 'entities.relations';
  /** `<testId>` on the card, `<testId>-type` on the filter. */
  testId: string;
  rowTestId: string;
  runId: number;
  types: string[];
  title(total: number): string;
  columns: Column<R>[];
  onOpen(documentId: number): void;
}) {
  const { t } = useTranslation();
  const [type, setType] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const { answer, error } = usePagedRows<R>(props.method, props.runId, type, page);
  return (
    <Card withBorder data-testid={props.testId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{props.title(answer?.total ?? 0)}</Text>
        <TypeFilter
          testId={`${props.testId}-type`}
          types={props.types}
          value={type}
          onChange={(v) => {
            setType(v);
            setPage(1);
          }}
        />
      </Group>
      <ErrorAlert error={error} />
      {!answer && !error && <Loader size="sm" />}
      {answer && answer.rows.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('entities.extract.noRows')}
        </Text>
      )}
      {answer && answer.rows.length > 0 && (
        <ScrollArea.Autosize mah={520} type="auto">
          <Table fz="sm" striped highlightOnHover withTableBorder>
            <Table.Thead>
              <Table.Tr>
                {props.columns.map((c, k) => (
                  <Table.Th key={k} ta={c.align}>
                    {c.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.rows.map((r, i) => (
                <Table.Tr key={i} data-testid={props.rowTestId} style={{ cursor: 'pointer' }} onClick={() => props.onOpen(r.documentId)} title={t('entities.extract.openHint')}>
                  {props.columns.map((c, k) => (
                    <Table.Td key={k} ta={c.align}>
                      {c.cell(r)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      {answer && answer.total > pageSize && <Pagination size="sm" mt="xs" total={Math.ceil(answer.total / pageSize)} value={page} onChange={setPage} />}
    </Card>
  );
}

/** A word and, dimmed after it, its entity type. */
const typed = (text: string, type: string) => (
  <>
    {text}{' '}
    <Text span size="xs" c="dimmed">
      {type}
    </Text>
  </>
);

function MentionList(props: { runId: number; types: string[]; onOpen(documentId: number): void }) {
  const { t } = useTranslation();
  return (
    <PagedRowList<MentionRow>
      method="entities.mentions"
      testId="extract-mentions"
      rowTestId="extract-mention-row"
      {...props}
      title={(count) => t('entities.extract.mentions', { count })}
      columns={[
        { header: t('entities.extract.text'), cell: (r) => r.text },
        { header: t('entities.results.type'), cell: (r) => r.type },
        { header: t('entities.extract.count'), align: 'right', cell: (r) => r.count.toLocaleString() },
        { header: t('entities.extract.documents'), align: 'right', cell: (r) => r.documents.toLocaleString() },
      ]}
    />
  );
}

function RelationList(props: { runId: number; types: string[]; onOpen(documentId: number): void }) {
  const { t } = useTranslation();
  return (
    <PagedRowList<RelationRow>
      method="entities.relations"
      testId="extract-relations"
      rowTestId="extract-relation-row"
      {...props}
      title={(count) => t('entities.extract.relations', { count })}
      columns={[
        { header: t('entities.extract.head'), cell: (r) => typed(r.head, r.headType) },
        { header: t('entities.extract.relation'), cell: (r) => r.type },
        { header: t('entities.extract.tail'), cell: (r) => typed(r.tail, r.tailType) },
        { header: t('entities.extract.count'), align: 'right', cell: (r) => r.count.toLocaleString() },
      ]}
    />
  );
}

/** Writes a run's entities and relations (an extract run's, or an entities run's test predictions) as CSV or JSONL to a path. */
export function EntityExport({ runId, title }: { runId: number; title: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const { asking, busy, error, done, start, submit, close } = useFolderExport(
    async (outPath) => (await app.api.call('entities.export', { runId, format, outPath })).files,
    (folder) => `${folder.replace(/[\\/]$/, '')}/run-${runId}.${format}`,
  );
  return (
    <Card withBorder data-testid="entities-export">
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <Stack gap="sm">
        <Radio.Group value={format} onChange={(v) => setFormat(v as 'csv' | 'jsonl')}>
          <Group>
            <Radio value="csv" data-testid="entities-export-csv" label={t('entities.export.csv')} />
            <Radio value="jsonl" data-testid="entities-export-jsonl" label={t('entities.export.jsonl')} />
          </Group>
        </Radio.Group>
        <Text size="xs" c="dimmed">
          {t(`entities.export.${format}Hint`)}
        </Text>
        <Group>
          <Button data-testid="entities-export-start" loading={busy} onClick={() => void start()}>
            {t('entities.export.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {done && (
          <Alert color="teal" variant="light" data-testid="entities-export-result">
            <Text size="sm">{t('entities.export.done', { count: done.length })}</Text>
            <Code block mt={4}>
              {done.join('\n')}
            </Code>
          </Alert>
        )}
      </Stack>
      <PathModal opened={asking} title={t('entities.export.pathTitle')} hint={t('entities.export.pathHint', { ext: format })} onClose={close} onSubmit={submit} />
    </Card>
  );
}
