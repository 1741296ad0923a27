// Editing a clustering's topics from its page: the edit calls with the relabelling job they may
// start watched to its end (the run is read again then), undo and redo with what they would take
// back, and the actions on documents selected on the map (move to a topic, a new topic, split).
import { Alert, Button, Card, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterRunDetail, TopicEdit, TopicInfo } from '../../../../common/contract';
import { studyWords } from '../../../../common/topicsTable';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';

type T = (key: string, options?: Record<string, unknown>) => string;

/** An edit as a researcher reads it in the undo button and the history. */
export function describeEdit(t: T, edit: TopicEdit): string {
  switch (edit.kind) {
    case 'rename':
      return edit.name.trim() ? t('topics.edit.what.rename', { cluster: edit.cluster, name: edit.name.trim() }) : t('topics.edit.what.unname', { cluster: edit.cluster });
    case 'pin':
      return t(edit.pinned ? 'topics.edit.what.pin' : 'topics.edit.what.unpin', { cluster: edit.cluster, word: edit.word });
    case 'merge':
      return t('topics.edit.what.merge', { clusters: edit.clusters.join(', ') });
    case 'split':
      return 'cluster' in edit.target
        ? t('topics.edit.what.splitTopic', { cluster: edit.target.cluster, parts: edit.parts })
        : t('topics.edit.what.splitDocuments', { count: edit.target.documentIds.length, parts: edit.parts });
    case 'move':
      return t('topics.edit.what.move', { count: edit.documentIds.length, to: edit.to ?? '+' });
  }
}

/** What a topic is called (on the map, in pickers): its name, else its pinned words and first study words. */
export function topicLabel(topic: TopicInfo | undefined, words = 3): string {
  if (!topic) return '';
  return topic.name ?? studyWords(topic, words).join('・');
}

export interface TopicEditor {
  apply(edit: TopicEdit): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** A call or its relabelling job is under way: no other edit until it ends. */
  busy: boolean;
  error: unknown;
}

/** Edits of one clustering; `reload` reads the run again once an edit is in force. */
export function useTopicEditor(runId: number, reload: () => void): TopicEditor {
  const app = useApp();
  const [calling, setCalling] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = jobId === null ? null : app.jobs.find((j) => j.id === jobId);

  useEffect(() => {
    if (!job || job.status === 'queued' || job.status === 'running') return;
    setJobId(null);
    if (job.status === 'failed' || job.status === 'cancelled') setError(job.error);
    reload();
    // Once per job end.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.status]);

  const call = async (f: () => Promise<{ jobId?: string | null }>) => {
    setError(null);
    setCalling(true);
    try {
      const r = await f();
      if (r.jobId) {
        setJobId(r.jobId);
        // The job list learns of the job by its events; ask now in case the first one came before the id.
        void app.refreshJobs();
      } else reload();
    } catch (err) {
      setError(err);
    } finally {
      setCalling(false);
    }
  };
  return {
    apply: (edit) => call(() => app.api.call('topics.edit', { runId, edit })),
    undo: () => call(async () => (await app.api.call('topics.undo', { runId }), {})),
    redo: () => call(async () => (await app.api.call('topics.redo', { runId }), {})),
    busy: calling || jobId !== null,
    error,
  };
}

/** Undo and redo with what they would take back, how many edits are in force, and the relabelling under way. */
export function EditBar({ run, editor }: { run: ClusterRunDetail; editor: TopicEditor }) {
  const { t } = useTranslation();
  const last = run.edits.at(-1);
  const next = run.redo[0];
  return (
    <Card withBorder data-testid="topic-edits" data-edits={run.edits.length} data-redo={run.redo.length} data-busy={editor.busy}>
      <Group justify="space-between" align="center">
        <Stack gap={2}>
          <Text fw={600}>{t('topics.edit.title')}</Text>
          <Text size="sm" c="dimmed" data-testid="topic-edits-count">
            {run.edits.length === 0 ? t('topics.edit.none') : t('topics.edit.count', { count: run.edits.length })}
          </Text>
        </Stack>
        <Group gap="xs">
          {editor.busy && (
            <Group gap={6} data-testid="topic-edit-busy">
              <Loader size="xs" />
              <Text size="sm">{t('topics.edit.relabelling')}</Text>
            </Group>
          )}
          <Button data-testid="topic-undo" size="xs" variant="default" disabled={!last || editor.busy} title={last ? t('topics.edit.undoWhat', { what: describeEdit(t, last.edit) }) : undefined} onClick={() => void editor.undo()}>
            {t('topics.edit.undo')}
          </Button>
          <Button data-testid="topic-redo" size="xs" variant="default" disabled={!next || editor.busy} title={next ? t('topics.edit.redoWhat', { what: describeEdit(t, next.edit) }) : undefined} onClick={() => void editor.redo()}>
            {t('topics.edit.redo')}
          </Button>
        </Group>
      </Group>
      {last && (
        <Text size="xs" mt={4} data-testid="topic-last-edit">
          {t('topics.edit.undoWhat', { what: describeEdit(t, last.edit) })}
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        {t('topics.edit.note')}
      </Text>
      <ErrorAlert error={editor.error} />
    </Card>
  );
}

/** What can be done with documents selected on the map: move them to a topic or a new one, or split them by k-means. */
export function SelectionEditActions({ documentIds, topics, editor }: { documentIds: number[]; topics: readonly TopicInfo[]; editor: TopicEditor }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<string | null>(null);
  if (documentIds.length === 0) return null;
  return (
    <Group gap="xs" data-testid="selection-actions" align="flex-end">
      <Select
        data-testid="selection-move-target"
        size="xs"
        w={220}
        label={t('topics.edit.moveTo')}
        data={topics.map((tp) => ({ value: String(tp.cluster), label: tp.cluster === -1 ? t('topics.list.noise') : `${tp.cluster}: ${topicLabel(tp, 2)}` }))}
        value={to}
        onChange={setTo}
        allowDeselect={false}
      />
      <Button data-testid="selection-move" size="xs" disabled={to === null || editor.busy} onClick={() => void editor.apply({ kind: 'move', documentIds, to: Number(to) })}>
        {t('topics.edit.move')}
      </Button>
      <Button data-testid="selection-new-topic" size="xs" variant="default" disabled={editor.busy} onClick={() => void editor.apply({ kind: 'move', documentIds, to: null })}>
        {t('topics.edit.moveNew')}
      </Button>
      <Button data-testid="selection-split" size="xs" variant="default" disabled={editor.busy || documentIds.length < 2} onClick={() => void editor.apply({ kind: 'split', target: { documentIds }, parts: 2 })}>
        {t('topics.edit.splitSelection')}
      </Button>
      {editor.busy && <Alert p={4} variant="transparent">{t('topics.edit.relabelling')}</Alert>}
    </Group>
  );
}
