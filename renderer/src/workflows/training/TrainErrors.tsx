// The error browser: a finished run's test or validation predictions, filtered by gold and
// predicted label, errors only or all, a page at a time; a row opens its document.
import { Badge, Card, Group, Pagination, ScrollArea, SegmentedControl, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PredictionRow, TrainRunDetail } from '../../../../common/contract';
import { ExplainPrediction } from '../attribution/ExplainPrediction';
import { topProbabilities } from './trainCharts';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';

const pageSize = 25;

export function TrainErrors({ run }: { run: TrainRunDetail }) {
  const { t } = useTranslation();
  const app = useApp();
  const [split, setSplit] = useState<'test' | 'validation'>('test');
  const [gold, setGold] = useState<string | null>(null);
  const [predicted, setPredicted] = useState<string | null>(null);
  const [errorsOnly, setErrorsOnly] = useState(true);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ total: number; rows: PredictionRow[] } | null>(null);
  const [error, setError] = useState<unknown>(null);

  /** A new filter starts at its first page. */
  const filtered =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };

  useLiveEffect((isLive) => {
    app.api
      .call('train.predictions', { runId: run.id, split, gold, predicted, errorsOnly, offset: (page - 1) * pageSize, limit: pageSize })
      .then(
        (r) => {
          if (!isLive()) return;
          setResult(r);
          setError(null);
        },
        (err: unknown) => isLive() && setError(err),
      );
  }, [app.api, run.id, split, gold, predicted, errorsOnly, page]);

  const labelOptions = [{ value: '', label: t('train.errors.anyLabel') }, ...run.labels.map((l) => ({ value: l, label: l }))];
  const pages = result ? Math.max(1, Math.ceil(result.total / pageSize)) : 1;

  return (
    <Card withBorder data-testid="run-errors">
      <Text fw={600} mb="xs">
        {t('train.errors.title')}
      </Text>
      <Group align="flex-end" gap="md" mb="sm">
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {t('train.errors.split')}
          </Text>
          <SegmentedControl
            data-testid="errors-split"
            value={split}
            onChange={(v) => filtered(setSplit)(v as 'test' | 'validation')}
            data={[
              { value: 'test', label: t('train.splits.test') },
              { value: 'validation', label: t('train.splits.validation') },
            ]}
          />
        </Stack>
        <Select data-testid="errors-gold" label={t('train.errors.gold')} data={labelOptions} value={gold ?? ''} allowDeselect={false} onChange={(v) => filtered(setGold)(v || null)} w={200} />
        <Select
          data-testid="errors-predicted"
          label={t('train.errors.predicted')}
          data={labelOptions}
          value={predicted ?? ''}
          allowDeselect={false}
          onChange={(v) => filtered(setPredicted)(v || null)}
          w={200}
        />
        <Switch data-testid="errors-only" label={t('train.errors.errorsOnly')} checked={errorsOnly} onChange={(e) => filtered(setErrorsOnly)(e.currentTarget.checked)} mb={6} />
        {result && (
          <Text size="sm" c="dimmed" data-testid="errors-total" mb={6}>
            {t('train.errors.total', { count: result.total, formatted: result.total.toLocaleString() })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={error} />
      {result && result.rows.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="errors-empty">
          {t('train.errors.none')}
        </Text>
      ) : (
        <ScrollArea type="auto">
          <Table fz="sm" withTableBorder highlightOnHover data-testid="errors-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('train.errors.document')}</Table.Th>
                <Table.Th>{t('train.errors.gold')}</Table.Th>
                <Table.Th>{t('train.errors.predicted')}</Table.Th>
                <Table.Th>{t('train.errors.probabilities')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(result?.rows ?? []).map((r) => (
                <Table.Tr
                  key={r.documentId}
                  data-testid="errors-row"
                  data-correct={r.correct}
                  style={{ cursor: 'pointer' }}
                  title={t('train.errors.openHint')}
                  onClick={() => app.openDocument({ documentId: r.documentId })}
                >
                  <Table.Td maw={520}>
                    <Text size="sm" fw={500} truncate>
                      {r.title ?? t('train.errors.untitled', { id: r.documentId })}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {r.snippet}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.gold.map((l) => (
                        <Badge key={l} variant="light" color="gray" tt="none">
                          {l}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.predicted.length === 0 && (
                        <Text size="xs" c="dimmed">
                          {t('train.errors.nothing')}
                        </Text>
                      )}
                      {r.predicted.map((l) => (
                        <Badge key={l} variant={r.gold.includes(l) ? 'light' : 'filled'} color={r.gold.includes(l) ? 'teal' : 'orange'} tt="none">
                          {l}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {topProbabilities(run.labels, r.probabilities).map((p) => (
                      <Text key={p.label} size="xs">
                        {t('train.errors.probability', { label: p.label, value: p.probability.toFixed(3) })}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {/* Integrated Gradients of the gold and the predicted class, from the Attribution workflow. */}
                    <ExplainPrediction corpusId={run.corpusId} trainRunId={run.id} documentId={r.documentId} gold={r.gold[0] ?? null} predicted={r.predicted.find((l) => !r.gold.includes(l)) ?? r.predicted[0] ?? null} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {pages > 1 && (
        <Group justify="center" mt="sm">
          <Pagination data-testid="errors-pages" total={pages} value={page} onChange={setPage} size="sm" />
        </Group>
      )}
    </Card>
  );
}
