// The sentence viewer: a document's sentences with gold and predicted entities as coloured spans
// and relations as labelled arcs (arcs.ts draws the SVG, which is also what SVG and PNG export
// save), and a sentence's table as the model fills it (an ECharts heatmap with the Chart component's
// export: SVG, PNG, PDF, CSV), the gold table marked on it.
import { Button, Card, Group, Loader, Menu, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SentenceView, TableView } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { exportDpi } from '../../charts/ExportMenu';
import { dataUrlToBytes, downloadBlob, downloadBytes } from '../../charts/download';
import { setPngDpi } from '../../charts/png';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { chartFontFamily } from '../../theme';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { sentenceSvg } from './arcs';
import { tableChart } from './tableHeatmap';

export function SentencePage(props: { documentId: number; runId: number; tableRunId: number | null; backLabel: string; onBack(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [sentences, setSentences] = useState<SentenceView[] | null>(null);
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [tableFor, setTableFor] = useState<number | null>(null);

  useLiveEffect((isLive) => {
    app.api.call('entities.sentences', { documentId: props.documentId, runId: props.runId }).then(
      (s) => isLive() && setSentences(s),
      (err: unknown) => isLive() && setError(err),
    );
    // The schema's order gives each type its colour, the same in every sentence of the run.
    app.api.call('runs.get', { runId: props.runId }).then(
      (r) => {
        if (!isLive()) return;
        if (r.kind === 'entities') setTypes(r.schema.entityTypes);
        else if (r.kind === 'extract') setTypes(r.source.schema.entityTypes);
      },
      () => undefined,
    );
  }, [app.api, props.documentId, props.runId]);

  const allTypes = useMemo(() => {
    const seen = new Set(types);
    for (const s of sentences ?? []) for (const e of [...(s.gold?.entities ?? []), ...(s.predicted?.entities ?? [])]) seen.add(e.type);
    return [...seen];
  }, [types, sentences]);

  return (
    <Stack gap="md" pb="md" data-testid="entities-viewer">
      <Group justify="space-between" align="flex-start">
        <div>
          <Button variant="subtle" size="compact-sm" onClick={props.onBack} data-testid="entities-viewer-back">
            {props.backLabel}
          </Button>
          <Title order={3}>{t('entities.viewer.title', { id: props.documentId })}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('entities.viewer.intro')}
          </Text>
        </div>
      </Group>
      <ErrorAlert error={error} />
      {!sentences && !error && <Loader size="sm" />}
      {sentences && sentences.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('entities.viewer.empty')}
        </Text>
      )}
      {sentences?.map((s) => (
        <SentenceCard key={s.sentence} view={s} types={allTypes} fileName={`sentence-${s.documentId}-${s.sentence}`} canTable={props.tableRunId !== null} onTable={() => setTableFor(s.sentence)} />
      ))}
      {tableFor !== null && props.tableRunId !== null && <TableCard key={tableFor} runId={props.tableRunId} documentId={props.documentId} sentence={tableFor} />}
    </Stack>
  );
}

/** An SVG string drawn at 300 dpi on a white canvas, as PNG bytes. */
async function svgToPng(svg: string, width: number, height: number): Promise<Uint8Array> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be drawn'));
      image.src = url;
    });
    const scale = exportDpi / 96;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return setPngDpi(dataUrlToBytes(canvas.toDataURL('image/png')), exportDpi);
  } finally {
    URL.revokeObjectURL(url);
  }
}

function SentenceCard(props: { view: SentenceView; types: string[]; fileName: string; canTable: boolean; onTable(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const dark = app.settings.theme === 'dark';
  const [error, setError] = useState<unknown>(null);
  const text = useMemo(() => ({ gold: t('entities.viewer.gold'), predicted: t('entities.viewer.predicted'), none: t('entities.viewer.noEntities') }), [t]);
  const shown = useMemo(
    () => sentenceSvg(props.view, { types: props.types, text, fontFamily: chartFontFamily, ink: dark ? '#dddddd' : '#222222', background: dark ? '#242424' : '#ffffff' }),
    [props.view, props.types, text, dark],
  );
  const save = async (kind: 'svg' | 'png' | 'pdf') => {
    setError(null);
    try {
      // Exports are always light, as the charts' are.
      const light = sentenceSvg(props.view, { types: props.types, text, fontFamily: chartFontFamily, background: '#ffffff' });
      if (kind === 'svg') downloadBlob(new Blob([light.svg], { type: 'image/svg+xml' }), `${props.fileName}.svg`);
      else if (kind === 'pdf') {
        // As the charts' PDFs: made on the main side, with the embedded Japanese font.
        const { bytes } = await app.api.call('figure.pdf', { svg: light.svg, width: light.width, height: light.height });
        downloadBytes(bytes, `${props.fileName}.pdf`, 'application/pdf');
      } else downloadBytes(await svgToPng(light.svg, light.width, light.height), `${props.fileName}.png`, 'image/png');
    } catch (err) {
      setError(err);
    }
  };
  const v = props.view;
  return (
    <Card withBorder data-testid="entities-sentence" data-sentence={v.sentence}>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          {t('entities.viewer.counts', {
            sentence: v.sentence + 1,
            gold: v.gold ? t('entities.viewer.countValue', { entities: v.gold.entities.length, relations: v.gold.relations.length }) : '—',
            predicted: v.predicted ? t('entities.viewer.countValue', { entities: v.predicted.entities.length, relations: v.predicted.relations.length }) : '—',
          })}
        </Text>
        <Group gap="xs">
          {props.canTable && (
            <Button size="compact-xs" variant="light" data-testid="entities-open-table" onClick={props.onTable}>
              {t('entities.viewer.openTable')}
            </Button>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="compact-xs" variant="default" data-testid="entities-sentence-export">
                {t('chart.export')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(['svg', 'png', 'pdf'] as const).map((k) => (
                <Menu.Item key={k} data-testid={`entities-sentence-export-${k}`} onClick={() => void save(k)}>
                  {t(`chart.${k}`)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      {v.gold && v.predicted && (
        <Text size="xs" c="dimmed" mb={4}>
          {t('entities.viewer.matchNote')}
        </Text>
      )}
      {/* The SVG is built from escaped text (arcs.ts), never from markup the document holds. */}
      <div data-testid="entities-sentence-figure" style={{ overflowX: 'auto' }} dangerouslySetInnerHTML={{ __html: shown.svg }} />
      <ErrorAlert error={error} />
    </Card>
  );
}

function TableCard(props: { runId: number; documentId: number; sentence: number }) {
  const { t } = useTranslation();
  const app = useApp();
  const [table, setTable] = useState<TableView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [showGold, setShowGold] = useState(true);
  const [size, setSize] = useState<'fit' | 'large'>('fit');
  useLiveEffect((isLive) => {
    app.api.call('entities.table', { runId: props.runId, documentId: props.documentId, sentence: props.sentence }).then(
      (v) => isLive() && setTable(v),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, props.runId, props.documentId, props.sentence]);
  const text = useMemo(
    () => ({
      gold: t('entities.table.gold'),
      predicted: t('entities.table.predicted'),
      probability: t('entities.table.probability'),
      row: t('entities.table.row'),
      col: t('entities.table.col'),
      none: t('entities.table.none'),
    }),
    [t],
  );
  const chart = useMemo(() => (table ? tableChart(table, text, showGold) : null), [table, text, showGold]);
  const n = table?.words.length ?? 0;
  const cell = size === 'fit' ? 34 : 56;
  return (
    <Card withBorder data-testid="entities-table">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('entities.table.title', { sentence: props.sentence + 1 })}</Text>
        <Group gap="md">
          <Switch
            data-testid="entities-table-gold"
            label={t('entities.table.showGold')}
            checked={showGold}
            disabled={!table?.gold}
            onChange={(e) => setShowGold(e.currentTarget.checked)}
          />
          <Select
            size="xs"
            w={140}
            data={[
              { value: 'fit', label: t('entities.table.sizeFit') },
              { value: 'large', label: t('entities.table.sizeLarge') },
            ]}
            value={size}
            allowDeselect={false}
            onChange={(v) => v && setSize(v as 'fit' | 'large')}
          />
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {t('entities.table.note')}
      </Text>
      <ErrorAlert error={error} />
      {table && table.wordsCut > 0 && (
        <Text size="xs" c="orange" mb="xs" data-testid="entities-table-cut">
          {t('entities.table.wordsCut', { count: table.wordsCut })}
        </Text>
      )}
      {!table && !error && <Loader size="sm" />}
      {chart && (
        <Chart
          testId="entities-table-chart"
          exportTestId="entities-table-export"
          fileName={`table-${props.documentId}-${props.sentence}-run-${props.runId}`}
          option={chart.option}
          csv={chart.csv}
          height={Math.min(1600, Math.max(320, 140 + n * cell))}
        />
      )}
    </Card>
  );
}
