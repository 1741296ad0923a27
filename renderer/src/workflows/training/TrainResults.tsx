// A finished run's outcome: the learning rate and epoch kept, every learning rate's best epoch,
// the test metrics with the per-class table, scikit-learn's zero-division convention and the
// labels it applied to, the majority-class baseline and the confusion matrix.
import { Card, Group, ScrollArea, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TestMetrics, TrainCurves, TrainRunDetail } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { confusionChart } from './trainCharts';
import { formatScore } from '../../format';
import { formatLearningRate } from './trainConfig';

export function TrainResults({ run, curves }: { run: TrainRunDetail; curves: TrainCurves }) {
  const { t } = useTranslation();
  const test = run.test!;
  const best = run.best;
  return (
    <Stack gap="md" data-testid="run-results">
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('train.results.sweep')}
        </Text>
        {best && (
          <Text size="sm" mb="xs" data-testid="run-best">
            {t('train.results.best', { lr: formatLearningRate(best.learningRate), epoch: best.epoch, loss: best.validationLoss.toFixed(4) })}
          </Text>
        )}
        <ScrollArea type="auto">
          <Table fz="sm" withTableBorder striped data-testid="run-per-lr">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('train.results.learningRate')}</Table.Th>
                <Table.Th ta="right">{t('train.results.bestEpoch')}</Table.Th>
                <Table.Th ta="right">{t('train.results.bestValidationLoss')}</Table.Th>
                <Table.Th ta="right">{t('train.results.validationMacroF1')}</Table.Th>
                <Table.Th ta="right">{t('train.results.validationAccuracy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {run.perLearningRate.map((r, i) => {
                const atBest = curves.epochs.find((p) => p.learningRateIndex === i && p.epoch === r.bestEpoch);
                const kept = best !== null && best.learningRate === r.learningRate;
                return (
                  <Table.Tr key={i} data-kept={kept || undefined} fw={kept ? 700 : undefined}>
                    <Table.Td>
                      {formatLearningRate(r.learningRate)}
                      {kept && ` ${t('train.results.kept')}`}
                    </Table.Td>
                    <Table.Td ta="right">{r.bestEpoch}</Table.Td>
                    <Table.Td ta="right">{r.bestValidationLoss.toFixed(4)}</Table.Td>
                    <Table.Td ta="right">{formatScore(atBest?.validationMacroF1)}</Table.Td>
                    <Table.Td ta="right">{formatScore(atBest?.validationAccuracy)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Card>
      <TestMetricsCard test={test} labels={run.labels} runId={run.id} />
    </Stack>
  );
}

function Stat({ label, value, testId, hint }: { label: string; value: string; testId?: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </div>
  );
}

/** Metrics against gold labels: the test split's here, a prediction run's on its page (with its own title). */
export function TestMetricsCard({ test, labels, runId, title }: { test: TestMetrics; labels: string[]; runId: number; title?: string }) {
  const { t } = useTranslation();
  const multi = test.task === 'multi-label';
  const noPred = new Set(test.zeroDivision.noPredictions);
  const noSupport = new Set(test.zeroDivision.noSupport);
  const hit = test.zeroDivision.noPredictions.length + test.zeroDivision.noSupport.length > 0;
  const list = (xs: string[]) => (xs.length ? xs.join(t('common.listSeparator')) : t('train.results.noneHere'));

  const confusion = useMemo(
    () =>
      test.confusion
        ? confusionChart(labels, test.confusion, {
            gold: t('train.results.gold'),
            predicted: t('train.results.predicted'),
            corner: t('train.results.confusionCorner'),
          })
        : null,
    [test.confusion, labels, t],
  );

  return (
    <Card withBorder data-testid="run-test">
      <Text fw={600} mb="xs">
        {title ?? t('train.results.test', { count: test.documents })}
      </Text>
      <SimpleGrid cols={{ base: 2, md: multi ? 5 : 4 }} mb="md">
        <Stat label={multi ? t('train.results.subsetAccuracy') : t('train.results.accuracy')} value={formatScore(test.accuracy)} testId="run-test-accuracy" />
        <Stat label={t('train.results.macroF1')} value={formatScore(test.macro.f1)} testId="run-test-macro-f1" />
        <Stat label={t('train.results.microF1')} value={formatScore(test.micro.f1)} />
        <Stat label={t('train.results.weightedF1')} value={formatScore(test.weighted.f1)} />
        {multi && <Stat label={t('train.results.hammingLoss')} value={formatScore(test.hammingLoss)} hint={t('train.results.hammingHint')} />}
      </SimpleGrid>
      {test.majorityBaseline && (
        <Text size="sm" mb="sm" data-testid="run-baseline">
          {t('train.results.baseline', { accuracy: formatScore(test.majorityBaseline.accuracy), macroF1: formatScore(test.majorityBaseline.macroF1) })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Table fz="sm" withTableBorder data-testid="run-averages">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">{t('train.results.precision')}</Table.Th>
                <Table.Th ta="right">{t('train.results.recall')}</Table.Th>
                <Table.Th ta="right">{t('train.results.f1')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(['macro', 'micro', 'weighted'] as const).map((k) => (
                <Table.Tr key={k}>
                  <Table.Td>{t(`train.results.averages.${k}`)}</Table.Td>
                  <Table.Td ta="right">{formatScore(test[k].precision)}</Table.Td>
                  <Table.Td ta="right">{formatScore(test[k].recall)}</Table.Td>
                  <Table.Td ta="right">{formatScore(test[k].f1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <ScrollArea.Autosize mah={420} type="auto">
            <Table fz="sm" withTableBorder striped data-testid="run-per-class">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('train.results.label')}</Table.Th>
                  <Table.Th ta="right">{t('train.results.precision')}</Table.Th>
                  <Table.Th ta="right">{t('train.results.recall')}</Table.Th>
                  <Table.Th ta="right">{t('train.results.f1')}</Table.Th>
                  <Table.Th ta="right">{t('train.results.support')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {test.perClass.map((c) => (
                  <Table.Tr key={c.label} data-testid="per-class-row" data-label={c.label}>
                    <Table.Td>{c.label}</Table.Td>
                    <Table.Td ta="right" title={noPred.has(c.label) ? t('train.results.zeroPrecision') : undefined}>
                      {formatScore(c.precision)}
                      {noPred.has(c.label) && ' *'}
                    </Table.Td>
                    <Table.Td ta="right" title={noSupport.has(c.label) ? t('train.results.zeroRecall') : undefined}>
                      {formatScore(c.recall)}
                      {noSupport.has(c.label) && ' *'}
                    </Table.Td>
                    <Table.Td ta="right">{formatScore(c.f1)}</Table.Td>
                    <Table.Td ta="right">{c.support.toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Stack gap={2} data-testid="run-zero-division" data-hit={hit || undefined}>
            <Text size="xs">
              {hit ? '* ' : ''}
              {t('train.results.zeroDivision')}
            </Text>
            <Text size="xs" c={hit ? undefined : 'dimmed'}>
              {t('train.results.zeroDivisionLabels', { noPredictions: list(test.zeroDivision.noPredictions), noSupport: list(test.zeroDivision.noSupport) })}
            </Text>
          </Stack>
        </Stack>
        {confusion ? (
          <Chart
            testId="confusion-matrix"
            exportTestId="confusion-export"
            title={t('train.results.confusion')}
            fileName={`run-${runId}-confusion-matrix`}
            option={confusion.option}
            csv={confusion.csv}
            height={Math.min(900, Math.max(340, 120 + labels.length * 36))}
          />
        ) : (
          <Group>
            <Text size="sm" c="dimmed">
              {t('train.results.noConfusion')}
            </Text>
          </Group>
        )}
      </SimpleGrid>
    </Card>
  );
}
