// The annotated data: annotation files (CoNLL04 JSON, CoNLL columns, brat standoff) imported as a
// new corpus, with what was read, and the entity and relation types of a chosen corpus. Files are
// picked natively in Electron; in browser mode they are uploaded or named by their path on the server.
import { ActionIcon, Alert, Badge, Button, Card, Group, Loader, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { annotationFormats, type AnnotationFormat, type AnnotationImportReport, type Output } from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';
import { baseName } from '../../format';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { CorpusSelect } from '../../ui/CorpusSelect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';

type SchemaInfo = Output<'entities.schema'>;
type SplitChoice = 'auto' | 'train' | 'dev' | 'test';

export function EntitiesData() {
  return (
    <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
      <ImportCard />
      <SchemaCard />
    </SimpleGrid>
  );
}

function ImportCard() {
  const { t } = useTranslation();
  const app = useApp();
  const [format, setFormat] = useState<AnnotationFormat>('conll04');
  const [paths, setPaths] = useState<{ path: string; name: string }[]>([]);
  const [serverPath, setServerPath] = useState('');
  const [name, setName] = useState('');
  const [split, setSplit] = useState<SplitChoice>('auto');
  const [busy, setBusy] = useState<'upload' | 'import' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<AnnotationImportReport | null>(null);

  const add = (path: string, shown?: string) => {
    setPaths((ps) => (ps.some((p) => p.path === path) ? ps : [...ps, { path, name: shown ?? path }]));
    setName((n) => n || baseName(shown ?? path).replace(/\.[^.]+$/, ''));
  };

  const pickNative = async (purpose: 'importFile' | 'importFolder') => {
    setError(null);
    try {
      const { path } = await app.api.call('dialog.pick', { purpose });
      if (path) add(path);
    } catch (err) {
      setError(err);
    }
  };

  const upload = async (files: FileList) => {
    setBusy('upload');
    setError(null);
    try {
      for (const file of Array.from(files)) {
        if (file.size > app.info.maxUploadBytes) throw { code: 'uploadTooLarge', params: { size: file.size, max: app.info.maxUploadBytes } } satisfies ErrorInfo;
        const { path } = await app.api.call('files.upload', { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
        add(path, file.name);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    setBusy('import');
    setError(null);
    setReport(null);
    try {
      const r = await app.api.call('entities.import', { paths: paths.map((p) => p.path), format, name: name.trim(), split: split === 'auto' ? null : split });
      setReport(r);
      setPaths([]);
      await app.refreshCorpora();
      app.setCorpusId(r.corpusId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder data-testid="entities-import">
      <Stack gap="sm">
        <Text fw={600}>{t('entities.import.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('entities.import.intro')}
        </Text>
        <Select
          data-testid="entities-import-format"
          label={t('entities.import.format')}
          description={t(`entities.import.formatHints.${format}`)}
          data={annotationFormats.map((f) => ({ value: f, label: t(`entities.import.formats.${f}`) }))}
          value={format}
          allowDeselect={false}
          onChange={(v) => v && setFormat(v as AnnotationFormat)}
          maw={420}
        />
        {app.info.nativeDialogs ? (
          <Group>
            <Button variant="default" onClick={() => void pickNative('importFile')}>
              {t('entities.import.addFile')}
            </Button>
            <Button variant="default" onClick={() => void pickNative('importFolder')}>
              {t('entities.import.addFolder')}
            </Button>
          </Group>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack gap={4}>
              <Text size="sm">{t('entities.import.upload')}</Text>
              <input
                data-testid="entities-import-file"
                type="file"
                multiple
                onChange={(e) => {
                  const files = e.currentTarget.files;
                  if (files && files.length) void upload(files);
                }}
              />
              <Text size="xs" c="dimmed">
                {t('entities.import.uploadHint')}
              </Text>
            </Stack>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                data-testid="entities-import-path"
                label={t('entities.import.serverPath')}
                description={t('entities.import.serverPathHint')}
                value={serverPath}
                onChange={(e) => setServerPath(e.currentTarget.value)}
                style={{ flex: 1 }}
              />
              <Button
                data-testid="entities-import-path-add"
                disabled={!serverPath.trim()}
                onClick={() => {
                  add(serverPath.trim());
                  setServerPath('');
                }}
              >
                {t('entities.import.add')}
              </Button>
            </Group>
          </SimpleGrid>
        )}
        {busy === 'upload' && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('entities.import.uploading')}</Text>
          </Group>
        )}
        {paths.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('entities.import.noFiles')}
          </Text>
        ) : (
          <Stack gap={2} data-testid="entities-import-files">
            {paths.map((p) => (
              <Group key={p.path} gap="xs" wrap="nowrap">
                <Text size="sm" truncate title={p.path} style={{ flex: 1 }}>
                  {p.name}
                </Text>
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('entities.import.remove', { name: p.name })} onClick={() => setPaths((ps) => ps.filter((x) => x.path !== p.path))}>
                  ×
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput data-testid="entities-import-name" label={t('entities.import.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            data-testid="entities-import-split"
            label={t('entities.import.split')}
            description={t('entities.import.splitHint')}
            data={(['auto', 'train', 'dev', 'test'] as const).map((s) => ({ value: s, label: t(`entities.import.splits.${s}`) }))}
            value={split}
            allowDeselect={false}
            onChange={(v) => v && setSplit(v as SplitChoice)}
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button data-testid="entities-import-start" disabled={paths.length === 0 || !name.trim() || busy !== null} loading={busy === 'import'} onClick={() => void start()}>
            {t('entities.import.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {report && <ImportReport report={report} />}
      </Stack>
    </Card>
  );
}

function ImportReport({ report }: { report: AnnotationImportReport }) {
  const { t } = useTranslation();
  const sep = t('common.listSeparator');
  return (
    <Alert color="teal" variant="light" data-testid="entities-import-report" title={t('entities.import.done', { name: report.name })}>
      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="xs">
        <Fact label={t('entities.import.sentences')} testId="entities-report-sentences">
          {report.sentences.toLocaleString()}
        </Fact>
        <Fact label={t('entities.import.entities')}>{report.entities.toLocaleString()}</Fact>
        <Fact label={t('entities.import.relations')}>{report.relations.toLocaleString()}</Fact>
        <Fact label={t('entities.import.splitsLabel')}>{t('entities.import.splitsValue', { train: report.splits.train, dev: report.splits.dev, test: report.splits.test })}</Fact>
        <Fact label={t('entities.schema.entityTypes')}>{report.schema.entityTypes.join(sep) || '—'}</Fact>
        <Fact label={t('entities.schema.relationTypes')}>{report.schema.relationTypes.join(sep) || '—'}</Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('entities.import.took', { seconds: report.seconds.toFixed(1), format: t(`entities.import.formats.${report.format}`) })}
      </Text>
    </Alert>
  );
}

function SchemaCard() {
  const { t } = useTranslation();
  const app = useApp();
  const [answer, setAnswer] = useState<{ corpusId: number; value: SchemaInfo } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const corpusId = app.corpusId;

  useLiveEffect((isLive) => {
    setError(null);
    if (corpusId === null) return;
    app.api.call('entities.schema', { corpusId }).then(
      (value) => isLive() && setAnswer({ corpusId, value }),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, corpusId, app.corpora]);

  const current = answer && answer.corpusId === corpusId ? answer.value : undefined;
  const typeTable = (types: string[], counts: Record<string, number>, testId: string, heading: string) => (
    <Table fz="sm" withTableBorder striped data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{heading}</Table.Th>
          <Table.Th ta="right">{t('entities.schema.count')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {types.map((type) => (
          <Table.Tr key={type} data-testid={`${testId}-row`}>
            <Table.Td>{type}</Table.Td>
            <Table.Td ta="right">{(counts[type] ?? 0).toLocaleString()}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );

  return (
    <Card withBorder data-testid="entities-schema">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Text fw={600}>{t('entities.schema.title')}</Text>
          <CorpusSelect />
        </Group>
        <ErrorAlert error={error} />
        {corpusId === null ? (
          <Text size="sm" c="dimmed">
            {t('entities.schema.noCorpus')}
          </Text>
        ) : current === undefined ? (
          error ? null : <Loader size="sm" />
        ) : current === null ? (
          <Text size="sm" c="dimmed" data-testid="entities-schema-none">
            {t('entities.schema.none')}
          </Text>
        ) : (
          <>
            <Group gap="xs">
              <Badge variant="light">{t('entities.schema.sentences', { count: current.sentences })}</Badge>
            </Group>
            <ScrollArea.Autosize mah={480} type="auto">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {typeTable(current.schema.entityTypes, current.entities, 'entities-schema-entities', t('entities.schema.entityTypes'))}
                {typeTable(current.schema.relationTypes, current.relations, 'entities-schema-relations', t('entities.schema.relationTypes'))}
              </SimpleGrid>
            </ScrollArea.Autosize>
          </>
        )}
      </Stack>
    </Card>
  );
}
