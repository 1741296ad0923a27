import { Alert, Button, Code, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MissingModel } from '../../../../common/contract';
import { formatMegabytes, percentOf } from '../../format';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import type { WorkflowId } from '../types';

/**
 * A shared project's base models that are not on this computer: each downloaded again by the Hub id
 * and commit its runs recorded, or located by hand; either way its content hash is checked before
 * the runs are pointed at it.
 */
export function MissingModels({ bare = false, onResolved }: { bare?: boolean; onResolved?(): void } = {}) {
  const { t } = useTranslation();
  const app = useApp();
  const [missing, setMissing] = useState<MissingModel[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // Told once every model that was missing has been downloaded or located.
  const hadAny = useRef(false);
  const resolved = useRef(onResolved);
  resolved.current = onResolved;

  useEffect(() => {
    let live = true;
    app.api.call('hub.missing', {}).then(
      (m) => {
        if (!live) return;
        setMissing(m);
        if (m.length > 0) hadAny.current = true;
        else if (hadAny.current) resolved.current?.();
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [app.api, app.project?.path, version]);

  if (missing.length === 0 && !error) return null;
  const body = (
    <Stack gap="sm">
      <Text size="sm">{t('hub.missing.intro')}</Text>
      <ErrorAlert error={error} />
      {missing.map((m) => (
        <MissingModelRow key={`${m.path}\0${m.hash}`} model={m} onLinked={refresh} />
      ))}
    </Stack>
  );
  if (bare) return body;
  return (
    <Alert color="yellow" variant="light" title={t('hub.missing.title')} data-testid="missing-models">
      {body}
    </Alert>
  );
}

/**
 * Right after a project opens, over whatever page is shown: the models its runs recorded that are not
 * on this computer, each with Download (by the recorded id and commit) and Locate, the hash checked
 * either way. Shown once per opening; the Models page keeps the same list for later.
 */
export function MissingModelsOnOpen({ go }: { go(id: WorkflowId): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const path = app.project?.path ?? null;
  const [openFor, setOpenFor] = useState<string | null>(null);

  useEffect(() => {
    setOpenFor(null);
    if (!path) return;
    let live = true;
    app.api.call('hub.missing', {}).then(
      (m) => live && m.length > 0 && setOpenFor(path),
      // The Models page says why the list could not be read; nothing to interrupt the opening with.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [app.api, path]);

  const close = () => setOpenFor(null);
  return (
    <Modal opened={openFor !== null && openFor === path} onClose={close} title={t('hub.missing.title')} size="xl" data-testid="missing-on-open">
      {openFor !== null && (
        <Stack gap="md" data-testid="missing-on-open-body">
          <MissingModels bare onResolved={close} />
          <Group justify="flex-end" gap="xs">
            <Button
              variant="subtle"
              data-testid="missing-on-open-models"
              onClick={() => {
                close();
                go('models');
              }}
            >
              {t('hub.missing.showModels')}
            </Button>
            <Button variant="default" data-testid="missing-on-open-later" onClick={close}>
              {t('hub.missing.later')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
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
