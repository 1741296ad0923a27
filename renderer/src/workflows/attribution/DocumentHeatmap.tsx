// One attributed document as a heatmap over its text: tokens, words or MeCab morphemes (with a
// part-of-speech filter) coloured by their scores — diverging for a class or a topic, sequential
// for an embedding's norms — the score (and an estimate's interval) on hover, the completeness gap
// with a plain warning past 5%, the largest units listed, and the figure exported as SVG, PNG, PDF
// or CSV.
import { Alert, Badge, Card, Group, Loader, MultiSelect, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attributionDefaults, type DocumentAttribution, type ScoredSpan } from '../../../../common/contract';
import { ExportMenu } from '../../charts/ExportMenu';
import { useApp } from '../../state/AppContext';
import { chartFontFamily } from '../../theme';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { darkBackground, heatmapCsv, heatmapFigure, scaleOf, scoreColour, segmentsOf } from './heatmap';

export type HeatmapUnit = 'token' | 'word' | 'morpheme';

const digits = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(3));

/** How the heatmap is read: kept by the run's page, so the next document opens the same way. */
export interface HeatmapView {
  unit: HeatmapUnit;
  /** Morphemes' parts of speech to colour (empty: all). */
  pos: string[];
}

export function DocumentHeatmap({ runId, documentId, view, onView }: { runId: number; documentId: number; view: HeatmapView; onView(view: HeatmapView): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [doc, setDoc] = useState<DocumentAttribution | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { unit, pos } = view;
  const setUnit = (u: HeatmapUnit) => onView({ ...view, unit: u });
  const setPos = (p: string[]) => onView({ ...view, pos: p });
  useLiveEffect(
    (isLive) => {
      setDoc(null);
      setError(null);
      app.api.call('attribution.document', { runId, documentId }).then(
        (d) => isLive() && setDoc(d),
        (err: unknown) => isLive() && setError(err),
      );
    },
    [app.api, runId, documentId],
  );
  const allPos = useMemo(() => [...new Set((doc?.morphemes ?? []).map((m) => m.pos ?? ''))].filter((p) => p !== '').sort(), [doc]);
  if (error) return <ErrorAlert error={error} />;
  if (!doc) return <Loader size="sm" />;

  const units: ScoredSpan[] = unit === 'token' ? doc.tokens : unit === 'word' ? doc.words : doc.morphemes.filter((m) => pos.length === 0 || pos.includes(m.pos ?? ''));
  const scale = scaleOf(units);
  const segments = segmentsOf(doc.text, units);
  const s = doc.summary;
  const gap = (100 * s.gap).toFixed(2);
  const top = units.filter((u) => !u.special).slice().sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, 10);
  const attributedEnd = Math.max(0, ...doc.tokens.map((tk) => tk.end));
  const figure = () =>
    heatmapFigure(segments, {
      width: 720,
      fontFamily: chartFontFamily,
      fontSize: 14,
      signed: doc.signed,
      title: t('attribution.heatmap.figureTitle', { id: s.documentId, target: s.target }) + (s.title ? ` — ${s.title}` : ''),
      legend: doc.signed ? { low: `−${digits(scale)}`, high: `+${digits(scale)}` } : { low: '0', high: digits(scale) },
    });
  return (
    <Card withBorder data-testid="attribution-heatmap" data-document={documentId} data-unit={unit} data-units={units.filter((u) => !u.special).length}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Group gap="sm" align="flex-end">
            <SegmentedControl
              data-testid="heatmap-unit"
              size="xs"
              value={unit}
              onChange={(v) => setUnit(v as HeatmapUnit)}
              data={(['token', 'word', 'morpheme'] as const).map((u) => ({ value: u, label: t(`attribution.heatmap.${u}`) }))}
            />
            {unit === 'morpheme' && (
              <MultiSelect data-testid="heatmap-pos" size="xs" w={260} label={t('attribution.heatmap.pos')} description={t('attribution.heatmap.posHint')} data={allPos} value={pos} onChange={setPos} clearable />
            )}
          </Group>
          <ExportMenu
            fileName={`attribution-${runId}-${documentId}-${unit}`}
            testId="heatmap-export"
            option={() => figure().option}
            size={() => {
              const f = figure();
              return { width: f.width, height: f.height };
            }}
            csv={() => heatmapCsv(unit, units)}
            onError={setError}
          />
        </Group>
        <Text size="sm" data-testid="heatmap-summary">
          {doc.signed ? t('attribution.heatmap.summary', { fx: digits(s.atInput), fb: digits(s.atBaseline), gap, steps: s.steps }) : t('attribution.heatmap.summaryNorm', { change: digits(s.atInput), gap, steps: s.steps })}
          {' · '}
          {t(doc.signed ? 'attribution.heatmap.signedLegend' : 'attribution.heatmap.normLegend')}
        </Text>
        {s.gap > attributionDefaults.gapWarning && (
          <Alert color="yellow" variant="light" data-testid="heatmap-gap-warning">
            {t('attribution.heatmap.gapWarning', { gap })}
          </Alert>
        )}
        <div data-testid="heatmap-text" lang="ja" style={{ lineHeight: 1.9, fontSize: 15, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {segments.map((seg) => {
            if (!seg.span) {
              const tail = seg.start >= attributedEnd;
              return (
                <span key={seg.start} style={{ color: tail ? 'var(--mantine-color-dimmed)' : undefined }}>
                  {seg.text}
                </span>
              );
            }
            const sp = seg.span;
            const title = [t('attribution.heatmap.score', { score: digits(sp.score) }), sp.low !== undefined && sp.high !== undefined ? t('attribution.heatmap.interval', { low: digits(sp.low), high: digits(sp.high) }) : '', sp.pos ?? ''].filter(Boolean).join(' · ');
            return (
              <span
                key={seg.start}
                data-testid="heatmap-unit-span"
                data-score={sp.score}
                title={title}
                style={{ background: scoreColour(sp.score, scale, doc.signed), color: darkBackground(sp.score, scale) ? '#ffffff' : '#222222', borderRadius: 2, padding: '1px 0' }}
              >
                {seg.text}
              </span>
            );
          })}
        </div>
        {s.truncated > 0 && (
          <Text size="xs" c="dimmed">
            {t('attribution.heatmap.truncated', { count: s.truncated })}
          </Text>
        )}
        <Group gap={6} data-testid="heatmap-top">
          <Text size="xs" c="dimmed">
            {t('attribution.heatmap.top')}
          </Text>
          {top.map((u) => (
            <Badge key={`${u.start}-${u.end}`} size="sm" variant="light" color={doc.signed && u.score < 0 ? 'blue' : 'orange'} tt="none">
              {u.text} {digits(u.score)}
            </Badge>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}
