// A clustering's quality and its topics: one row per cluster with its size, the study's label words
// beside the c-TF-IDF words, representative documents and the gold labels' shares as a small bar;
// with an editor, each topic can be renamed, split or merged with others, and its words pinned.
import { ActionIcon, Badge, Button, Card, Checkbox, Group, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClusterRunDetail, TopicInfo } from '../../../../common/contract';
import { okabeIto } from '../../charts/chartOptions';
import { formatScore } from '../../format';
import { useApp } from '../../state/AppContext';
import { Fact } from '../../ui/Fact';
import { topicLabel, type TopicEditor } from './TopicEditing';
import { clusterColour } from './TopicMap';
import { goldLabelsOf, noise, shareSegments } from './topicsMap';

export function QualityFacts({ run }: { run: ClusterRunDetail }) {
  const { t } = useTranslation();
  if (!run.editedQuality) return <QualityCard run={run} quality={run.quality} clusters={run.clusters} />;
  // After a merge, split or move: the edited assignment's quality first, the computed one beside it.
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
      <QualityCard run={run} quality={run.editedQuality} clusters={run.topics.filter((tp) => tp.cluster !== noise).length} title={t('topics.edit.editedQuality')} testId="topics-quality" />
      <QualityCard run={run} quality={run.quality} clusters={run.clusters} title={t('topics.edit.computedQuality')} testId="topics-quality-computed" />
    </SimpleGrid>
  );
}

function QualityCard({ run, quality: q, clusters, title, testId = 'topics-quality' }: { run: ClusterRunDetail; quality: ClusterRunDetail['quality']; clusters: number | null; title?: string; testId?: string }) {
  const { t } = useTranslation();
  const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '—' : x.toLocaleString(undefined, { maximumFractionDigits: digits }));
  return (
    <Card withBorder data-testid={testId}>
      <Text fw={600} mb="xs">
        {title ? `${t('topics.quality.title')} · ${title}` : t('topics.quality.title')}
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4, lg: 5 }} spacing="sm" verticalSpacing="xs">
        <Fact label={t('topics.quality.clusters')} testId="quality-clusters">
          {clusters ?? '—'}
        </Fact>
        <Fact label={t('topics.quality.silhouette')} testId="quality-silhouette">
          {formatScore(q?.silhouette)}
        </Fact>
        <Fact label={t('topics.quality.nmi')} testId="quality-nmi">
          {formatScore(q?.nmi)}
        </Fact>
        <Fact label={t('topics.quality.ari')} testId="quality-ari">
          {formatScore(q?.ari)}
        </Fact>
        <Fact label={t('topics.quality.purity')}>{formatScore(q?.purity)}</Fact>
        <Fact label={t('topics.quality.inertia')}>{num(q?.inertia)}</Fact>
        <Fact label={t('topics.quality.noise')}>{q ? q.noise.toLocaleString() : '—'}</Fact>
        <Fact label={t('topics.quality.liftStudy')}>{num(q?.lift.study)}</Fact>
        <Fact label={t('topics.quality.liftCtfidf')}>{num(q?.lift.ctfidf)}</Fact>
        <Fact label={t('topics.quality.vocabulary')}>{run.vocabulary?.toLocaleString() ?? '—'}</Fact>
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="xs">
        {t('topics.quality.note')}
      </Text>
    </Card>
  );
}

/** The gold labels of a cluster as one bar of coloured segments, each label one colour in every row. */
export function ShareBar({ gold, labels }: { gold: TopicInfo['gold']; labels: readonly string[] }) {
  const { t } = useTranslation();
  const segments = shareSegments(gold, labels);
  if (segments.length === 0) return <Text size="xs">—</Text>;
  return (
    <Stack gap={2} w={160}>
      <div data-testid="topic-gold-bar" style={{ display: 'flex', height: 10, borderRadius: 3, overflow: 'hidden', border: '1px solid var(--mantine-color-default-border)' }}>
        {segments.map((s) => (
          <Tooltip key={s.label} label={t('topics.list.share', { label: s.label, count: s.count.toLocaleString(), percent: Math.round(s.share * 100) })}>
            <div data-label={s.label} style={{ width: `${s.share * 100}%`, background: okabeIto[s.colour % okabeIto.length] }} />
          </Tooltip>
        ))}
      </div>
      <Text size="xs" c="dimmed" lineClamp={1}>
        {segments
          .slice(0, 2)
          .map((s) => `${s.label} ${Math.round(s.share * 100)}%`)
          .join(' · ')}
      </Text>
    </Stack>
  );
}

/** A topic's label words; pinned ones first and filled, each a toggle of its pin when `onPin` is given. */
function Words({ words, pinned, testId, onPin }: { words: TopicInfo['study']; pinned: readonly string[]; testId: string; onPin?: (word: string, pin: boolean) => void }) {
  const { t } = useTranslation();
  const shown = [...pinned.map((w) => ({ word: w, score: words.find((x) => x.word === w)?.score ?? null })), ...words.filter((w) => !pinned.includes(w.word))].slice(0, Math.max(10, pinned.length));
  return (
    <Group gap={4} data-testid={testId} maw={300}>
      {shown.map((w) => {
        const isPinned = pinned.includes(w.word);
        return (
          <Badge
            key={w.word}
            size="sm"
            variant={isPinned ? 'filled' : 'light'}
            color={isPinned ? 'blue' : 'gray'}
            tt="none"
            title={`${w.score === null ? '' : w.score.toFixed(3)}${onPin ? ` · ${t('topics.edit.pin')}` : ''}`}
            data-testid="topic-word"
            data-word={w.word}
            data-pinned={isPinned}
            style={onPin ? { cursor: 'pointer' } : undefined}
            onClick={onPin ? () => onPin(w.word, !isPinned) : undefined}
          >
            {isPinned ? `📌 ${w.word}` : w.word}
          </Badge>
        );
      })}
    </Group>
  );
}

/** A topic's name, and with an editor an inline rename. */
function TopicName({ topic, editor }: { topic: TopicInfo; editor?: TopicEditor }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null && editor) {
    const save = () => {
      void editor.apply({ kind: 'rename', cluster: topic.cluster, name: draft });
      setDraft(null);
    };
    return (
      <Group gap={4} wrap="nowrap">
        <TextInput
          data-testid="topic-name-input"
          size="xs"
          w={160}
          autoFocus
          placeholder={t('topics.edit.namePlaceholder')}
          value={draft}
          onChange={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') save();
            if (e.key === 'Escape') setDraft(null);
          }}
        />
        <Button data-testid="topic-name-save" size="compact-xs" onClick={save}>
          {t('topics.edit.save')}
        </Button>
      </Group>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" fw={topic.name ? 600 : 400} data-testid="topic-name">
        {topic.name ?? ''}
      </Text>
      {editor && (
        <ActionIcon data-testid="topic-rename" size="xs" variant="subtle" aria-label={t('topics.edit.rename')} title={t('topics.edit.rename')} disabled={editor.busy} onClick={() => setDraft(topic.name ?? topicLabel(topic, 2))}>
          ✎
        </ActionIcon>
      )}
    </Group>
  );
}

export function TopicList({ run, editor, actions }: { run: ClusterRunDetail; editor?: TopicEditor; actions?: React.ReactNode }) {
  const { t } = useTranslation();
  const app = useApp();
  const labels = useMemo(() => goldLabelsOf(run.topics), [run.topics]);
  const hasGold = labels.length > 0;
  // Topics ticked for a merge, in the order they were ticked (the first is kept).
  const [ticked, setTicked] = useState<number[]>([]);
  const present = ticked.filter((c) => run.topics.some((tp) => tp.cluster === c));
  const pin = (cluster: number) => (editor ? (word: string, pinned: boolean) => void editor.apply({ kind: 'pin', cluster, word, pinned }) : undefined);
  return (
    <Card withBorder data-testid="topic-list" data-topics={run.topics.length}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('topics.list.title', { count: run.topics.filter((tp) => tp.cluster !== noise).length })}</Text>
        <Group gap="xs">
          {editor && (
            <Tooltip label={t('topics.edit.mergeHint')}>
              <Button
                data-testid="topic-merge"
                size="xs"
                variant="default"
                disabled={present.length < 2 || editor.busy}
                onClick={() => {
                  void editor.apply({ kind: 'merge', clusters: present });
                  setTicked([]);
                }}
              >
                {t('topics.edit.merge', { count: present.length })}
              </Button>
            </Tooltip>
          )}
          {actions}
        </Group>
      </Group>
      {editor && (
        <Text size="xs" c="dimmed" mb="xs">
          {t('topics.edit.pin')}
        </Text>
      )}
      <ScrollArea type="auto">
        <Table striped withTableBorder fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              {editor && <Table.Th />}
              <Table.Th>{t('topics.list.cluster')}</Table.Th>
              <Table.Th ta="right">{t('topics.list.size')}</Table.Th>
              <Table.Th>{t('topics.list.study')}</Table.Th>
              <Table.Th>{t('topics.list.ctfidf')}</Table.Th>
              <Table.Th>{t('topics.list.representatives')}</Table.Th>
              {hasGold && <Table.Th>{t('topics.list.gold')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {run.topics.map((tp) => (
              <Table.Tr key={tp.cluster} data-testid="topic-row" data-cluster={tp.cluster} data-name={tp.name ?? ''} style={{ verticalAlign: 'top' }}>
                {editor && (
                  <Table.Td>
                    {tp.cluster !== noise && (
                      <Checkbox
                        data-testid="topic-tick"
                        size="xs"
                        aria-label={t('topics.edit.select', { cluster: tp.cluster })}
                        checked={ticked.includes(tp.cluster)}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setTicked((list) => (on ? [...list.filter((c) => c !== tp.cluster), tp.cluster] : list.filter((c) => c !== tp.cluster)));
                        }}
                      />
                    )}
                  </Table.Td>
                )}
                <Table.Td>
                  <Stack gap={4}>
                    <Group gap={6} wrap="nowrap">
                      <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: clusterColour(tp.cluster) }} />
                      {tp.cluster === noise ? t('topics.list.noise') : String(tp.cluster)}
                    </Group>
                    <TopicName topic={tp} editor={editor} />
                    {editor && tp.cluster !== noise && tp.size >= 2 && (
                      <Button data-testid="topic-split" size="compact-xs" variant="subtle" disabled={editor.busy} onClick={() => void editor.apply({ kind: 'split', target: { cluster: tp.cluster }, parts: 2 })}>
                        {t('topics.edit.split')}
                      </Button>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td ta="right" data-testid="topic-size">
                  {tp.size.toLocaleString()}
                </Table.Td>
                <Table.Td>
                  <Words words={tp.study} pinned={tp.pinned} testId="topic-study" onPin={pin(tp.cluster)} />
                </Table.Td>
                <Table.Td>
                  <Words words={tp.ctfidf} pinned={[]} testId="topic-ctfidf" onPin={pin(tp.cluster)} />
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} maw={320}>
                    {tp.representatives.slice(0, 3).map((r) => (
                      <Text
                        key={r.documentId}
                        size="xs"
                        lineClamp={1}
                        title={r.snippet}
                        style={{ cursor: 'pointer' }}
                        data-testid="topic-representative"
                        onClick={() => app.openDocument({ documentId: r.documentId })}
                      >
                        <b>{r.title ?? t('topics.list.untitled')}</b> {r.snippet}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                {hasGold && (
                  <Table.Td>
                    <ShareBar gold={tp.gold} labels={labels} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}
