// The map of a clustering: every document of a map run as a point (ECharts' large mode and
// progressive rendering, so 100,000 points stay interactive), coloured by cluster with one series
// per cluster (the legend toggles clusters), the clusters' top study words drawn at their centres,
// the document id (and, fetched on demand, its title) on hover, and box or lasso selection that
// fills a linked table of the selected documents below the map.
import { Badge, Box, Button, Card, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentDetail, TopicInfo } from '../../../../common/contract';
import { echarts } from '../../charts/echarts';
import { okabeIto, withBase } from '../../charts/chartOptions';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { clusterCentres, clustersOfPoints, groupPoints, noise, pointsInAreas, unassigned, type BrushArea, type PointGroup } from './topicsMap';

/** A cluster's colour: Okabe–Ito in turn; noise and unclustered points grey. */
export function clusterColour(cluster: number): string {
  if (cluster === noise) return '#999999';
  if (cluster === unassigned) return '#bbbbbb';
  return okabeIto[cluster % okabeIto.length];
}

/** The words a cluster is known by: its first study words. */
export function topWords(topic: TopicInfo | undefined, count = 3): string {
  return (topic?.study ?? []).slice(0, count).map((w) => w.word).join('・');
}

type Tool = 'rect' | 'polygon' | 'pan';
const shownRows = 100;
const ringedAtMost = 3000;
const seriesId = (cluster: number) => `cluster-${cluster}`;

export function TopicMap(props: { mapRunId: number; clusterRunId: number | null; topics: readonly TopicInfo[] | null; height?: number }) {
  const { t } = useTranslation();
  const app = useApp();
  const dark = app.settings.theme === 'dark';
  const [points, setPoints] = useState<{ documentIds: Int32Array; coords: Float32Array } | null>(null);
  const [assignment, setAssignment] = useState<{ documentIds: Int32Array; clusters: Int32Array } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tool, setTool] = useState<Tool>('rect');
  const [selected, setSelected] = useState<number[]>([]);
  const holder = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const hidden = useRef(new Set<string>());
  const titles = useRef(new Map<number, DocumentDetail>());

  useLiveEffect((isLive) => {
    setPoints(null);
    setSelected([]);
    app.api.call('maps.points', { runId: props.mapRunId }).then(
      (p) => isLive() && setPoints(p),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, props.mapRunId]);
  useLiveEffect((isLive) => {
    setAssignment(null);
    if (props.clusterRunId === null) return;
    app.api.call('topics.assignments', { runId: props.clusterRunId }).then(
      (a) => isLive() && setAssignment(a),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, props.clusterRunId]);

  const clusters = useMemo(() => (points ? clustersOfPoints(points.documentIds, assignment) : null), [points, assignment]);
  const groups = useMemo(() => (points && clusters ? groupPoints(points.coords, clusters) : null), [points, clusters]);
  const centres = useMemo(() => (points && clusters ? clusterCentres(points.coords, clusters) : []), [points, clusters]);
  const topicOf = useMemo(() => new Map((props.topics ?? []).map((tp) => [tp.cluster, tp])), [props.topics]);
  const nameOf = (cluster: number) => {
    if (cluster === noise) return t('topics.mapView.noiseName');
    if (cluster === unassigned) return t('topics.mapView.unassignedName');
    const words = topWords(topicOf.get(cluster), 2);
    return words ? `${cluster}: ${words}` : t('topics.mapView.clusterName', { cluster });
  };
  const nameRef = useRef(nameOf);
  nameRef.current = nameOf;

  const option = useMemo<EChartsOption | null>(() => {
    if (!groups || !points) return null;
    const n = points.documentIds.length;
    const size = n > 20_000 ? 2 : n > 2_000 ? 4 : 7;
    const centreOf = new Map(centres.map((c) => [c.cluster, c]));
    const series = groups.map((g: PointGroup) => {
      const centre = centreOf.get(g.cluster);
      const words = topWords(topicOf.get(g.cluster));
      return {
        id: seriesId(g.cluster),
        name: nameOf(g.cluster),
        type: 'scatter' as const,
        // [x0, y0, x1, y1, …]: ECharts reads a typed array with its dimensions, without one object per point.
        data: g.data as unknown as number[],
        dimensions: ['x', 'y'],
        large: true,
        largeThreshold: 2000,
        progressive: 20_000,
        progressiveThreshold: 50_000,
        symbolSize: size,
        itemStyle: { color: clusterColour(g.cluster), opacity: g.cluster < 0 ? 0.45 : 0.75 },
        emphasis: { scale: false },
        markPoint:
          centre && words
            ? {
                silent: true,
                animation: false,
                symbol: 'circle',
                symbolSize: 1,
                itemStyle: { color: 'transparent' },
                label: {
                  show: true,
                  formatter: words,
                  fontSize: 12,
                  fontWeight: 'bold' as const,
                  color: '#222222',
                  backgroundColor: 'rgba(255,255,255,0.8)',
                  borderColor: clusterColour(g.cluster),
                  borderWidth: 1,
                  padding: [2, 4],
                  borderRadius: 3,
                },
                data: [{ coord: [centre.x, centre.y], name: words }],
              }
            : undefined,
      };
    });
    return {
      animation: false,
      grid: { left: 40, right: 190, top: 16, bottom: 30 },
      xAxis: { type: 'value', scale: true, name: t('topics.mapView.x'), splitLine: { show: false }, axisLine: { onZero: false } },
      yAxis: { type: 'value', scale: true, name: t('topics.mapView.y'), splitLine: { show: false }, axisLine: { onZero: false } },
      toolbox: { show: false },
      legend: { type: 'scroll', orient: 'vertical', right: 4, top: 8, bottom: 8, data: groups.map((g) => nameOf(g.cluster)) },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
        { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
      ],
      // Selection is worked out here from the brushed areas (pointsInAreas), so no series is brushed by ECharts itself.
      brush: { xAxisIndex: 'all', seriesIndex: [], throttleType: 'debounce', throttleDelay: 100, transformable: false, brushStyle: { borderWidth: 1, color: 'rgba(0,114,178,0.12)', borderColor: '#0072B2' } },
      tooltip: { trigger: 'item', confine: true, showDelay: 0, transitionDuration: 0 },
      series: [
        ...series,
        { id: 'selection', name: 'selection', type: 'scatter', data: [], symbolSize: size + 3, silent: true, itemStyle: { color: 'transparent', borderColor: dark ? '#ffffff' : '#000000', borderWidth: 1 }, large: true, largeThreshold: 2000 },
      ],
    } as EChartsOption;
    // nameOf reads topicOf and t, both listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [groups, points, centres, topicOf, t, dark]);

  // What the event handlers read, current without re-binding them.
  const state = useRef({ points, clusters, groups });
  state.current = { points, clusters, groups };

  useEffect(() => {
    const el = holder.current;
    if (!el || !option) return;
    const instance = echarts.init(el, dark ? 'dark' : null, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    instance.on('legendselectchanged', (e) => {
      const selectedMap = (e as { selected: Record<string, boolean> }).selected;
      hidden.current = new Set(Object.entries(selectedMap).filter(([, on]) => !on).map(([name]) => name));
    });
    instance.on('brushEnd', (e) => {
      const { points: p, clusters: c } = state.current;
      if (!p || !c) return;
      const areas = ((e as { areas?: { brushType: string; coordRange?: unknown }[] }).areas ?? []).filter((a) => a.coordRange && (a.brushType === 'rect' || a.brushType === 'polygon')) as BrushArea[];
      setSelected(pointsInAreas(p.coords, areas, c, (cluster) => !hidden.current.has(nameRef.current(cluster))));
    });
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
    // A new instance only for a new theme or once the first option is there; options are set below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dark, option !== null]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !option) return;
    const based = withBase(option, dark, false);
    const tooltipFormatter = (params: unknown, ticket: string, callback: (ticket: string, html: string) => void): string => {
      const { points: p, groups: gs } = state.current;
      const item = params as { seriesId?: string; dataIndex: number };
      const group = gs?.find((g) => seriesId(g.cluster) === item.seriesId);
      if (!p || !group) return '';
      const documentId = p.documentIds[group.points[item.dataIndex]];
      const head = `${escapeHtml(t('topics.mapView.tooltip', { id: documentId }))}<br/>${escapeHtml(nameRef.current(group.cluster))}`;
      const known = titles.current.get(documentId);
      if (known) return `${head}<br/><b>${escapeHtml(known.title ?? known.text.slice(0, 60))}</b>`;
      void app.api.call('corpus.document', { documentId }).then(
        (d) => {
          titles.current.set(documentId, d);
          callback(ticket, `${head}<br/><b>${escapeHtml(d.title ?? d.text.slice(0, 60))}</b>`);
        },
        () => undefined,
      );
      return head;
    };
    instance.setOption({ ...based, tooltip: { ...(based.tooltip as object), formatter: tooltipFormatter } } as EChartsOption, true);
    hidden.current = new Set();
    setSelected([]);
    instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: tool === 'pan' ? { brushType: false } : { brushType: tool, brushMode: 'single' } });
    // The tool is applied by its own effect; here only when the option is new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [option, dark, app.api, t]);

  useEffect(() => {
    chart.current?.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: tool === 'pan' ? { brushType: false } : { brushType: tool, brushMode: 'single' } });
  }, [tool]);

  // The selected points ringed on the map; a larger selection is shown by its brushed area alone (rings would hide the colours).
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !points) return;
    const ringed = selected.length <= ringedAtMost ? selected : [];
    const data = new Float32Array(2 * ringed.length);
    ringed.forEach((i, k) => {
      data[2 * k] = points.coords[2 * i];
      data[2 * k + 1] = points.coords[2 * i + 1];
    });
    instance.setOption({ series: [{ id: 'selection', data: data as unknown as number[], dimensions: ['x', 'y'] }] } as EChartsOption);
  }, [selected, points]);

  const clear = () => {
    chart.current?.dispatchAction({ type: 'brush', areas: [] });
    setSelected([]);
  };

  const count = points?.documentIds.length ?? 0;
  return (
    <Card withBorder data-testid="topic-map" data-points={count} data-clusters={groups?.filter((g) => g.cluster >= 0).length ?? 0} data-selected={selected.length}>
      <Group justify="space-between" mb="xs">
        <SegmentedControl
          data-testid="map-tool"
          size="xs"
          value={tool}
          onChange={(v) => setTool(v as Tool)}
          data={[
            { value: 'rect', label: t('topics.mapView.rect') },
            { value: 'polygon', label: t('topics.mapView.lasso') },
            { value: 'pan', label: t('topics.mapView.pan') },
          ]}
        />
        <Button data-testid="map-clear" size="compact-xs" variant="default" disabled={selected.length === 0} onClick={clear}>
          {t('topics.mapView.clear')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
      {!points && !error && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            {t('topics.mapView.loading')}
          </Text>
        </Group>
      )}
      <Box ref={holder} data-testid="topic-map-canvas" style={{ width: '100%', height: points ? (props.height ?? 560) : 0 }} />
      <Text size="xs" c="dimmed" mt={4}>
        {t('topics.mapView.hint')}
      </Text>
      {points && clusters && <SelectionTable selected={selected} points={points} clusters={clusters} topicOf={topicOf} cache={titles.current} />}
    </Card>
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The documents selected on the map: the first hundred, their titles and texts fetched as they are shown. */
function SelectionTable(props: { selected: readonly number[]; points: { documentIds: Int32Array }; clusters: Int32Array; topicOf: ReadonlyMap<number, TopicInfo>; cache: Map<number, DocumentDetail> }) {
  const { t } = useTranslation();
  const app = useApp();
  const shown = useMemo(() => props.selected.slice(0, shownRows), [props.selected]);
  const [, setLoaded] = useState(0);
  const [error, setError] = useState<unknown>(null);

  useLiveEffect((isLive) => {
    const missing = shown.map((i) => props.points.documentIds[i]).filter((id) => !props.cache.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((documentId) =>
        app.api.call('corpus.document', { documentId }).then((d) => {
          props.cache.set(documentId, d);
        }),
      ),
    ).then(
      () => isLive() && setLoaded((x) => x + 1),
      (err: unknown) => isLive() && setError(err),
    );
  }, [shown, app.api]);

  return (
    <Stack gap="xs" mt="md" data-testid="map-selection" data-count={props.selected.length}>
      <Text fw={600} size="sm">
        {t('topics.selection.title', { count: props.selected.length })}
      </Text>
      <ErrorAlert error={error} />
      {props.selected.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="map-selection-empty">
          {t('topics.selection.none')}
        </Text>
      ) : (
        <>
          <Table striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('topics.selection.id')}</Table.Th>
                <Table.Th>{t('topics.selection.documentTitle')}</Table.Th>
                <Table.Th>{t('topics.selection.snippet')}</Table.Th>
                <Table.Th>{t('topics.selection.cluster')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((i) => {
                const id = props.points.documentIds[i];
                const d = props.cache.get(id);
                const cluster = props.clusters[i];
                return (
                  <Table.Tr key={i} data-testid="selection-row" data-document={id} style={{ cursor: 'pointer' }} onClick={() => app.openDocument({ documentId: id })}>
                    <Table.Td>{id}</Table.Td>
                    <Table.Td style={{ maxWidth: 220 }}>{d ? (d.title ?? t('topics.list.untitled')) : '…'}</Table.Td>
                    <Table.Td style={{ maxWidth: 420, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{d ? d.text.slice(0, 120) : ''}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray" tt="none" leftSection={<span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: clusterColour(cluster) }} />}>
                        {cluster === noise ? t('topics.list.noise') : cluster === unassigned ? '—' : `${cluster} ${topWords(props.topicOf.get(cluster), 2)}`}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {props.selected.length > shownRows && (
            <Text size="xs" c="dimmed">
              {t('topics.selection.more', { shown: shownRows, count: props.selected.length })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
