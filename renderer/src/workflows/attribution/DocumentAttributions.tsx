// The attributions of one document, in the corpus's document viewer: the runs that hold its scores
// (newest first) and the chosen one's heatmap. Nothing is shown for a document no run attributed.
import { Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttributionTargetSpec } from '../../../../common/contract';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { targetText } from './AttributionPage';
import { DocumentHeatmap, type HeatmapView } from './DocumentHeatmap';

export function DocumentAttributions({ documentId }: { documentId: number }) {
  const { t } = useTranslation();
  const app = useApp();
  const [runs, setRuns] = useState<{ runId: number; name: string; target: AttributionTargetSpec }[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const [view, setView] = useState<HeatmapView>({ unit: 'word', pos: [] });
  const finished = app.jobs.filter((j) => j.kind === 'attribution' && j.status === 'done').length;
  useLiveEffect(
    (isLive) => {
      app.api.call('attribution.ofDocument', { documentId }).then(
        (r) => isLive() && setRuns(r),
        () => isLive() && setRuns([]),
      );
    },
    [app.api, documentId, finished],
  );
  if (runs.length === 0) return null;
  const runId = chosen !== null && runs.some((r) => r.runId === chosen) ? chosen : runs[0].runId;
  return (
    <Stack gap="xs" data-testid="doc-attributions">
      <Text fw={600}>{t('attribution.document.title')}</Text>
      <Select
        data-testid="doc-attribution-run"
        data={runs.map((r) => ({ value: String(r.runId), label: `#${r.runId} ${targetText(t, r.target)} · ${r.name}` }))}
        value={String(runId)}
        allowDeselect={false}
        onChange={(v) => v && setChosen(Number(v))}
      />
      <DocumentHeatmap key={runId} runId={runId} documentId={documentId} view={view} onView={setView} />
    </Stack>
  );
}
