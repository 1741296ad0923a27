// The map of a clustering: every document of a map run as a point (ECharts' large mode and
// progressive rendering, so 100,000 points stay interactive), coloured by cluster, gold label, split
// or any metadata field (one series per group, so the legend toggles groups; a field's top 20 values
// and "other"), the clusters' top study words drawn at their centres (a click opens the first word's
// KWIC; hover passes through them to the points beneath), the document id and title on hover, a
// search whose matches are ringed over the others dimmed, box or lasso selection that fills a linked
// table and the selection's own words (c-TF-IDF against the rest of the corpus, computed in the
// backend; each opens its KWIC), and the map exported as a figure (SVG, PNG, PDF) or CSV.
import { Alert, Badge, Box, Button, Card, Group, Loader, SegmentedControl, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CorpusFacet, CorpusFacets, CorpusKeywords, DocumentDetail, TopicInfo } from '../../../../common/contract';
import { studyWords } from '../../../../common/topicsTable';
import { echarts } from '../../charts/echarts';
import { okabeIto, withBase } from '../../charts/chartOptions';
import { ExportMenu } from '../../charts/ExportMenu';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { chartFontFamily } from '../../theme';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { topicLabel } from './TopicEditing';
import {
  clusterCentres,
  clustersOfPoints,
  coordsOf,
  fieldOfPoints,
  groupPoints,
  labelAt,
  labelBox,
  mapCsvRows,
  noise,
  other,
  pointsInAreas,
  pointsOfDocuments,
  seriesLargeThreshold,
  unassigned,
  type BrushArea,
  type LabelBox,
  type PointGroup,
} from './topicsMap';
/** A cluster's colour: Okabe–Ito in turn; noise and unclustered points grey. */
export function clusterColour(cluster: number): string {
  if (cluster === noise) return '#999999';
  if (cluster === unassigned) return '#bbbbbb';
  return okabeIto[cluster % okabeIto.length];
}


type Tool = 'rect' | 'polygon' | 'pan';
const shownRows = 100;
const ringedAtMost = 3000;
/** A field's values beyond this many are one "other" group. */
const topValues = 20;
/** Words shown for a selection. */
const selectionWords = 20;
const groupSeries = (code: number) => `group-${code}`;
const matchSeries = (code: number) => `match-${code}`;
const fieldKey = (f: Pick<CorpusFacet, 'kind' | 'name'>) => `${f.kind}:${f.name}`;
/** The cluster labels' text style on the map, which their hit-testing measures. */
const labelFontSize = 12;
const labelPadding: [number, number, number, number] = [2, 4, 2, 4];
const labelBorder = 1;
/** How far (pixels) the pointer may move between press and release for a click on a label; more is a drag (a brush, a pan). */
const clickSlop = 4;

/** A cluster's label on the map: where it is drawn, its text, and the word its click opens. */
interface MapLabel {
  cluster: number;
  x: number;
  y: number;
  text: string;
  /** Its first study word (pinned words first, as the label shows them); null for a named topic without words. */
  word: string | null;
}

/** A group's colour when colouring by a field: Okabe–Ito in turn; other and no value grey. */
function valueColour(code: number): string {
  if (code === other) return '#999999';
  if (code < 0) return '#cccccc';
  return okabeIto[code % okabeIto.length];
}

interface Colouring {
  /** [n] each point's group. */
  codes: Int32Array;
  name(code: number): string;
  colour(code: number): string;
}

export function TopicMap(props: {
  mapRunId: number;
  clusterRunId: number | null;
  topics: readonly TopicInfo[] | null;
  height?: number;
  /** Drawn in the selection's header with the selected documents' ids (e.g. "move to topic", "split"). */
  selectionActions?: (documentIds: number[]) => ReactNode;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const dark = app.settings.theme === 'dark';
  const [points, setPoints] = useState<{ documentIds: Int32Array; coords: Float32Array } | null>(null);
  const [assignment, setAssignment] = useState<{ documentIds: Int32Array; clusters: Int32Array } | null>(null);
  // The assignment could not be had: the points are drawn unassigned (grey), beside the error.
  const [assignmentFailed, setAssignmentFailed] = useState(false);
  const [corpusId, setCorpusId] = useState<number | null>(null);
  const [facets, setFacets] = useState<CorpusFacets | null>(null);
  const [colourBy, setColourBy] = useState('cluster');
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<{ query: string; points: number[]; total: number } | null>(null);
  const [searching, setSearching] = useState(false);
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
    setMatches(null);
    app.api.call('maps.points', { runId: props.mapRunId }).then(
      (p) => isLive() && setPoints(p),
      (err: unknown) => isLive() && setError(err),
    );
    // The map's corpus, whose documents give the colour fields, the search and the selection's words.
    app.api.call('runs.get', { runId: props.mapRunId }).then(
      (r) => isLive() && setCorpusId(r.corpusId),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, props.mapRunId]);
  useLiveEffect((isLive) => {
    setFacets(null);
    if (corpusId === null) return;
    app.api.call('corpus.facets', { corpusId }).then(
      (f) => isLive() && setFacets(f),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, corpusId]);
  useLiveEffect((isLive) => {
    setAssignment(null);
    setAssignmentFailed(false);
    if (props.clusterRunId === null) return;
    app.api.call('topics.assignments', { runId: props.clusterRunId }).then(
      (a) => isLive() && setAssignment(a),
      (err: unknown) => {
        if (!isLive()) return;
        setError(err);
        setAssignmentFailed(true);
      },
    );
  }, [app.api, props.clusterRunId]);

  // With a clustering, nothing is drawn until its assignment is here: the points drawn grey first would
  // only be drawn over once it came (a whole draw of the map for nothing).
  const assignmentPending = props.clusterRunId !== null && assignment === null && !assignmentFailed;
  const clusters = useMemo(() => (points && !assignmentPending ? clustersOfPoints(points.documentIds, assignment) : null), [points, assignment, assignmentPending]);
  const centres = useMemo(() => (points && clusters ? clusterCentres(points.coords, clusters) : []), [points, clusters]);
  const topicOf = useMemo(() => new Map((props.topics ?? []).map((tp) => [tp.cluster, tp])), [props.topics]);
  // The clusters' label words, whatever the points are coloured by; a click opens the first word's KWIC.
  const labels = useMemo<MapLabel[]>(
    () =>
      centres.flatMap((c) => {
        const topic = topicOf.get(c.cluster);
        const text = topicLabel(topic);
        return text ? [{ cluster: c.cluster, x: c.x, y: c.y, text, word: (topic && studyWords(topic, 1)[0]) ?? null }] : [];
      }),
    [centres, topicOf],
  );
  const field = useMemo(() => facets?.fields.find((f) => fieldKey(f) === colourBy) ?? null, [facets, colourBy]);
  const fieldFacet = useMemo(() => (field && facets ? { documentIds: facets.documentIds, codes: field.codes, values: field.values } : null), [field, facets]);
  const clusterName = (cluster: number) => {
    if (cluster === noise) return t('topics.mapView.noiseName');
    if (cluster === unassigned) return t('topics.mapView.unassignedName');
    const words = topicLabel(topicOf.get(cluster), 2);
    return words ? `${cluster}: ${words}` : t('topics.mapView.clusterName', { cluster });
  };
  const colouring = useMemo<Colouring | null>(() => {
    if (!points || !clusters) return null;
    if (!fieldFacet) return { codes: clusters, name: clusterName, colour: clusterColour };
    const g = fieldOfPoints(points.documentIds, fieldFacet, topValues);
    return {
      codes: g.codes,
      name: (code) => (code >= 0 ? g.values[code] : code === other ? t('topics.mapView.other', { count: g.otherValues }) : t('topics.mapView.noValue')),
      colour: valueColour,
    };
    // clusterName reads topicOf and t, both listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [points, clusters, fieldFacet, topicOf, t]);
  const groups = useMemo(() => (points && colouring ? groupPoints(points.coords, colouring.codes) : null), [points, colouring]);
  const legendNames = useMemo(() => (groups && colouring ? groups.map((g) => colouring.name(g.cluster)) : []), [groups, colouring]);

  const option = useMemo<EChartsOption | null>(() => {
    if (!groups || !points || !colouring) return null;
    const n = points.documentIds.length;
    const size = n > 20_000 ? 2 : n > 2_000 ? 4 : 7;
    // ECharts turns large mode on per series: on a map of many points every series is large, or 20
    // clusters of 500 points would be drawn as 10,000 separate symbols (several times slower to zoom and pan).
    const largeThreshold = seriesLargeThreshold(n);
    const searched = matches !== null;
    const matched = new Set(matches?.points ?? []);
    const scatter = (id: string, name: string, data: Float32Array, itemStyle: object, symbolSize: number) => ({
      id,
      name,
      type: 'scatter' as const,
      data: data as unknown as number[],
      dimensions: ['x', 'y'],
      large: true,
      largeThreshold,
      progressive: 20_000,
      progressiveThreshold: 50_000,
      symbolSize,
      itemStyle,
      emphasis: { scale: false },
    });
    const series: object[] = groups.map((g: PointGroup) =>
      scatter(groupSeries(g.cluster), colouring.name(g.cluster), g.data, { color: colouring.colour(g.cluster), opacity: searched ? 0.12 : g.cluster < 0 ? 0.45 : 0.75 }, size),
    );
    // The matches of a search drawn on top, one series per group under the group's name, so the legend hides both together.
    if (searched) {
      for (const g of groups) {
        const own = Array.from(g.points).filter((i) => matched.has(i));
        if (own.length === 0) continue;
        series.push(scatter(matchSeries(g.cluster), colouring.name(g.cluster), coordsOf(points.coords, own), { color: colouring.colour(g.cluster), opacity: 1, borderColor: dark ? '#ffffff' : '#000000', borderWidth: 2 }, size + 5));
      }
    }
    // The clusters' label words. Silent, so hover reaches the points beneath them (a label box
    // taking the pointer would hide their tooltips); their clicks are hit-tested on the chart below.
    series.push({
      id: 'labels',
      name: 'labels',
      type: 'scatter',
      data: [],
      silent: true,
      markPoint: {
        animation: false,
        symbol: 'circle',
        symbolSize: 1,
        itemStyle: { color: 'transparent' },
        data: labels.map((l) => ({
          coord: [l.x, l.y],
          name: l.text,
          value: l.cluster,
          label: {
            show: true,
            formatter: l.text,
            fontSize: labelFontSize,
            fontWeight: 'bold' as const,
            color: '#222222',
            backgroundColor: 'rgba(255,255,255,0.8)',
            borderColor: clusterColour(l.cluster),
            borderWidth: labelBorder,
            padding: labelPadding,
            borderRadius: 3,
          },
        })),
      },
    });
    return {
      animation: false,
      grid: { left: 40, right: 190, top: 16, bottom: 30 },
      xAxis: { type: 'value', scale: true, name: t('topics.mapView.x'), splitLine: { show: false }, axisLine: { onZero: false } },
      yAxis: { type: 'value', scale: true, name: t('topics.mapView.y'), splitLine: { show: false }, axisLine: { onZero: false } },
      toolbox: { show: false },
      legend: { type: 'scroll', orient: 'vertical', right: 4, top: 8, bottom: 8, data: legendNames, itemStyle: { opacity: 1 } },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
        { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
      ],
      // Selection is worked out here from the brushed areas (pointsInAreas), so no series is brushed by ECharts itself.
      brush: { xAxisIndex: 'all', seriesIndex: [], throttleType: 'debounce', throttleDelay: 100, transformable: false, brushStyle: { borderWidth: 1, color: 'rgba(0,114,178,0.12)', borderColor: '#0072B2' } },
      tooltip: { trigger: 'item', confine: true, showDelay: 0, transitionDuration: 0 },
      series: [
        ...series,
        // Its points are the selection's, filled in where the option is set (ringData below), so a new selection does not rebuild the option.
        { id: 'selection', name: 'selection', type: 'scatter', data: [], dimensions: ['x', 'y'], symbolSize: size + 3, silent: true, itemStyle: { color: 'transparent', borderColor: dark ? '#ffffff' : '#000000', borderWidth: 1 }, large: true, largeThreshold },
      ],
    } as EChartsOption;
  }, [groups, points, colouring, legendNames, matches, labels, t, dark]);

  // What the event handlers read, current without re-binding them.
  const seriesPoints = useMemo(() => {
    const out = new Map<string, { code: number; points: ArrayLike<number> }>();
    const matched = new Set(matches?.points ?? []);
    for (const g of groups ?? []) {
      out.set(groupSeries(g.cluster), { code: g.cluster, points: g.points });
      if (matches) out.set(matchSeries(g.cluster), { code: g.cluster, points: Array.from(g.points).filter((i) => matched.has(i)) });
    }
    return out;
  }, [groups, matches]);
  const state = useRef({ points, clusters, colouring, seriesPoints, corpusId, labels });
  state.current = { points, clusters, colouring, seriesPoints, corpusId, labels };
  const visible = (code: number) => !hidden.current.has(state.current.colouring?.name(code) ?? '');

  // What is drawn: the option, or while a new clustering's assignment is on its way (the map's page
  // choosing another) the one drawn before, kept rather than cleared and then drawn again.
  const lastOption = useRef<EChartsOption | null>(null);
  if (option || !points) lastOption.current = option;
  const shown = option ?? lastOption.current;

  // The selected points ringed on the map; a larger selection is shown by its brushed area alone (rings would hide the colours).
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  /** The selection whose rings the chart has. */
  const ringed = useRef<readonly number[] | null>(null);
  const ringData = (sel: readonly number[]) => {
    const p = state.current.points;
    return coordsOf(p?.coords ?? new Float32Array(0), p && sel.length <= ringedAtMost ? sel : []) as unknown as number[];
  };

  useEffect(() => {
    const el = holder.current;
    if (!el || !shown) return;
    const instance = echarts.init(el, dark ? 'dark' : null, { renderer: 'canvas' });
    chart.current = instance;
    // The observer reports the size once as it starts: resize only on a real change, as a resize draws the whole map again.
    const observer = new ResizeObserver(() => {
      if (el.clientWidth !== instance.getWidth() || el.clientHeight !== instance.getHeight()) instance.resize();
    });
    observer.observe(el);
    instance.on('legendselectchanged', (e) => {
      const selectedMap = (e as { selected: Record<string, boolean> }).selected;
      hidden.current = new Set(Object.entries(selectedMap).filter(([, on]) => !on).map(([name]) => name));
    });
    instance.on('brushEnd', (e) => {
      const { points: p, colouring: c } = state.current;
      if (!p || !c) return;
      const areas = ((e as { areas?: { brushType: string; coordRange?: unknown }[] }).areas ?? []).filter((a) => a.coordRange && (a.brushType === 'rect' || a.brushType === 'polygon')) as BrushArea[];
      setSelected(pointsInAreas(p.coords, areas, c.codes, visible));
    });
    // A click on a cluster's label opens its first word's KWIC: the labels are silent, so the click is
    // hit-tested against their boxes where they are drawn now. A press that moved further than a
    // click's slop before its release is a drag (a box or lasso, which may end where it began, or a
    // pan) and opens nothing.
    const zr = instance.getZr();
    let pressed: { x: number; y: number; moved: boolean } | null = null;
    zr.on('mousedown', (e) => {
      pressed = { x: e.offsetX, y: e.offsetY, moved: false };
    });
    zr.on('mousemove', (e) => {
      if (pressed && !pressed.moved && Math.hypot(e.offsetX - pressed.x, e.offsetY - pressed.y) > clickSlop) pressed.moved = true;
    });
    zr.on('click', (e) => {
      const press = pressed;
      pressed = null;
      if (!press || press.moved || Math.hypot(e.offsetX - press.x, e.offsetY - press.y) > clickSlop) return;
      const hit = labelAt(labelBoxes(instance, state.current.labels), e.offsetX, e.offsetY);
      if (hit?.word) app.openKwic({ word: hit.word, corpusId: state.current.corpusId });
    });
    // The labels' boxes where they are drawn now, after every draw (a zoom, a pan, a resize, new labels),
    // on the canvas's element for the end-to-end test to click.
    instance.on('finished', () => {
      el.dataset.labelBoxes = JSON.stringify(
        labelBoxes(instance, state.current.labels).map((b) => ({ ...b, x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) })),
      );
    });
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
    // A new instance only for a new theme or once the first option is there; options are set below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dark, shown !== null]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !shown) return;
    const based = withBase(shown, dark, false);
    const tooltipFormatter = (params: unknown, ticket: string, callback: (ticket: string, html: string) => void): string => {
      const { points: p, clusters: cl, colouring: c, seriesPoints: sp } = state.current;
      const item = params as { seriesId?: string; dataIndex: number };
      const group = item.seriesId ? sp.get(item.seriesId) : undefined;
      if (!p || !cl || !c || !group) return '';
      const point = group.points[item.dataIndex];
      const documentId = p.documentIds[point];
      const lines = [t('topics.mapView.tooltip', { id: documentId }), clusterName(cl[point])];
      if (c.codes !== cl) lines.push(c.name(group.code));
      const head = lines.map(escapeHtml).join('<br/>');
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
    // The selection stays, its rings in the same setOption (a second one would draw the whole map again).
    const sel = selectedRef.current;
    const series = (based.series as { id?: string }[]).map((s) => (s.id === 'selection' ? { ...s, data: ringData(sel) } : s));
    instance.setOption({ ...based, series, tooltip: { ...(based.tooltip as object), formatter: tooltipFormatter } } as EChartsOption, true);
    ringed.current = sel;
    // A new option shows every group again.
    hidden.current = new Set();
    instance.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: tool === 'pan' ? { brushType: false } : { brushType: tool, brushMode: 'single' } });
    // The tool is applied by its own effect; here only when the option is new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown, dark, app.api, t]);

  useEffect(() => {
    chart.current?.dispatchAction({ type: 'takeGlobalCursor', key: 'brush', brushOption: tool === 'pan' ? { brushType: false } : { brushType: tool, brushMode: 'single' } });
  }, [tool]);

  // A new selection ringed on the chart as it is (the option's own setOption above rings the selection of its time).
  useEffect(() => {
    const instance = chart.current;
    if (!instance || ringed.current === selected) return;
    ringed.current = selected;
    instance.setOption({ series: [{ id: 'selection', data: ringData(selected), dimensions: ['x', 'y'] }] } as EChartsOption);
    // ringData reads the points through state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const clear = () => {
    chart.current?.dispatchAction({ type: 'brush', areas: [] });
    setSelected([]);
  };

  const search = async () => {
    const q = query.trim();
    if (!q) return setMatches(null);
    if (corpusId === null || !points) return;
    setSearching(true);
    setError(null);
    try {
      const { documentIds } = await app.api.call('corpus.matches', { corpusId, query: q });
      setMatches({ query: q, points: pointsOfDocuments(points.documentIds, documentIds), total: documentIds.length });
    } catch (err) {
      setError(err);
    } finally {
      setSearching(false);
    }
  };

  const exportOption = (): EChartsOption => {
    if (!option) return {};
    const { brush: _brush, dataZoom: _zoom, tooltip: _tooltip, ...rest } = option as Record<string, unknown>;
    const legend = { ...(option.legend as object), selected: Object.fromEntries(legendNames.map((name) => [name, !hidden.current.has(name)])) };
    return { ...rest, legend } as EChartsOption;
  };
  const colourField = field ? (field.kind === 'metadata' ? field.name : field.kind) : null;

  const colourOptions = [
    { value: 'cluster', label: t('topics.mapView.colourCluster') },
    ...(facets?.fields ?? []).map((f) => ({
      value: fieldKey(f),
      label: f.kind === 'label' ? t('topics.mapView.colourLabel') : f.kind === 'split' ? t('topics.mapView.colourSplit') : t('topics.mapView.colourMetadata', { name: f.name }),
    })),
  ];

  const count = points?.documentIds.length ?? 0;
  return (
    <Card
      withBorder
      data-testid="topic-map"
      data-points={count}
      data-clusters={clusters ? new Set(Array.from(clusters).filter((c) => c >= 0)).size : 0}
      data-selected={selected.length}
      data-colour-by={colourBy}
      data-legend={legendNames.join('|')}
    >
      <Group justify="space-between" mb="xs" gap="xs">
        <Group gap="xs" align="flex-end">
          <Select data-testid="map-colour" size="xs" label={t('topics.mapView.colourBy')} data={colourOptions} value={colourBy} allowDeselect={false} onChange={(v) => v && setColourBy(v)} w={200} />
          <TextInput
            data-testid="map-search"
            size="xs"
            label={t('topics.mapView.search')}
            placeholder={t('topics.mapView.searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void search()}
            disabled={corpusId === null}
            w={200}
          />
          <Button data-testid="map-search-run" size="xs" variant="default" loading={searching} disabled={corpusId === null || !points} onClick={() => void search()}>
            {t('topics.mapView.searchRun')}
          </Button>
          {matches && (
            <>
              <Text size="xs" data-testid="map-search-count" data-count={matches.points.length} pb={6}>
                {t('topics.mapView.searchCount', { count: matches.points.length, total: matches.total, query: matches.query })}
              </Text>
              <Button data-testid="map-search-clear" size="compact-xs" variant="subtle" onClick={() => (setMatches(null), setQuery(''))} mb={4}>
                {t('topics.mapView.searchClear')}
              </Button>
            </>
          )}
        </Group>
        <Group gap="xs">
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
          {points && clusters && (
            <ExportMenu
              fileName={`map-${props.mapRunId}${colourField ? `-${colourField}` : ''}`}
              testId="map-export"
              option={exportOption}
              size={() => ({ width: holder.current?.clientWidth || 900, height: holder.current?.clientHeight || (props.height ?? 560) })}
              csv={() => ({ header: ['document_id', 'x', 'y', 'cluster', ...(colourField ? [colourField] : [])], rows: mapCsvRows(points, clusters, fieldFacet) })}
              onError={setError}
            />
          )}
        </Group>
      </Group>
      <ErrorAlert error={error} />
      {!shown && !error && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            {t('topics.mapView.loading')}
          </Text>
        </Group>
      )}
      <Box ref={holder} data-testid="topic-map-canvas" style={{ width: '100%', height: shown ? (props.height ?? 560) : 0 }} />
      <Text size="xs" c="dimmed" mt={4}>
        {t('topics.mapView.hint')}
      </Text>
      {points && clusters && (
        <SelectionTable selected={selected} points={points} clusters={clusters} topicOf={topicOf} cache={titles.current} corpusId={corpusId} actions={props.selectionActions} />
      )}
    </Card>
  );
}

const labelFont = `bold ${labelFontSize}px ${chartFontFamily}`;
/** Label texts' sizes in the labels' font, as ECharts measures them for drawing. */
const measuredLabels = new Map<string, { width: number; height: number }>();
function labelTextSize(text: string): { width: number; height: number } {
  let size = measuredLabels.get(text);
  if (!size) {
    // Kept small: topics renamed over a long session would otherwise add texts without end.
    if (measuredLabels.size >= 1000) measuredLabels.clear();
    const rect = echarts.format.getTextRect(text, labelFont);
    measuredLabels.set(text, (size = { width: rect.width, height: rect.height }));
  }
  return size;
}

/** Each label's box where the chart draws it now: its centre converted to pixels at the current zoom and size. */
function labelBoxes(chart: echarts.ECharts, labels: readonly MapLabel[]): LabelBox[] {
  const out: LabelBox[] = [];
  for (const l of labels) {
    const p = chart.convertToPixel({ gridIndex: 0 }, [l.x, l.y]) as number[] | undefined;
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) continue;
    out.push(labelBox(l, [p[0], p[1]], labelTextSize(l.text), labelPadding, labelBorder));
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The documents selected on the map: the first hundred, their titles and texts fetched as they are shown. */
function SelectionTable(props: {
  selected: readonly number[];
  points: { documentIds: Int32Array };
  clusters: Int32Array;
  topicOf: ReadonlyMap<number, TopicInfo>;
  cache: Map<number, DocumentDetail>;
  corpusId: number | null;
  actions?: (documentIds: number[]) => ReactNode;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const shown = useMemo(() => props.selected.slice(0, shownRows), [props.selected]);
  const documentIds = useMemo(() => props.selected.map((i) => props.points.documentIds[i]), [props.selected, props.points]);
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
      <Group justify="space-between" gap="xs">
        <Text fw={600} size="sm">
          {t('topics.selection.title', { count: props.selected.length })}
        </Text>
        {props.actions && documentIds.length > 0 && <Group gap="xs">{props.actions(documentIds)}</Group>}
      </Group>
      <ErrorAlert error={error} />
      {props.corpusId !== null && documentIds.length > 0 && <SelectionWords corpusId={props.corpusId} documentIds={documentIds} />}
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
                        {cluster === noise ? t('topics.list.noise') : cluster === unassigned ? '—' : `${cluster} ${topicLabel(props.topicOf.get(cluster), 2)}`}
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

/** The words most over-represented in the selection against the rest of the corpus (corpus.keywords); each opens its KWIC. */
function SelectionWords(props: { corpusId: number; documentIds: readonly number[] }) {
  const { t } = useTranslation();
  const app = useApp();
  const [result, setResult] = useState<CorpusKeywords | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [asked, setAsked] = useState(0);

  useLiveEffect((isLive) => {
    setResult(null);
    setError(null);
    // A brush fires as it moves: ask once it has rested.
    const timer = setTimeout(() => {
      app.api.call('corpus.keywords', { corpusId: props.corpusId, documentIds: [...props.documentIds], limit: selectionWords }).then(
        (r) => isLive() && setResult(r),
        (err: unknown) => isLive() && setError(err),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [app.api, props.corpusId, props.documentIds, asked]);

  const analyse = async () => {
    try {
      await app.api.call('corpus.analyse', { corpusId: props.corpusId });
      await app.refreshJobs();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap={4} data-testid="selection-words" data-count={result?.words.length ?? -1}>
      <Group gap={6} align="center">
        <Text size="xs" fw={600}>
          {t('topics.selection.words')}
        </Text>
        {!result && !error && <Loader size="xs" />}
        {result && result.words.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('topics.selection.wordsNone')}
          </Text>
        )}
        {result?.words.map((w) => (
          <Tooltip key={w.word} label={t('topics.selection.wordDetail', { count: w.count, documents: w.documents, lift: w.lift.toFixed(2), score: w.score.toFixed(3) })} withinPortal>
            <Badge
              component="button"
              data-testid="selection-word"
              data-word={w.word}
              variant="light"
              tt="none"
              style={{ cursor: 'pointer' }}
              onClick={() => app.openKwic({ word: w.word, corpusId: props.corpusId })}
            >
              {w.word}
            </Badge>
          </Tooltip>
        ))}
      </Group>
      {result && result.unanalysed.corpus > 0 && (
        <Alert color="yellow" variant="light" p="xs" data-testid="selection-unanalysed">
          <Group justify="space-between" gap="xs">
            <Text size="xs">{t('topics.selection.unanalysed', { selected: result.unanalysed.selected, corpus: result.unanalysed.corpus })}</Text>
            <Button size="compact-xs" variant="light" onClick={() => void analyse().then(() => setAsked((n) => n + 1))}>
              {t('topics.selection.analyse')}
            </Button>
          </Group>
        </Alert>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
