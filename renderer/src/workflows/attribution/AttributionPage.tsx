// The Attribution view: the start panel (a fine-tuning run's or a model's class, a sentence
// embedding, or topic membership; documents by split or id; the integral's settings), the
// corpus's attribution runs, and one run's page with its documents and a document's heatmap.
import { Alert, Card, Checkbox, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  attributionDefaults,
  attributionRules,
  type AttributionBaselineKind,
  type AttributionConfig,
  type AttributionRule,
  type AttributionRunInfo,
  type AttributionTargetSpec,
  type Pooling,
} from '../../../../common/contract';
import { formatScore } from '../../format';
import { RunPageShell } from '../../runs/RunPageShell';
import { StartCard } from '../../runs/StartCard';
import { RunsTable, type RunColumn } from '../../runs/RunsTable';
import { useRun, useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { Fact } from '../../ui/Fact';
import { ClassifierSourcePicker, useClassifierSource } from '../../ui/ClassifierSource';
import type { WorkflowPageProps } from '../types';
import { DocumentHeatmap, type HeatmapView } from './DocumentHeatmap';
import { InformationPanel } from './InformationPanel';

export type AttributionScreen = { kind: 'runs' } | { kind: 'run'; runId: number; documentId: number | null };

type T = (key: string, options?: Record<string, unknown>) => string;

/** What a run explains, in words. */
export function targetText(t: T, target: AttributionTargetSpec): string {
  if (target.kind === 'class') {
    const output = t(`attribution.start.${target.output}`);
    return target.label === null ? t('attribution.targetText.predicted', { output }) : t('attribution.targetText.class', { label: target.label, output });
  }
  if (target.kind === 'embedding') {
    const estimate = target.estimate === null ? '' : t('attribution.targetText.estimate', { n: target.estimate });
    return t('attribution.targetText.embedding', { pooling: target.pooling, layer: target.layer, estimate });
  }
  return t('attribution.targetText.topic', { id: target.clusteringRunId });
}

export function AttributionPage({ state: screen, setState: onScreen, go }: WorkflowPageProps<AttributionScreen>) {
  if (screen.kind === 'run') {
    return (
      <AttributionRunPage
        key={screen.runId}
        runId={screen.runId}
        documentId={screen.documentId}
        onDocument={(documentId) => onScreen({ ...screen, documentId })}
        onBack={() => onScreen({ kind: 'runs' })}
        onOpenRun={(runId) => onScreen({ kind: 'run', runId, documentId: null })}
      />
    );
  }
  return <RunsView onOpen={(runId) => onScreen({ kind: 'run', runId, documentId: null })} go={go} />;
}

function RunsView(props: { onOpen(runId: number): void; go(id: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const runs = useRuns('attribution', app.corpusId);
  const details: RunColumn<AttributionRunInfo>[] = [
    { key: 'model', header: t('attribution.columns.model'), cell: (r) => r.model.name, maxWidth: 220 },
    { key: 'target', header: t('attribution.columns.target'), cell: (r) => targetText(t, r.config.target), maxWidth: 240 },
  ];
  const metrics: RunColumn<AttributionRunInfo>[] = [
    { key: 'done', header: t('attribution.columns.done'), align: 'right', testId: 'runs-done', cell: (r) => `${r.done} / ${r.documents.documents}` },
    { key: 'gap', header: t('attribution.columns.gap'), align: 'right', testId: 'runs-gap', cell: (r) => (r.gap ? `${(100 * r.gap.max).toFixed(2)}%` : '—') },
  ];
  return (
    <Stack gap="md" pb="md" data-testid="attribution-view">
      <div>
        <Title order={3}>{t('attribution.title')}</Title>
        <Text size="sm" c="dimmed" maw={860}>
          {t('attribution.intro')}
        </Text>
      </div>
      <StartPanel go={props.go} />
      <Text fw={600}>{t('attribution.runs.title')}</Text>
      <RunsTable kind="attribution" namespace="attribution.runs" runs={runs} details={details} metrics={metrics} onOpen={props.onOpen} />
      <InformationPanel runs={runs.runs ?? []} />
    </Stack>
  );
}

const numberOr = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function StartPanel(props: { go(id: string): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const corpusId = app.corpusId;
  const classifier = useClassifierSource(corpusId);
  const { sourceKind, runId, run, model } = classifier;
  const clusterings = (useRuns('cluster', corpusId).runs ?? []).filter((r) => r.status === 'done');
  const [targetKind, setTargetKind] = useState<'class' | 'embedding' | 'membership'>('class');
  const [label, setLabel] = useState<string>('');
  const [output, setOutput] = useState<'logit' | 'probability'>('logit');
  const [pooling, setPooling] = useState<Pooling>('mean');
  const [layer, setLayer] = useState(-1);
  const [estimate, setEstimate] = useState(false);
  const [projections, setProjections] = useState(attributionDefaults.estimate);
  const [clustering, setClustering] = useState<number | null>(null);
  const [split, setSplit] = useState<'train' | 'dev' | 'test' | 'all'>('test');
  const [limit, setLimit] = useState<number | ''>(20);
  const [ids, setIds] = useState('');
  const [baseline, setBaseline] = useState<AttributionBaselineKind>(attributionDefaults.baseline);
  const [steps, setSteps] = useState(attributionDefaults.steps);
  const [rule, setRule] = useState<AttributionRule>(attributionDefaults.rule);
  const [maxLength, setMaxLength] = useState(attributionDefaults.maxLength);
  const [batchSize, setBatchSize] = useState(attributionDefaults.batchSize);

  const clusteringId = clustering !== null && clusterings.some((c) => c.id === clustering) ? clustering : (clusterings[0]?.id ?? null);
  const source: AttributionConfig['source'] = targetKind === 'membership' ? null : sourceKind === 'run' ? (runId === null ? null : { kind: 'run', runId }) : model ? { kind: 'model', path: model } : null;
  const target: AttributionTargetSpec | null =
    targetKind === 'class'
      ? { kind: 'class', label: label || null, output }
      : targetKind === 'embedding'
        ? { kind: 'embedding', pooling, layer, estimate: estimate ? projections : null }
        : clusteringId === null
          ? null
          : { kind: 'membership', clusteringRunId: clusteringId };
  const idList = ids
    .split(/[,\s]+/)
    .filter((s) => s !== '')
    .map(Number);
  const idsValid = idList.every((n) => Number.isInteger(n) && n >= 0);
  const ready = corpusId !== null && target !== null && (source !== null || targetKind === 'membership') && idsValid;

  const start = async () => {
    if (!ready || corpusId === null || target === null) return;
    await app.api.call('attribution.start', {
      corpusId,
      source,
      target,
      documents: idList.length > 0 ? { kind: 'ids', ids: idList } : { kind: 'split', split: split === 'all' ? null : split, limit: limit === '' ? null : limit },
      baseline,
      steps,
      rule,
      batchSize,
      maxLength,
      truncation: 'head',
      seed: attributionDefaults.seed,
      name: '',
    });
  };

  return (
    <StartCard
      namespace="attribution"
      ready={ready}
      start={start}
      left={
        <>
          <SegmentedControl
            data-testid="attribution-target"
            value={targetKind}
            onChange={(v) => setTargetKind(v as typeof targetKind)}
            data={[
              { value: 'class', label: t('attribution.start.targetClass') },
              { value: 'embedding', label: t('attribution.start.targetEmbedding') },
              { value: 'membership', label: t('attribution.start.targetTopic') },
            ]}
          />
          {targetKind !== 'membership' && <ClassifierSourcePicker ns="attribution" source={classifier} onGoToModels={() => props.go('models')} />}
          {targetKind === 'class' && (
            <Group grow align="flex-start">
              <Select
                data-testid="attribution-class"
                label={t('attribution.start.class')}
                data={[{ value: '', label: t('attribution.start.predicted') }, ...(sourceKind === 'run' && run ? run.labels.map((l) => ({ value: l, label: l })) : [])]}
                value={label}
                allowDeselect={false}
                onChange={(v) => setLabel(v ?? '')}
              />
              <Select
                data-testid="attribution-output"
                label={t('attribution.start.output')}
                data={(['logit', 'probability'] as const).map((o) => ({ value: o, label: t(`attribution.start.${o}`) }))}
                value={output}
                allowDeselect={false}
                onChange={(v) => v && setOutput(v as 'logit' | 'probability')}
              />
            </Group>
          )}
          {targetKind === 'embedding' && (
            <>
              <Group grow align="flex-start">
                <Select data-testid="attribution-pooling" label={t('attribution.start.pooling')} data={['cls', 'mean', 'last', 'max']} value={pooling} allowDeselect={false} onChange={(v) => v && setPooling(v as Pooling)} />
                <NumberInput data-testid="attribution-layer" label={t('attribution.start.layer')} description={t('attribution.start.layerHint')} value={layer} min={-100} max={100} onChange={(v) => setLayer(numberOr(v, -1))} />
              </Group>
              <Group align="flex-end" wrap="nowrap">
                <Checkbox data-testid="attribution-estimate" label={t('attribution.start.estimate')} description={t('attribution.start.estimateHint')} checked={estimate} onChange={(e) => setEstimate(e.currentTarget.checked)} style={{ flex: 1 }} />
                {estimate && <NumberInput data-testid="attribution-projections" label={t('attribution.start.projections')} value={projections} min={8} max={4096} w={120} onChange={(v) => setProjections(numberOr(v, attributionDefaults.estimate))} />}
              </Group>
            </>
          )}
          {targetKind === 'membership' &&
            (clusterings.length === 0 ? (
              <Alert color="yellow" variant="light">
                {t('attribution.start.noClusterings')}
              </Alert>
            ) : (
              <Select
                data-testid="attribution-clustering"
                label={t('attribution.start.clustering')}
                description={t('attribution.start.clusteringHint')}
                data={clusterings.map((c) => ({ value: String(c.id), label: `#${c.id} ${c.name}` }))}
                value={clusteringId === null ? null : String(clusteringId)}
                allowDeselect={false}
                onChange={(v) => v && setClustering(Number(v))}
              />
            ))}
        </>
      }
      right={
        <>
          <Group grow align="flex-start">
            <Select
              data-testid="attribution-split"
              label={t('attribution.start.split')}
              data={(['test', 'dev', 'train', 'all'] as const).map((s) => ({ value: s, label: s === 'all' ? t('attribution.start.all') : s }))}
              value={split}
              allowDeselect={false}
              onChange={(v) => v && setSplit(v as typeof split)}
            />
            <NumberInput data-testid="attribution-limit" label={t('attribution.start.limit')} description={t('attribution.start.limitHint')} value={limit} min={1} onChange={(v) => setLimit(typeof v === 'number' ? v : '')} />
          </Group>
          <TextInput data-testid="attribution-ids" label={t('attribution.start.ids')} description={t('attribution.start.idsHint')} value={ids} onChange={(e) => setIds(e.currentTarget.value)} error={idsValid ? undefined : true} />
          <Group grow align="flex-start">
            <Select
              data-testid="attribution-baseline"
              label={t('attribution.start.baseline')}
              description={t('attribution.start.baselineHint')}
              data={(['pad', 'mask', 'unk', 'zero'] as const).map((b) => ({ value: b, label: t(`attribution.start.baselines.${b}`) }))}
              value={baseline}
              allowDeselect={false}
              onChange={(v) => v && setBaseline(v as AttributionBaselineKind)}
            />
            <Select
              data-testid="attribution-rule"
              label={t('attribution.start.rule')}
              data={attributionRules.map((r) => ({ value: r, label: t(`attribution.start.rules.${r}`) }))}
              value={rule}
              allowDeselect={false}
              onChange={(v) => v && setRule(v as AttributionRule)}
            />
          </Group>
          <Group grow align="flex-start">
            <NumberInput data-testid="attribution-steps" label={t('attribution.start.steps')} value={steps} min={2} max={1000} onChange={(v) => setSteps(numberOr(v, attributionDefaults.steps))} />
            <NumberInput data-testid="attribution-max-length" label={t('attribution.start.maxLength')} value={maxLength} min={8} max={8192} onChange={(v) => setMaxLength(numberOr(v, attributionDefaults.maxLength))} />
            <NumberInput data-testid="attribution-batch-size" label={t('attribution.start.batchSize')} description={t('attribution.start.batchSizeHint')} value={batchSize} min={1} max={1024} onChange={(v) => setBatchSize(numberOr(v, attributionDefaults.batchSize))} />
          </Group>
        </>
      }
    />
  );
}

function AttributionRunPage(props: { runId: number; documentId: number | null; onDocument(id: number): void; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('attribution', props.runId);
  const [view, setView] = useState<HeatmapView>({ unit: 'word', pos: [] });
  return (
    <RunPageShell
      kind="attribution"
      namespace="attribution.runs"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      parts={(detail) => {
        const c = detail.config;
        const chosen = props.documentId ?? detail.attributed[0]?.documentId ?? null;
        return {
          subtitle: t('attribution.run.subtitle', {
            corpus: detail.corpusName,
            model: detail.model.name,
            target: targetText(t, c.target),
            rule: t(`attribution.start.rules.${c.rule}`),
            steps: c.steps,
            baseline: t(`attribution.start.baselines.${c.baseline}`),
          }),
          interrupted: t('attribution.run.checkpoint', { done: detail.done }),
          body: detail.attributed.length > 0 && (
            <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
              <Card withBorder p="xs">
                <Text fw={600} mb={4}>
                  {t('attribution.run.documents', { count: detail.attributed.length })}
                </Text>
                <Table.ScrollContainer minWidth={520} mah={520}>
                  <Table striped highlightOnHover fz="sm" data-testid="attribution-documents">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>ID</Table.Th>
                        <Table.Th>{t('attribution.run.title')}</Table.Th>
                        <Table.Th>{t('attribution.run.gold')}</Table.Th>
                        <Table.Th>{t('attribution.run.target')}</Table.Th>
                        {c.target.kind === 'class' && <Table.Th>{t('attribution.run.predicted')}</Table.Th>}
                        <Table.Th ta="right">{detail.signed ? t('attribution.run.fx') : t('attribution.run.change')}</Table.Th>
                        <Table.Th ta="right">
                          <Tooltip label={t('attribution.run.gapHint')} multiline w={260}>
                            <span>{t('attribution.run.gap')}</span>
                          </Tooltip>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {detail.attributed.map((d) => (
                        <Table.Tr
                          key={d.documentId}
                          data-testid="attribution-document-row"
                          data-document={d.documentId}
                          onClick={() => props.onDocument(d.documentId)}
                          style={{ cursor: 'pointer', fontWeight: d.documentId === chosen ? 600 : undefined }}
                        >
                          <Table.Td>{d.documentId}</Table.Td>
                          <Table.Td maw={220} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                            {d.title ?? ''}
                          </Table.Td>
                          <Table.Td>{d.label ?? ''}</Table.Td>
                          <Table.Td>{d.target}</Table.Td>
                          {c.target.kind === 'class' && <Table.Td c={d.predicted !== d.label ? 'red' : undefined}>{d.predicted}</Table.Td>}
                          <Table.Td ta="right">{formatScore(d.atInput)}</Table.Td>
                          <Table.Td ta="right" c={d.gap > attributionDefaults.gapWarning ? 'orange' : undefined}>
                            {(100 * d.gap).toFixed(2)}%
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              {chosen === null ? <Text c="dimmed">{t('attribution.run.choose')}</Text> : <DocumentHeatmap key={chosen} runId={detail.id} documentId={chosen} view={view} onView={setView} />}
            </SimpleGrid>
          ),
          record: {
            lead: <Fact label={t('attribution.columns.model')}>{`${detail.model.name} · ${detail.model.hash.slice(0, 12)}`}</Fact>,
            checkpoint: detail.checkpoint ? t('attribution.run.checkpoint', { done: detail.checkpoint.step }) : null,
          },
        };
      }}
    />
  );
}
