import { Alert, Badge, Button, Card, Code, Collapse, Group, PasswordInput, Progress, ScrollArea, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubModelSummary, HubPlan, HubSettings } from '../../../../common/contract';
import { formatCount, formatEta, formatMegabytes, percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';

/** Pipeline tags and libraries to filter by (the Hub's own names, so they stay untranslated). */
const tasks = ['fill-mask', 'feature-extraction', 'sentence-similarity', 'text-classification', 'token-classification'];
const libraries = ['transformers', 'sentence-transformers'];

/** The Hugging Face Hub on the Models page: search, a model's files and needs, download with progress. */
export function HubBox() {
  const { t } = useTranslation();
  const app = useApp();
  const [settings, setSettings] = useState<HubSettings | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const [query, setQuery] = useState('');
  const [task, setTask] = useState<string | null>(null);
  const [library, setLibrary] = useState<string | null>('transformers');
  const [results, setResults] = useState<HubModelSummary[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    app.api.call('hub.settings', {}).then(setSettings, setError);
  }, [app.api]);

  const search = async () => {
    setSearching(true);
    setError(null);
    try {
      setResults(await app.api.call('hub.search', { query: query.trim(), task: task ?? undefined, library: library ?? undefined, limit: 30 }));
    } catch (err) {
      setError(err);
    } finally {
      setSearching(false);
    }
  };

  return (
    <Card withBorder data-testid="hub-box">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={4}>{t('hub.title')}</Title>
            <Text size="xs" c="dimmed">
              {settings ? t('hub.where', { endpoint: settings.endpoint, folder: settings.modelsFolder }) : t('hub.intro')}
            </Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            {settings?.offline && (
              <Badge color="orange" variant="light" data-testid="hub-offline">
                {t('hub.offlineBadge')}
              </Badge>
            )}
            {settings?.hasToken && (
              <Badge color="teal" variant="light">
                {t('hub.tokenBadge')}
              </Badge>
            )}
            <Button size="compact-sm" variant="default" data-testid="hub-settings-toggle" onClick={() => setShowSettings((s) => !s)}>
              {t('hub.settings')}
            </Button>
          </Group>
        </Group>
        <Collapse in={showSettings}>{settings && <HubSettingsForm settings={settings} onChange={setSettings} />}</Collapse>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            data-testid="hub-query"
            label={t('hub.query')}
            placeholder={t('hub.queryPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void search()}
            style={{ flex: 1 }}
          />
          <Select label={t('hub.task')} placeholder={t('hub.any')} data={tasks} value={task} onChange={setTask} clearable w={200} />
          <Select label={t('hub.library')} placeholder={t('hub.any')} data={libraries} value={library} onChange={setLibrary} clearable w={190} />
          <Button data-testid="hub-search" loading={searching} onClick={() => void search()}>
            {t('hub.search')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {results && results.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('hub.noResults')}
          </Text>
        )}
        {results && results.length > 0 && (
          <ScrollArea.Autosize mah={320}>
            <Table striped highlightOnHover data-testid="hub-results" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('hub.columns.id')}</Table.Th>
                  <Table.Th ta="right">{t('hub.columns.downloads')}</Table.Th>
                  <Table.Th ta="right">{t('hub.columns.likes')}</Table.Th>
                  <Table.Th>{t('hub.columns.license')}</Table.Th>
                  <Table.Th>{t('hub.columns.library')}</Table.Th>
                  <Table.Th>{t('hub.columns.task')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((m) => (
                  <Table.Tr key={m.id} data-testid="hub-result" data-id={m.id} bg={m.id === selected ? 'var(--mantine-primary-color-light)' : undefined}>
                    <Table.Td>
                      <Code>{m.id}</Code> {m.gated && <Badge size="xs" color="orange" variant="light">{t('hub.gated')}</Badge>}
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(m.downloads)}</Table.Td>
                    <Table.Td ta="right">{formatCount(m.likes)}</Table.Td>
                    <Table.Td>{m.license ?? '—'}</Table.Td>
                    <Table.Td>{m.library ?? '—'}</Table.Td>
                    <Table.Td>{m.pipelineTag ?? '—'}</Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="light" data-testid="hub-open" onClick={() => setSelected(m.id)}>
                        {t('hub.open')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        {selected && <HubModel key={selected} id={selected} />}
      </Stack>
    </Card>
  );
}

/** One model: its commit, files, whether Shirabe runs it and what it needs; then the download as a job. */
function HubModel({ id }: { id: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const [revision, setRevision] = useState('main');
  const [plan, setPlan] = useState<HubPlan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = jobId ? (app.jobs.find((j) => j.id === jobId) ?? null) : null;

  const load = async (rev: string) => {
    setLoading(true);
    setError(null);
    setPlan(null);
    try {
      setPlan(await app.api.call('hub.plan', { id, revision: rev || undefined }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load('main');
    // Once per model; the revision box reloads on demand.
  }, [id]);

  // A finished download joins the Models page's list (the backend added it to the settings): reloaded once per job.
  const status = job?.status;
  const refreshed = useRef<string | null>(null);
  const { refreshSettings } = app;
  useEffect(() => {
    if (status !== 'done' || !jobId || refreshed.current === jobId) return;
    refreshed.current = jobId;
    void refreshSettings();
  }, [status, jobId, refreshSettings]);

  const download = async () => {
    setError(null);
    try {
      const { jobId: started } = await app.api.call('hub.download', { id, revision: revision || undefined });
      setJobId(started);
      await app.refreshJobs();
    } catch (err) {
      setError(err);
    }
  };

  // MiB below a gibibyte (a small model's 6 MiB, never "0.0 GB"), GiB above.
  const memory = (bytes: number) => (bytes < 2 ** 30 ? t('hub.megabytes', { value: formatMegabytes(bytes) }) : t('hub.gigabytes', { value: (bytes / 2 ** 30).toFixed(1) }));
  const running = job && (job.status === 'running' || job.status === 'queued');
  const result = job && job.kind === 'hubDownload' && job.status === 'done' ? job.result : null;

  return (
    <Card withBorder bg="var(--mantine-color-body)" data-testid="hub-model" data-id={id}>
      <Stack gap="sm">
        <Group align="flex-end" wrap="nowrap">
          <div style={{ flex: 1, minWidth: 0 }}>
            <Title order={5}>{id}</Title>
            {plan && (
              <Text size="xs" c="dimmed">
                {t('hub.commit', { sha: plan.sha, revision: plan.revision })}
              </Text>
            )}
          </div>
          <TextInput size="xs" label={t('hub.revision')} description={t('hub.revisionHint')} value={revision} onChange={(e) => setRevision(e.currentTarget.value)} w={220} />
          <Button size="xs" variant="default" loading={loading} onClick={() => void load(revision)}>
            {t('hub.reload')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {plan && (
          <>
            <Group gap="xl">
              <Fact label={t('hub.fields.modelType')}>{plan.modelType ?? '—'}</Fact>
              <Fact label={t('hub.fields.parameters')}>{plan.parameters === null ? '—' : formatCount(plan.parameters)}</Fact>
              <Fact label={t('hub.fields.download')}>{t('hub.megabytes', { value: formatMegabytes(plan.totalBytes) })}</Fact>
              <Fact label={t('hub.fields.license')}>{plan.license ?? '—'}</Fact>
              {plan.memory && (
                <Fact label={t('hub.fields.memory')}>
                  <span data-testid="hub-memory">{t('hub.memoryValue', { inference: memory(plan.memory.inferenceBytes), fineTune: memory(plan.memory.fineTuneBytes) })}</span>
                </Fact>
              )}
            </Group>
            {plan.refusal && (
              <Alert color="red" variant="light" title={t('hub.refused')} data-testid="hub-refusal">
                {app.message(plan.refusal)}
              </Alert>
            )}
            <ScrollArea.Autosize mah={220}>
              <Table fz="xs" data-testid="hub-files">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('hub.columns.file')}</Table.Th>
                    <Table.Th ta="right">{t('hub.columns.size')}</Table.Th>
                    <Table.Th>{t('hub.columns.sha256')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.files.map((f) => (
                    <Table.Tr key={f.path} c={plan.selected.includes(f.path) ? undefined : 'dimmed'}>
                      <Table.Td>
                        <Code>{f.path}</Code>
                      </Table.Td>
                      <Table.Td ta="right">{f.size === null ? '—' : f.size < 2 ** 20 ? t('hub.kilobytes', { value: (f.size / 1024).toFixed(1) }) : t('hub.megabytes', { value: formatMegabytes(f.size) })}</Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace" title={f.sha256 ?? f.gitSha1 ?? ''}>
                          {f.sha256 ? f.sha256.slice(0, 16) : '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>{plan.selected.includes(f.path) && <Badge size="xs" variant="light">{t('hub.willDownload')}</Badge>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            <Text size="xs" c="dimmed">
              {t('hub.target', { path: plan.target })}
            </Text>
            {plan.downloaded && !result ? (
              <Alert color="teal" variant="light" data-testid="hub-already">
                {t('hub.already')}
              </Alert>
            ) : (
              !result && (
                <Group>
                  <Button data-testid="hub-download" disabled={plan.refusal !== null || Boolean(running)} onClick={() => void download()}>
                    {t('hub.download')}
                  </Button>
                </Group>
              )
            )}
          </>
        )}
        {job && running && (
          <Stack gap={4} data-testid="hub-progress">
            <Progress value={percentOf(job.done, job.total)} animated />
            <Group justify="space-between">
              <Text size="xs">
                {t('hub.progress', { done: formatMegabytes(job.done), total: formatMegabytes(job.total) })}
                {formatEta(job.etaSeconds) && ` · ${t('hub.eta', { eta: formatEta(job.etaSeconds) })}`}
              </Text>
              <Button size="compact-xs" variant="default" data-testid="hub-cancel" onClick={() => void app.api.call('jobs.cancel', { jobId: job.id })}>
                {t('hub.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
        {job?.status === 'cancelled' && (
          <Alert color="gray" variant="light" data-testid="hub-paused">
            {t('hub.paused')}
          </Alert>
        )}
        {job?.status === 'failed' && <ErrorAlert error={job.error} />}
        {result && (
          <Alert color="teal" variant="light" data-testid="hub-done">
            {t(result.already ? 'hub.doneAlready' : 'hub.done', { path: result.path })}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/** Endpoint, offline mode, models folder and the access token (kept by the OS keychain, never in a project). */
function HubSettingsForm({ settings, onChange }: { settings: HubSettings; onChange(s: HubSettings): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [endpoint, setEndpoint] = useState(settings.endpoint);
  const [folder, setFolder] = useState(settings.modelsFolder);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);

  const run = async (work: () => Promise<HubSettings>) => {
    setError(null);
    try {
      onChange(await work());
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap="xs" data-testid="hub-settings">
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          size="xs"
          label={t('hub.endpoint')}
          description={settings.fromEnv.endpoint ? t('hub.fromEnv', { name: 'HF_ENDPOINT' }) : t('hub.endpointHint')}
          disabled={settings.fromEnv.endpoint}
          value={endpoint}
          onChange={(e) => setEndpoint(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <TextInput size="xs" label={t('hub.modelsFolder')} description={t('hub.modelsFolderHint')} value={folder} onChange={(e) => setFolder(e.currentTarget.value)} style={{ flex: 1 }} />
        <Button
          size="xs"
          variant="default"
          onClick={() => void run(() => app.api.call('hub.setSettings', { endpoint: settings.fromEnv.endpoint ? undefined : endpoint.trim() || null, modelsFolder: folder.trim() || null }))}
        >
          {t('hub.save')}
        </Button>
      </Group>
      <Switch
        size="sm"
        label={t('hub.offline')}
        description={settings.fromEnv.offline ? t('hub.fromEnv', { name: 'HF_HUB_OFFLINE' }) : t('hub.offlineHint')}
        checked={settings.offline}
        disabled={settings.fromEnv.offline}
        data-testid="hub-offline-switch"
        onChange={(e) => {
          const offline = e.currentTarget.checked;
          void run(() => app.api.call('hub.setSettings', { offline }));
        }}
      />
      <Group align="flex-end" wrap="nowrap">
        <PasswordInput
          size="xs"
          label={t('hub.token')}
          description={settings.tokenSource === 'env' ? t('hub.fromEnv', { name: 'HF_TOKEN' }) : settings.hasToken ? t('hub.tokenKept') : t('hub.tokenHint')}
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button
          size="xs"
          variant="default"
          disabled={!token.trim()}
          onClick={() =>
            void run(async () => {
              const next = await app.api.call('hub.setToken', { token: token.trim() });
              setToken('');
              return next;
            })
          }
        >
          {t('hub.saveToken')}
        </Button>
        {settings.tokenSource === 'store' && (
          <Button size="xs" variant="default" onClick={() => void run(() => app.api.call('hub.setToken', { token: null }))}>
            {t('hub.forgetToken')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={error} />
    </Stack>
  );
}
