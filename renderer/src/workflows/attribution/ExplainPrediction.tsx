// "Why?" for one prediction of a fine-tuning run (the training workflow's error browser uses it):
// Integrated Gradients of the gold class and of the predicted class, side by side, each an
// attribution run of one document — reused when one with the same run, class and document exists.
import { Alert, Button, Group, Loader, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attributionConfigSchema, type AttributionRunInfo } from '../../../../common/contract';
import { useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { DocumentHeatmap, type HeatmapView } from './DocumentHeatmap';

/** A finished or running attribution of this run's class `label` for exactly this document. */
function matching(runs: readonly AttributionRunInfo[], trainRunId: number, documentId: number, label: string): AttributionRunInfo | undefined {
  return runs.find((r) => {
    const c = r.config;
    return (
      c.source?.kind === 'run' &&
      c.source.runId === trainRunId &&
      c.target.kind === 'class' &&
      c.target.label === label &&
      c.documents.kind === 'ids' &&
      c.documents.ids.length === 1 &&
      c.documents.ids[0] === documentId &&
      r.status !== 'failed' &&
      r.status !== 'cancelled'
    );
  });
}

export function ExplainPrediction(props: { corpusId: number; trainRunId: number; documentId: number; gold: string | null; predicted: string | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        data-testid="explain-prediction"
        size="compact-xs"
        variant="light"
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {t('attribution.explain.button')}
      </Button>
      {open && (
        <Modal opened onClose={() => setOpen(false)} size="90%" title={t('attribution.explain.title', { id: props.documentId })} data-testid="explain-modal">
          <ExplainBody {...props} />
        </Modal>
      )}
    </>
  );
}

function ExplainBody(props: { corpusId: number; trainRunId: number; documentId: number; gold: string | null; predicted: string | null }) {
  const { t } = useTranslation();
  const app = useApp();
  const runs = useRuns('attribution', props.corpusId);
  const [error, setError] = useState<unknown>(null);
  const [view, setView] = useState<HeatmapView>({ unit: 'word', pos: [] });
  const started = useRef(new Set<string>());
  const labels = [...new Set([props.gold, props.predicted].filter((l): l is string => l !== null))];

  // Starts the attributions that do not exist yet (once each), then the runs list follows their jobs.
  useEffect(() => {
    if (!runs.runs) return;
    for (const label of labels) {
      if (matching(runs.runs, props.trainRunId, props.documentId, label) || started.current.has(label)) continue;
      started.current.add(label);
      const config = attributionConfigSchema.parse({
        corpusId: props.corpusId,
        source: { kind: 'run', runId: props.trainRunId },
        target: { kind: 'class', label, output: 'logit' },
        documents: { kind: 'ids', ids: [props.documentId] },
      });
      app.api.call('attribution.start', config).then(
        () => {
          void app.refreshJobs();
          runs.reload();
        },
        (err: unknown) => setError(err),
      );
    }
    // labels is derived from the props listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs.runs, props.trainRunId, props.documentId, props.gold, props.predicted]);

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('attribution.explain.intro')}
      </Text>
      <ErrorAlert error={error ?? runs.error} />
      <SimpleGrid cols={{ base: 1, lg: labels.length }} spacing="md">
        {labels.map((label) => {
          const run = runs.runs ? matching(runs.runs, props.trainRunId, props.documentId, label) : undefined;
          const role = label === props.gold && label === props.predicted ? 'both' : label === props.gold ? 'gold' : 'predicted';
          return (
            <Stack key={label} gap={4} data-testid="explain-side" data-label={label} data-role={role} data-status={run?.status ?? 'starting'}>
              <Text fw={600}>{t(`attribution.explain.${role}`, { label })}</Text>
              {run?.status === 'done' ? (
                <DocumentHeatmap runId={run.id} documentId={props.documentId} view={view} onView={setView} />
              ) : run?.status === 'interrupted' ? (
                <Alert color="yellow" variant="light">
                  {t('attribution.explain.interrupted')}
                </Alert>
              ) : (
                <Group gap="xs">
                  <Loader size="xs" />
                  <Text size="sm">{t('attribution.explain.computing')}</Text>
                </Group>
              )}
            </Stack>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
