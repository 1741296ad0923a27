import { Alert, Button, Code, Group, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MissingModel } from '../../../../common/contract';
import { formatMegabytes, percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';

/**
 * A shared project's base models that are not on this computer: each downloaded again by the Hub id
 * and commit its runs recorded, or located by hand; either way its content hash is checked before
 * the runs are pointed at it.
 */
export function MissingModels() {
  const { t } = useTranslation();
  const app = useApp();
  const [missing, setMissing] = useState<MissingModel[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    app.api.call('hub.missing', {}).then(
      (m) => live && setMissing(m),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [app.api, app.project?.path, version]);

  if (missing.length === 0 && !error) return null;
  return (
    <Alert color="yellow" variant="light" title={t('hub.missing.title')} data-testid="missing-models">
      <Stack gap="sm">
        <Text size="sm">{t('hub.missing.intro')}</Text>
        <ErrorAlert error={error} />
        {missing.map((m) => (
          <MissingModelRow key={`${m.path}\0${m.hash}`} model={m} onLinked={refresh} />
        ))}
      </Stack>
    </Alert>
  );
}

function MissingModelRow({ model, onLinked }: { model: MissingModel; onLinked(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [location, setLocation] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = jobId ? (app.jobs.find((j) => j.id === jobId) ?? null) : null;
  const status = job?.status;

  // Once per finished job: the restored model joins the list and the row goes.
  const handled = useRef<string | null>(null);
  const { refreshSettings } = app;
  useEffect(() => {
    if (status !== 'done' || !jobId || handled.current === jobId) return;
    handled.current = jobId;
    void refreshSettings();
    onLinked();
  }, [status, jobId, refreshSettings, onLinked]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    }
  };
  const relink = (to: string) =>
    act(async () => {
      await app.api.call('hub.relink', { from: model.path, to });
      await app.refreshSettings();
      onLinked();
    });
  const restore = () =>
    act(async () => {
      const { jobId: started } = await app.api.call('hub.restore', { path: model.path });
      setJobId(started);
      await app.refreshJobs();
    });
  const running = job && (job.status === 'running' || job.status === 'queued');

  return (
    <Stack gap={6} data-testid="missing-model" data-path={model.path}>
      <div>
        <Text size="sm" fw={600}>
          {model.name}
        </Text>
        <Text size="xs" c="dimmed">
          {t('hub.missing.recorded', { path: model.path, hash: model.hash.slice(0, 12) })}
        </Text>
        <Text size="xs">{t('hub.missing.runs', { runs: model.runs.map((r) => r.name).join(t('common.listSeparator')) })}</Text>
        {model.source ? (
          <Text size="xs">
            {t('hub.missing.source')} <Code>{`${model.source.id}@${model.source.sha.slice(0, 12)}`}</Code>
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            {t('hub.missing.noSource')}
          </Text>
        )}
      </div>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        {model.found && (
          <Button size="xs" data-testid="missing-use-found" onClick={() => void relink(model.found!)}>
            {t('hub.missing.useFound')}
          </Button>
        )}
        {model.source && !model.found && (
          <Button size="xs" data-testid="missing-download" disabled={Boolean(running)} onClick={() => void restore()}>
            {t('hub.missing.download', { id: model.source.id })}
          </Button>
        )}
        <TextInput size="xs" placeholder={t('hub.missing.locatePlaceholder')} value={location} onChange={(e) => setLocation(e.currentTarget.value)} style={{ flex: 1 }} data-testid="missing-locate-path" />
        <Button size="xs" variant="default" disabled={!location.trim()} onClick={() => void relink(location.trim())} data-testid="missing-locate">
          {t('hub.missing.locate')}
        </Button>
      </Group>
      {job && running && (
        <Stack gap={2}>
          <Progress value={percentOf(job.done, job.total)} animated />
          <Text size="xs">{t('hub.progress', { done: formatMegabytes(job.done), total: formatMegabytes(job.total) })}</Text>
        </Stack>
      )}
      {job?.status === 'failed' && <ErrorAlert error={job.error} />}
      <ErrorAlert error={error} />
    </Stack>
  );
}
