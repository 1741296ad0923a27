// The layer sweep (the study's Figure 2): a start card (the model, the heads and encoder modes, the
// layers, the learning rates of frozen and trained points, epochs, batch size, CNN channels, with
// the number of runs it trains), the sweeps' runs table, and a sweep's page: F1 against the layer,
// one line per (head, encoder), for NER, RE or RE+ on dev or test, and every point as a table (CSV,
// LaTeX) whose rows open the point's own entities run.
import { Badge, Button, Card, Checkbox, Code, Group, Menu, NumberInput, ScrollArea, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  encoderModes,
  entityHeads,
  entityTrainDefaults,
  layerSweepConfigSchema,
  sweepLayers,
  type EncoderMode,
  type EntityHead,
  type LayerSweepPoint,
  type LayerSweepRunInfo,
  type ModelInfo,
  type Output,
} from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { textBytes } from '../../charts/csv';
import { downloadBytes } from '../../charts/download';
import { formatScore } from '../../format';
import { RunPageShell } from '../../runs/RunPageShell';
import { RunsTable, type RunColumn } from '../../runs/RunsTable';
import { RunStatusBadge } from '../../runs/RunStatusBadge';
import { StartCard } from '../../runs/StartCard';
import { useRun, useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { inspectModel } from '../../state/modelInfo';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ModelPicker } from '../../ui/ModelPicker';
import { Fact } from '../../ui/Fact';
import { tasks, type Task } from './entityCharts';
import { parseRates, ratesText } from './entityConfig';
import { parseLayers, sweepChart, sweepCsv, sweepLatex, sweepRows, type SweepSplit } from './sweepCharts';

export function LayerSweepTab(props: { onOpen(runId: number): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const list = useRuns('layerSweep', null);
  const done = (r: LayerSweepRunInfo) => r.points.filter((p) => p.status === 'done').length;
  const details: RunColumn<LayerSweepRunInfo>[] = [
    { key: 'heads', header: t('entities.sweep.columns.heads'), cell: (r) => r.config.heads.map((h) => t(`entities.headsShort.${h}`)).join(t('common.listSeparator')) },
    { key: 'encoders', header: t('entities.sweep.columns.encoders'), cell: (r) => r.config.encoders.map((e) => t(`entities.encoders.${e}`)).join(t('common.listSeparator')) },
    { key: 'layers', header: t('entities.sweep.columns.layers'), cell: (r) => r.layers.join(', '), maxWidth: 160 },
  ];
  const metrics: RunColumn<LayerSweepRunInfo>[] = [
    { key: 'points', header: t('entities.sweep.columns.points'), align: 'right', testId: 'sweep-points-done', cell: (r) => t('entities.sweep.pointsDone', { done: done(r), count: r.points.length }) },
  ];
  return (
    <Stack gap="md" data-testid="entities-sweep">
      <SweepStart onStarted={list.reload} onGoToModels={props.onGoToModels} />
      <RunsTable kind="layerSweep" namespace="entities.sweep" runs={list} details={details} metrics={metrics} onOpen={props.onOpen} />
    </Stack>
  );
}

function SweepStart(props: { onStarted(): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const d = entityTrainDefaults;
  const [modelPath, setModelPath] = useState(app.settings.models[0] ?? '');
  const [heads, setHeads] = useState<EntityHead[]>([...entityHeads]);
  const [encoders, setEncoders] = useState<EncoderMode[]>(['frozen', 'full']);
  const [layersText, setLayersText] = useState('');
  const [ratesFrozen, setRatesFrozen] = useState(ratesText(d.learningRatesFrozen));
  const [ratesTrained, setRatesTrained] = useState(ratesText(d.learningRatesTrained));
  const [epochs, setEpochs] = useState(d.epochs);
  const [batchSize, setBatchSize] = useState(d.batchSize);
  const [channels, setChannels] = useState(d.cnn.channels);
  const [name, setName] = useState('');
  const [schema, setSchema] = useState<{ corpusId: number; value: Output<'entities.schema'> } | null>(null);
  const [model, setModel] = useState<{ path: string; info: ModelInfo } | null>(null);

  useEffect(() => {
    if (!modelPath && app.settings.models[0]) setModelPath(app.settings.models[0]);
  }, [app.settings.models, modelPath]);

  useLiveEffect((isLive) => {
    const corpusId = app.corpusId;
    if (!corpusId) return;
    app.api.call('entities.schema', { corpusId }).then(
      (value) => isLive() && setSchema({ corpusId, value }),
      () => isLive() && setSchema({ corpusId, value: null }),
    );
  }, [app.api, app.corpusId]);

  useLiveEffect((isLive) => {
    if (!modelPath) return;
    inspectModel(app.api, modelPath).then(
      (info) => isLive() && setModel({ path: modelPath, info }),
      () => isLive() && setModel(null),
    );
  }, [app.api, modelPath]);

  const corpusSchema = schema && schema.corpusId === app.corpusId ? schema.value : undefined;
  const info = model?.path === modelPath ? model.info : null;
  const layers = parseLayers(layersText);
  const frozen = parseRates(ratesFrozen);
  const trained = parseRates(ratesTrained);
  const usesFrozen = encoders.includes('frozen');
  const usesTrained = encoders.some((e) => e !== 'frozen');
  const config = {
    corpusId: app.corpusId ?? 0,
    modelPath,
    heads,
    encoders,
    layers: layers === 'invalid' ? null : layers,
    learningRatesFrozen: frozen ?? d.learningRatesFrozen,
    learningRatesTrained: trained ?? d.learningRatesTrained,
    epochs,
    batchSize,
    cnn: { channels },
    name: name.trim(),
  };
  const parsed = layerSweepConfigSchema.safeParse(config);
  const tooDeep = info && Array.isArray(layers) ? layers.some((l) => l > info.layers) : false;
  const swept = info ? sweepLayers(layers === 'invalid' ? null : layers, info.layers) : Array.isArray(layers) ? layers : null;
  const runs = swept ? heads.length * encoders.length * swept.length : null;
  const ready =
    !!app.corpusId && !!corpusSchema && !!modelPath && parsed.success && layers !== 'invalid' && !tooDeep && !(usesFrozen && frozen === null) && !(usesTrained && trained === null);

  const num = (testId: string, label: string, hint: string, value: number, onChange: (v: number) => void, o: { min?: number; max?: number } = {}) => (
    <NumberInput data-testid={testId} label={label} description={hint} value={value} min={o.min} max={o.max} onChange={(v) => typeof v === 'number' && Number.isFinite(v) && onChange(v)} />
  );

  return (
    <StartCard
      namespace="entities.sweep"
      testId="sweep"
      intro
      ready={ready}
      start={() => app.api.call('entities.layerSweep', config)}
      onStarted={props.onStarted}
      left={
        <>
          {corpusSchema === null && (
            <Text size="sm" c="red" data-testid="sweep-corpus-unannotated">
              {t('entities.schema.none')}
            </Text>
          )}
          <ModelPicker testId="sweep-model" strings="entities.wizard" value={modelPath} onChange={setModelPath} onGoToModels={props.onGoToModels} />
          <Checkbox.Group label={t('entities.sweep.start.heads')} description={t('entities.sweep.start.headsHint')} value={heads} onChange={(v) => setHeads(entityHeads.filter((h) => v.includes(h)))}>
            <Group gap="md" mt="xs">
              {entityHeads.map((h) => (
                <Checkbox key={h} value={h} data-testid={`sweep-head-${h}`} label={t(`entities.heads.${h}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group label={t('entities.sweep.start.encoders')} description={t('entities.sweep.start.encodersHint')} value={encoders} onChange={(v) => setEncoders(encoderModes.filter((m) => v.includes(m)))}>
            <Group gap="md" mt="xs">
              {encoderModes.map((m) => (
                <Checkbox key={m} value={m} data-testid={`sweep-encoder-${m}`} label={t(`entities.encoders.${m}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <TextInput
            data-testid="sweep-layers"
            label={t('entities.sweep.start.layers')}
            description={info ? t('entities.sweep.start.layersHintModel', { layers: sweepLayers(null, info.layers).join(', ') }) : t('entities.sweep.start.layersHint')}
            placeholder={info ? sweepLayers(null, info.layers).join(', ') : '0, 2, 4, …'}
            value={layersText}
            error={layers === 'invalid' ? t('entities.sweep.start.layersInvalid') : tooDeep && info ? t('entities.sweep.start.layersTooDeep', { count: info.layers }) : undefined}
            onChange={(e) => setLayersText(e.currentTarget.value)}
          />
        </>
      }
      right={
        <>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput
              data-testid="sweep-rates-frozen"
              label={t('entities.sweep.start.ratesFrozen')}
              description={t('entities.sweep.start.ratesFrozenHint', { value: ratesText(d.learningRatesFrozen) })}
              value={ratesFrozen}
              disabled={!usesFrozen}
              error={usesFrozen && frozen === null ? t('entities.wizard.ratesInvalid') : undefined}
              onChange={(e) => setRatesFrozen(e.currentTarget.value)}
            />
            <TextInput
              data-testid="sweep-rates-trained"
              label={t('entities.sweep.start.ratesTrained')}
              description={t('entities.sweep.start.ratesTrainedHint', { value: ratesText(d.learningRatesTrained) })}
              value={ratesTrained}
              disabled={!usesTrained}
              error={usesTrained && trained === null ? t('entities.wizard.ratesInvalid') : undefined}
              onChange={(e) => setRatesTrained(e.currentTarget.value)}
            />
            {num('sweep-epochs', t('entities.wizard.epochs'), t('entities.wizard.epochsHint', { value: d.epochs }), epochs, setEpochs, { min: 1, max: 1000 })}
            {num('sweep-batch-size', t('entities.wizard.batchSize'), t('entities.wizard.batchSizeHint', { value: d.batchSize }), batchSize, setBatchSize, { min: 1, max: 4096 })}
            {heads.includes('cnn') &&
              num('sweep-cnn-channels', t('entities.wizard.cnnChannels'), t('entities.wizard.cnnChannelsHint', { value: d.cnn.channels }), channels, setChannels, { min: 1, max: 4096 })}
            <TextInput data-testid="sweep-name" label={t('entities.wizard.name')} description={t('entities.wizard.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          </SimpleGrid>
          <Text size="sm" data-testid="sweep-run-count" data-count={runs ?? ''}>
            {runs === null
              ? t('entities.sweep.start.runsUnknown')
              : t('entities.sweep.start.runs', { count: runs, heads: heads.length, encoders: encoders.length, layers: swept?.length ?? 0 })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('entities.sweep.start.otherSettings')} <Code>{'shirabe ner-sweep <project> --config sweep.json'}</Code>
          </Text>
        </>
      }
    />
  );
}

export function LayerSweepRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void; onOpenPoint(runId: number): void }) {
  const { t } = useTranslation();
  const run = useRun('layerSweep', props.runId);
  const { reload, jobActive } = run;
  // The points change as the job trains them: read the sweep again every few seconds while it runs.
  useEffect(() => {
    if (!jobActive) return;
    const timer = window.setInterval(reload, 5000);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobActive]);
  return (
    <RunPageShell
      kind="layerSweep"
      namespace="entities.sweep"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      progressNote={run.detail && ` · ${t('entities.sweep.pointsDone', { done: run.detail.points.filter((p) => p.status === 'done').length, count: run.detail.points.length })}`}
      parts={(d) => ({
        subtitle: t('entities.sweep.run.subtitle', {
          corpus: d.corpusName,
          model: d.config.modelPath.split(/[\\/]/).filter(Boolean).pop() ?? d.config.modelPath,
          layers: d.layers.join(', '),
          count: d.points.length,
        }),
        interrupted: t('entities.sweep.run.interrupted', { done: d.points.filter((p) => p.status === 'done').length, count: d.points.length }),
        body: (
          <>
            <SweepFigure points={d.points} runId={d.id} />
            <SweepPoints points={d.points} runId={d.id} name={d.name} onOpen={props.onOpenPoint} />
          </>
        ),
        record: {
          lead: (
            <Fact breakAll label={t('entities.record.seed')}>
              {d.config.train.seed}
            </Fact>
          ),
          middle: (
            <Fact breakAll label={t('entities.record.model')}>
              {d.config.modelPath}
            </Fact>
          ),
          checkpoint: null,
          footer: (
            <>
              <Code block mt="xs" data-testid="run-config" style={{ maxHeight: 260, overflow: 'auto' }}>
                {JSON.stringify(d.config, null, 2)}
              </Code>
            </>
          ),
        },
      })}
    />
  );
}

function SweepFigure({ points, runId }: { points: LayerSweepPoint[]; runId: number }) {
  const { t } = useTranslation();
  const [task, setTask] = useState<Task>('rePlus');
  const [split, setSplit] = useState<SweepSplit>('test');
  const chart = useMemo(
    () => sweepChart(points, task, split, { layer: t('entities.sweep.chart.layer'), f1: t('entities.sweep.chart.f1', { task: t(`entities.tasks.${task}`) }), line: (h, e) => `${t(`entities.headsShort.${h}`)} · ${t(`entities.encoders.${e}`)}` }),
    [points, task, split, t],
  );
  const any = points.some((p) => p.status === 'done' && p[split]);
  return (
    <Card withBorder data-testid="sweep-figure">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('entities.sweep.chart.title')}</Text>
        <Group gap="xs">
          <SegmentedControl data-testid="sweep-task" size="xs" value={task} onChange={(v) => setTask(v as Task)} data={tasks.map((k) => ({ value: k, label: t(`entities.tasks.${k}`) }))} />
          <SegmentedControl
            data-testid="sweep-split"
            size="xs"
            value={split}
            onChange={(v) => setSplit(v as SweepSplit)}
            data={[
              { value: 'test', label: t('entities.results.test') },
              { value: 'dev', label: t('entities.results.dev') },
            ]}
          />
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('entities.sweep.chart.legendNote')}
      </Text>
      {any ? (
        <Chart testId="chart-sweep" exportTestId="chart-sweep-export" title={t('entities.sweep.chart.figureTitle', { task: t(`entities.tasks.${task}`), split: t(`entities.results.${split}`) })} fileName={`layer-sweep-${runId}-${split}-${task}`} option={chart.option} csv={chart.csv} height={360} />
      ) : (
        <Text size="sm" c="dimmed" data-testid="sweep-no-points">
          {t('entities.sweep.chart.empty')}
        </Text>
      )}
    </Card>
  );
}

function SweepPoints({ points, runId, name, onOpen }: { points: LayerSweepPoint[]; runId: number; name: string; onOpen(runId: number): void }) {
  const { t } = useTranslation();
  const status = (s: LayerSweepPoint['status']) => (s === 'pending' ? t('entities.sweep.pending') : t(`runs.status.${s}`));
  const rows = sweepRows(points, { head: (h) => t(`entities.headsShort.${h}`), encoder: (e) => t(`entities.encoders.${e}`), status });
  // The same order as the rows, to open each row's run and show its badge.
  const ordered = sweepRows(points, { head: (h) => h, encoder: (e) => e, status: (s) => s }).map((r) => points.find((p) => p.layer === r[0] && p.head === r[1] && p.encoder === r[2])!);
  const taskNames = { ner: t('entities.tasks.ner'), re: t('entities.tasks.re'), rePlus: t('entities.tasks.rePlus') };
  const save = (kind: 'csv' | 'latex') => {
    const file = `layer-sweep-${runId}-points`;
    if (kind === 'csv') downloadBytes(textBytes(sweepCsv(rows)), `${file}.csv`, 'text/csv;charset=utf-8');
    else {
      const headings = { layer: t('entities.sweep.table.layer'), head: t('entities.columns.head'), encoder: t('entities.columns.encoder'), dev: t('entities.results.dev'), test: t('entities.results.test'), tasks: taskNames };
      downloadBytes(new TextEncoder().encode(sweepLatex(rows, headings, t('entities.sweep.table.caption', { name }))), `${file}.tex`, 'application/x-tex;charset=utf-8');
    }
  };
  return (
    <Card withBorder data-testid="sweep-points">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('entities.sweep.table.title')}</Text>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-xs" variant="default" data-testid="sweep-points-export">
              {t('entities.results.export')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item data-testid="sweep-points-export-csv" onClick={() => save('csv')}>
              {t('entities.results.csv')}
            </Menu.Item>
            <Menu.Item data-testid="sweep-points-export-latex" onClick={() => save('latex')}>
              {t('entities.results.latex')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <ScrollArea.Autosize mah={520} type="auto">
        <Table fz="sm" withTableBorder striped highlightOnHover data-testid="sweep-points-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">{t('entities.sweep.table.layer')}</Table.Th>
              <Table.Th>{t('entities.columns.head')}</Table.Th>
              <Table.Th>{t('entities.columns.encoder')}</Table.Th>
              <Table.Th>{t('runs.columns.status')}</Table.Th>
              {(['dev', 'test'] as const).flatMap((s) =>
                tasks.map((k) => (
                  <Table.Th key={`${s}-${k}`} ta="right">
                    {t('entities.sweep.table.score', { split: t(`entities.results.${s}`), task: taskNames[k] })}
                  </Table.Th>
                )),
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => {
              const p = ordered[i];
              return (
                <Table.Tr
                  key={`${p.head}-${p.encoder}-${p.layer}`}
                  data-testid="sweep-point-row"
                  data-status={p.status}
                  style={{ cursor: p.runId === null ? undefined : 'pointer' }}
                  title={p.runId === null ? undefined : t('entities.sweep.table.open')}
                  onClick={() => p.runId !== null && onOpen(p.runId)}
                >
                  <Table.Td ta="right">{r[0]}</Table.Td>
                  <Table.Td>{r[1]}</Table.Td>
                  <Table.Td>{r[2]}</Table.Td>
                  <Table.Td>
                    {p.status === 'pending' ? (
                      <Badge variant="light" color="gray">
                        {r[3]}
                      </Badge>
                    ) : (
                      <RunStatusBadge status={p.status} />
                    )}
                  </Table.Td>
                  {r.slice(4).map((v, k) => (
                    <Table.Td key={k} ta="right">
                      {v === '' ? '—' : formatScore(v as number)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Card>
  );
}
