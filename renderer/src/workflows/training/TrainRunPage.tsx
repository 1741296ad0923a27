// One fine-tuning run: live curves while it trains (the run's curves plus train.progress events),
// then the outcome (best learning rate and epoch, test metrics, confusion matrix), the test and
// validation predictions, the export and the record. The header, job, notices and record's common
// facts are the run scaffold's (RunPageShell).
import { Card, Code, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunDetail } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { applyProgress, useLastStep } from '../../runs/liveCurves';
import { ModelFact } from '../../runs/ModelFact';
import { RunPageShell } from '../../runs/RunPageShell';
import { useLiveRun } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { Fact } from '../../ui/Fact';
import { epochChart, stepLossChart, type EpochChartText, type EpochMetric } from './trainCharts';
import { formatLearningRate } from './trainConfig';
import { TrainErrors } from './TrainErrors';
import { TrainExport } from './TrainExport';
import { TrainResults } from './TrainResults';
import { ConfigJson, ConfigSummary, useConfigText } from './TrainShared';

export function TrainRunPage(props: { runId: number; onBack(): void; onOpenRun(runId: number): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const { runId } = props;
  // Its live events since the page opened are folded into the fetched curves.
  const run = useLiveRun('train', 'train.progress', runId);
  const { detail, events: live, eventsVersion: liveVersion } = run;
  // liveVersion says when live.current has grown.
  const curves = useMemo(() => (detail ? applyProgress(detail.curves, live.current) : null), [detail, liveVersion]);
  const lastStep = useLastStep(run);
  const text = useConfigText(detail ? { corpusName: detail.corpusName, modelName: detail.model.name } : undefined);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  const lrs = detail?.config.learningRates ?? [];

  return (
    <RunPageShell
      kind="train"
      namespace="train"
      run={run}
      onBack={props.onBack}
      onOpenRun={props.onOpenRun}
      progressNote={
        lastStep &&
        ` · ${t('train.run.where', {
          lr: formatLearningRate(lrs[lastStep.learningRateIndex] ?? 0),
          index: lastStep.learningRateIndex + 1,
          count: lrs.length,
          epoch: lastStep.epoch,
        })}`
      }
      parts={(d) => ({
        subtitle: t('train.run.subtitle', {
          corpus: d.corpusName,
          model: d.model.name,
          method: t(`train.methods.${d.config.method}`),
          task: t(`train.tasks.${d.config.task === 'single-label' ? 'single' : 'multi'}`),
          labels: d.labels.length,
        }),
        interrupted: d.checkpoint
          ? t('train.run.interrupted', {
              lr: formatLearningRate(lrs[d.checkpoint.learningRateIndex] ?? 0),
              index: d.checkpoint.learningRateIndex + 1,
              count: lrs.length,
              step: d.checkpoint.step.toLocaleString(),
              at: new Date(d.checkpoint.savedAt).toLocaleString(locale),
            })
          : t('train.run.interruptedNoCheckpoint'),
        body: (
          <>
            {curves && <Curves curves={curves} learningRates={lrs} best={d.best} runId={d.id} />}
            {d.status === 'done' && d.test && <TrainResults run={d} curves={curves ?? d.curves} />}
            {d.status === 'done' && <TrainErrors run={d} />}
            {d.status === 'done' && <TrainExport run={d} />}
          </>
        ),
        record: {
          lead: (
            <Fact breakAll label={t('train.record.seed')}>
              {d.config.seed}
            </Fact>
          ),
          afterHash: <ModelFact label={t('train.record.model')} model={d.model} />,
          middle: (
            <>
              <Fact breakAll label={t('train.record.documents')}>
                {t('train.estimate.documentsValue', {
                  train: d.documents.train.toLocaleString(),
                  validation: d.documents.validation.toLocaleString(),
                  test: d.documents.test.toLocaleString(),
                })}
              </Fact>
              <Fact breakAll label={t('train.record.labels', { count: d.labels.length })}>
                {d.labels.join(t('common.listSeparator'))}
              </Fact>
            </>
          ),
          checkpoint:
            d.checkpoint &&
            t('train.record.checkpointValue', {
              lr: formatLearningRate(lrs[d.checkpoint.learningRateIndex] ?? 0),
              step: d.checkpoint.step.toLocaleString(),
              at: new Date(d.checkpoint.savedAt).toLocaleString(locale),
            }),
          footer: (
            <>
              <SimpleGrid cols={{ base: 1, lg: 2 }}>
                <ConfigSummary config={d.config} text={text} testId="run-config" />
                <ConfigJson config={d.config} fileName={`run-${d.id}-config`} />
              </SimpleGrid>
              <Text size="xs" c="dimmed" mt="xs">
                {t('train.record.rerunNote')} <Code>{`shirabe train --config run-${d.id}-config.json`}</Code>
              </Text>
            </>
          ),
        },
      })}
    />
  );
}

const scoreMetrics = ['validationMacroF1', 'validationAccuracy', 'validationMicroF1'] as const;

function Curves(props: { curves: TrainRunDetail['curves']; learningRates: number[]; best: TrainRunDetail['best']; runId: number }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<(typeof scoreMetrics)[number]>('validationMacroF1');
  const { curves, learningRates, best } = props;
  const stepText = useMemo(
    () => ({
      step: t('train.charts.step'),
      loss: t('train.charts.loss'),
      epoch: t('train.charts.epoch'),
      learningRate: t('train.charts.learningRate'),
      scheduledLearningRate: t('train.charts.scheduledLearningRate'),
    }),
    [t],
  );
  const epochText: EpochChartText = useMemo(
    () => ({
      epoch: t('train.charts.epoch'),
      learningRate: t('train.charts.learningRate'),
      seconds: t('train.charts.seconds'),
      best: t('train.charts.best'),
      metrics: {
        validationLoss: t('train.charts.metrics.validationLoss'),
        validationMacroF1: t('train.charts.metrics.validationMacroF1'),
        validationAccuracy: t('train.charts.metrics.validationAccuracy'),
        validationMicroF1: t('train.charts.metrics.validationMicroF1'),
        trainLoss: t('train.charts.metrics.trainLoss'),
      },
    }),
    [t],
  );
  const steps = useMemo(() => stepLossChart(curves, learningRates, stepText), [curves, learningRates, stepText]);
  const validation = useMemo(() => epochChart(curves, learningRates, 'validationLoss', epochText, best), [curves, learningRates, epochText, best]);
  const scores = useMemo(() => epochChart(curves, learningRates, score as EpochMetric, epochText, best), [curves, learningRates, score, epochText, best]);
  const empty = curves.steps.length === 0 && curves.epochs.length === 0;

  return (
    // The point counts let the end-to-end test see the curves grow while the run goes on.
    <Card withBorder data-testid="run-curves" data-steps={curves.steps.length} data-epochs={curves.epochs.length}>
      <Text fw={600} mb="xs">
        {t('train.charts.title')}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed" data-testid="run-no-curves">
          {t('train.charts.empty')}
        </Text>
      ) : (
        <Stack gap="md">
          <Chart
            testId="chart-train-loss"
            title={t('train.charts.trainLoss')}
            fileName={`run-${props.runId}-train-loss`}
            option={steps.option}
            csv={steps.csv}
            height={300}
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Chart
              testId="chart-val"
              title={t('train.charts.validationLoss')}
              fileName={`run-${props.runId}-validation-loss`}
              option={validation.option}
              csv={validation.csv}
              exportTestId="chart-val-export"
              height={300}
            />
            <Stack gap={4}>
              <SegmentedControl
                data-testid="chart-val-metric"
                size="xs"
                value={score}
                onChange={(v) => setScore(v as (typeof scoreMetrics)[number])}
                data={scoreMetrics.map((m) => ({ value: m, label: t(`train.charts.metrics.${m}`) }))}
              />
              <Chart
                testId="chart-val-scores"
                title={t('train.charts.validationScores')}
                fileName={`run-${props.runId}-${score}`}
                option={scores.option}
                csv={scores.csv}
                exportTestId="chart-val-scores-export"
                height={270}
              />
            </Stack>
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('train.charts.note')}
          </Text>
        </Stack>
      )}
    </Card>
  );
}
