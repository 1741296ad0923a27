import {
  Button,
  Divider,
  Group,
  Loader,
  Modal,
  MultiSelect,
  NumberInput,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  defaultImportOptions,
  encodings,
  importFormats,
  type EncodingChoice,
  type ImportFormat,
  type ImportOptions,
  type ImportPreview,
} from '../../../../common/contract';
import { baseName } from '../../format';
import type { ErrorInfo } from '../../../../common/errors';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';

const previewRows = 8;

/** Choose a file or folder, check the preview, map the columns, start the import job. */
export function ImportWizard() {
  const { t } = useTranslation();
  const app = useApp();
  const [path, setPath] = useState<string | null>(null);
  const [serverPath, setServerPath] = useState('');
  const [options, setOptions] = useState<ImportOptions>(defaultImportOptions);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState<'upload' | 'preview' | 'start' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);

  useEffect(() => {
    if (app.importOpen) {
      setPath(null);
      setServerPath('');
      setOptions(defaultImportOptions);
      setPreview(null);
      setError(null);
      setPreviewError(null);
      setBusy(null);
    }
  }, [app.importOpen]);

  const runPreview = async (p: string, opts: ImportOptions, fresh: boolean, displayName?: string) => {
    setBusy('preview');
    setError(null);
    setPreviewError(null);
    try {
      const partial: Partial<ImportOptions> = fresh
        ? { format: opts.format, encoding: opts.encoding }
        : { format: opts.format, encoding: opts.encoding, hasHeader: opts.hasHeader, sheet: opts.sheet, headerLines: opts.headerLines, headerFields: opts.headerFields };
      const result = await app.api.call('import.preview', { path: p, options: partial });
      setPreview(result);
      setOptions((o) => {
        const next: ImportOptions = { ...o, encoding: result.encoding };
        if (fresh) {
          next.name = o.name || baseName(displayName ?? p);
          next.format = 'auto';
        }
        if (fresh || !result.columns.includes(o.textColumn)) {
          next.textColumn = result.suggested.textColumn;
          next.titleColumn = result.suggested.titleColumn;
          next.labelColumn = result.suggested.labelColumn;
          next.metadataColumns = null;
        }
        return next;
      });
    } catch (err) {
      setPreviewError(err);
      if (fresh) setPreview(null);
    } finally {
      setBusy(null);
    }
  };

  const choose = (p: string, displayName?: string) => {
    setPath(p);
    const opts = { ...defaultImportOptions, name: baseName(displayName ?? p) };
    setOptions(opts);
    void runPreview(p, opts, true, displayName);
  };

  const pickNative = async (purpose: 'importFile' | 'importFolder') => {
    setError(null);
    try {
      const { path: p } = await app.api.call('dialog.pick', { purpose });
      if (p) choose(p);
    } catch (err) {
      setError(err);
    }
  };

  const upload = async (file: File) => {
    setBusy('upload');
    setError(null);
    try {
      if (file.size > app.info.maxUploadBytes) {
        throw { code: 'uploadTooLarge', params: { size: file.size, max: app.info.maxUploadBytes } } satisfies ErrorInfo;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { path: p } = await app.api.call('files.upload', { name: file.name, bytes });
      setBusy(null);
      choose(p, file.name);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  const change = (patch: Partial<ImportOptions>, repreview = false) => {
    const next = { ...options, ...patch };
    setOptions(next);
    if (repreview && path) void runPreview(path, next, false);
  };

  const start = async () => {
    if (!path) return;
    setBusy('start');
    setError(null);
    try {
      const { jobId } = await app.api.call('import.start', { path, options });
      app.trackImport(jobId);
      app.setImportOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const columns = preview?.columns ?? [];
  const isDir = preview?.format === 'dir';
  const candidates = new Map((preview?.candidates ?? []).map((c) => [c.encoding, c.confidence]));
  if (preview) candidates.set(preview.detectedEncoding.encoding, preview.detectedEncoding.confidence);
  const encodingData = encodings.map((e: EncodingChoice) => ({
    value: e,
    label:
      e === 'auto'
        ? t('import.encodingAuto')
        : candidates.has(e)
          ? t('import.encodingWithConfidence', { encoding: e, percent: Math.round((candidates.get(e) ?? 0) * 100) })
          : e,
  }));
  const used = new Set([options.textColumn, options.titleColumn, options.labelColumn].filter(Boolean));
  const splitSum = options.split[0] + options.split[1] + options.split[2];

  return (
    <Modal opened={app.importOpen} onClose={() => app.setImportOpen(false)} title={t('import.title')} size="80rem">
      <Stack gap="md">
        {/* Source */}
        <Stack gap="xs">
          <Text fw={600}>{t('import.source')}</Text>
          {app.info.nativeDialogs ? (
            <Group>
              <Button variant="default" onClick={() => void pickNative('importFile')}>
                {t('import.chooseFile')}
              </Button>
              <Button variant="default" onClick={() => void pickNative('importFolder')}>
                {t('import.chooseFolder')}
              </Button>
            </Group>
          ) : (
            <SimpleGrid cols={2}>
              <Stack gap={4}>
                <Text size="sm">{t('import.uploadLabel')}</Text>
                <input
                  data-testid="import-file"
                  type="file"
                  accept=".csv,.tsv,.txt,.jsonl,.json,.xlsx"
                  onChange={(e) => {
                    const file = e.currentTarget.files?.[0];
                    if (file) void upload(file);
                  }}
                />
                <Text size="xs" c="dimmed">
                  {t('import.uploadHint')}
                </Text>
              </Stack>
              <Stack gap={4}>
                <Group gap="xs" align="flex-end" wrap="nowrap">
                  <TextInput
                    data-testid="import-path"
                    label={t('import.serverPath')}
                    description={t('import.serverPathHint')}
                    value={serverPath}
                    onChange={(e) => setServerPath(e.currentTarget.value)}
                    style={{ flex: 1 }}
                  />
                  <Button data-testid="import-path-ok" disabled={!serverPath.trim()} onClick={() => choose(serverPath.trim())}>
                    {t('import.readPath')}
                  </Button>
                </Group>
              </Stack>
            </SimpleGrid>
          )}
          {path && (
            <Text size="sm" c="dimmed" truncate>
              {t('import.chosen', { path })}
            </Text>
          )}
          {busy === 'upload' && (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="sm">{t('import.uploading')}</Text>
            </Group>
          )}
        </Stack>

        {(preview || busy === 'preview' || previewError !== null) && <Divider />}
        <ErrorAlert error={previewError} />
        {busy === 'preview' && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('import.previewing')}</Text>
          </Group>
        )}

        {preview && (
          <>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Select
                data-testid="import-format"
                label={t('import.format')}
                description={t('import.detectedFormat', { format: t(`formats.${preview.format}`) })}
                data={importFormats.map((f: ImportFormat) => ({ value: f, label: t(`formats.${f}`) }))}
                value={options.format}
                allowDeselect={false}
                onChange={(v) => v && change({ format: v as ImportFormat }, true)}
              />
              {!isDir && (
                <Select
                  data-testid="import-encoding"
                  label={t('import.encoding')}
                  description={t('import.detectedEncoding', {
                    encoding: preview.detectedEncoding.encoding,
                    percent: Math.round(preview.detectedEncoding.confidence * 100),
                  })}
                  data={encodingData}
                  value={options.encoding}
                  allowDeselect={false}
                  onChange={(v) => v && change({ encoding: v as EncodingChoice }, true)}
                />
              )}
              {preview.sheets.length > 0 && (
                <Select
                  data-testid="import-sheet"
                  label={t('import.sheet')}
                  data={preview.sheets}
                  value={options.sheet || preview.sheets[0]}
                  allowDeselect={false}
                  onChange={(v) => v && change({ sheet: v }, true)}
                />
              )}
              {!isDir && preview.format !== 'jsonl' && (
                <Switch
                  mt="xl"
                  label={t('import.hasHeader')}
                  checked={options.hasHeader}
                  onChange={(e) => change({ hasHeader: e.currentTarget.checked }, true)}
                />
              )}
            </SimpleGrid>

            {isDir && (
              <Stack gap="xs">
                <Text size="sm" data-testid="import-folder-summary">{t('import.folderSummary', { files: preview.fileCount, labels: preview.labels.join(', ') || '-' })}</Text>
                <SimpleGrid cols={2}>
                  <NumberInput
                    data-testid="import-header-lines"
                    label={t('import.headerLines')}
                    description={t('import.headerLinesHint')}
                    min={0}
                    max={20}
                    value={options.headerLines}
                    onChange={(v) => {
                      const n = typeof v === 'number' ? v : 0;
                      const fields = options.headerFields.slice(0, n);
                      while (fields.length < n) fields.push('');
                      change({ headerLines: n, headerFields: fields }, true);
                    }}
                  />
                  <TextInput
                    data-testid="import-header-fields"
                    label={t('import.headerFields')}
                    description={t('import.headerFieldsHint')}
                    value={options.headerFields.join(', ')}
                    disabled={options.headerLines === 0}
                    onChange={(e) => change({ headerFields: e.currentTarget.value.split(/[,、]\s*/) })}
                    onBlur={() => path && void runPreview(path, options, false)}
                  />
                </SimpleGrid>
              </Stack>
            )}

            {previewError === null && (
              <Stack gap={4}>
                <Text fw={600} size="sm">
                  {t('import.previewTitle', { count: Math.min(previewRows, preview.rows.length) })}
                </Text>
                <ScrollArea h={220} type="auto" data-testid="import-preview">
                  <Table striped withTableBorder withColumnBorders fz="xs" style={{ tableLayout: 'auto' }}>
                    <Table.Thead>
                      <Table.Tr>
                        {columns.map((c) => (
                          <Table.Th key={c} style={{ whiteSpace: 'nowrap' }}>
                            {c}
                          </Table.Th>
                        ))}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {preview.rows.slice(0, previewRows).map((row, i) => (
                        <Table.Tr key={i}>
                          {columns.map((c) => (
                            <Table.Td key={c} style={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={row[c]}>
                              {row[c]}
                            </Table.Td>
                          ))}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
              </Stack>
            )}

            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Select
                data-testid="import-text-column"
                label={t('import.textColumn')}
                withAsterisk
                data={columns}
                value={options.textColumn || null}
                allowDeselect={false}
                onChange={(v) => v && change({ textColumn: v })}
              />
              <Select
                data-testid="import-title-column"
                label={t('import.titleColumn')}
                placeholder={t('import.none')}
                data={columns}
                value={options.titleColumn}
                clearable
                allowDeselect={false}
                onChange={(v) => change({ titleColumn: v })}
              />
              <Select
                data-testid="import-label-column"
                label={t('import.labelColumn')}
                placeholder={t('import.none')}
                data={columns}
                value={options.labelColumn}
                clearable
                allowDeselect={false}
                onChange={(v) => change({ labelColumn: v })}
              />
              <MultiSelect
                data-testid="import-metadata-columns"
                label={t('import.metadataColumns')}
                placeholder={options.metadataColumns === null ? t('import.metadataAll') : undefined}
                data={columns.filter((c) => !used.has(c))}
                value={options.metadataColumns ?? []}
                clearable
                onChange={(v) => change({ metadataColumns: v.length ? v : null })}
              />
            </SimpleGrid>

            <SimpleGrid cols={{ base: 2, md: 5 }}>
              {(['train', 'dev', 'test'] as const).map((name, i) => (
                <NumberInput
                  key={name}
                  label={t(`splits.${name}`)}
                  description={t(`import.splitHint.${name}`)}
                  min={0}
                  max={1}
                  step={0.05}
                  decimalScale={3}
                  value={options.split[i]}
                  error={Math.abs(splitSum - 1) > 1e-6 && i === 2 ? t('import.splitSum') : undefined}
                  onChange={(v) => {
                    const split = [...options.split] as [number, number, number];
                    split[i] = typeof v === 'number' ? v : 0;
                    change({ split });
                  }}
                />
              ))}
              <NumberInput
                label={t('import.seed')}
                description={t('import.seedHint')}
                min={0}
                max={4294967295}
                allowDecimal={false}
                value={options.seed}
                onChange={(v) => change({ seed: typeof v === 'number' ? v : 0 })}
              />
              <Switch
                mt="xl"
                label={t('import.skipBadRows')}
                description={t('import.skipBadRowsHint')}
                checked={options.skipBadRows}
                onChange={(e) => change({ skipBadRows: e.currentTarget.checked })}
              />
            </SimpleGrid>

            <TextInput
              data-testid="import-name"
              label={t('import.name')}
              withAsterisk
              value={options.name}
              onChange={(e) => change({ name: e.currentTarget.value })}
            />
          </>
        )}

        <ErrorAlert error={error} />

        <Group justify="flex-end">
          <Button variant="default" onClick={() => app.setImportOpen(false)}>
            {t('common.cancel')}
          </Button>
          <Button
            data-testid="import-start"
            loading={busy === 'start'}
            disabled={!preview || previewError !== null || busy !== null || !options.textColumn || !options.name.trim()}
            onClick={() => void start()}
          >
            {t('import.start')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
