// One pretraining run: the loss curves growing live (training batches per step, held-out text
// before training and after each epoch), the held-out losses per mask seed, the model folder it
// wrote, and its record. The header, job, notices and record's common facts are the run
// scaffold's (RunPageShell).
import { Badge, Button, Card, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldOutLossInfo } from '../../../../common/contract';
import { Chart } from '../../charts/Chart';
import { RunPageShell } from '../../runs/RunPageShell';
import { useLiveRun } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { Fact } from '../../ui/Fact';
import { applyPretrainProgress, pretrainLossChart } from './pretrainCharts';

export function PretrainRunPage(props: { runId: number; onBack(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const { runId } = props;
  const run = useLiveRun('pretrain', 'pretrain.progress', runId);
  const { detail, eventsVersion } = run;
  // The fetched points with the live events folded in; eventsVersion says when run.events has grown.
  const points = useMemo(() => (detail ? applyPretrainProgress(detail.points, run.events.current) : []), [detail, eventsVersion]);
  const chartText = useMemo(
    () => ({
      step: t('pretrain.run.step'),
      loss: t('pretrain.run.loss'),
      epoch: t('pretrain.run.epoch'),
      training: t('pretrain.run.training'),
      heldOut: t('pretrain.run.heldOut'),
      learningRate: t('pretrain.run.learningRate'),
      kind: t('pretrain.run.kind'),
    }),
    [t],
  );
  const chart = useMemo(() => pretrainLossChart(points, chartText), [points, chartText]);
  const locale = app.language === 'ja' ? 'ja-JP' : 'en-GB';
  const steps = points.filter((p) => p.kind === 'step');
  const evals = points.filter((p) => p.kind === 'eval');

  return (
    <RunPageShell
      kind="pretrain"
      namespace="pretrain"
      run={run}
      onBack={props.onBack}
      preparing={t('pretrain.run.preparing')}
      parts={(d) => ({
        badges: (
          <Badge variant="outline" color="gray" tt="none">
            {t(`pretrain.modes.${d.config.mode}`)}
          </Badge>
        ),
        body: (
          <>
            <Card withBorder data-testid="pretrain-curves" data-steps={steps.length} data-evals={evals.length}>
              <Text fw={600} mb="xs">
                {t(d.config.mode === 'simcse' ? 'pretrain.run.simcse.curves' : 'pretrain.run.curves')}
              </Text>
              {points.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('pretrain.run.noCurves')}
                </Text>
              ) : (
                <Chart testId="chart-pretrain-loss" option={chart.option} csv={chart.csv} fileName={`pretrain-${runId}-loss`} exportTestId="pretrain-export" height={320} />
              )}
            </Card>
            {(d.initialLoss || d.finalLoss) && (
              <Card withBorder data-testid="pretrain-losses">
                <Text fw={600}>{t(d.config.mode === 'simcse' ? 'pretrain.run.simcse.losses' : 'pretrain.run.losses')}</Text>
                <Text size="xs" c="dimmed" mb="xs">
                  {d.config.mode === 'simcse'
                    ? t('pretrain.run.simcse.lossesNote', { seeds: d.config.evalSeeds, batch: d.config.batchSize, uniform: Math.log(Math.max(2, d.config.batchSize)).toFixed(3) })
                    : t('pretrain.run.lossesNote', { seeds: d.config.evalSeeds, uniform: d.output ? Math.log(d.output.vocabSize).toFixed(3) : '—' })}
                </Text>
                <Table fz="sm" withTableBorder maw={720}>
                  <Table.Tbody>
                    <LossRow label={t('pretrain.run.initial')} loss={d.initialLoss} perSeed={t('pretrain.run.perSeed')} testId="pretrain-initial-loss" />
                    <LossRow label={t('pretrain.run.final')} loss={d.finalLoss} perSeed={t('pretrain.run.perSeed')} testId="pretrain-final-loss" />
                  </Table.Tbody>
                </Table>
              </Card>
            )}
          </>
        ),
        record: {
          lead: (
            <>
              <Fact breakAll label={t('pretrain.run.output')} testId="pretrain-output-path">
                <Text size="xs" ff="monospace">
                  {d.output?.path ?? d.config.outputDir}
                </Text>
                {d.output && <AddToModels path={d.output.path} />}
              </Fact>
              {d.base && (
                <Fact breakAll label={t('pretrain.run.base')}>
                  {d.base.name}
                  <Text size="xs" c="dimmed" ff="monospace">
                    {d.base.hash}
                  </Text>
                </Fact>
              )}
            </>
          ),
          afterHash: (
            <Fact label={t('pretrain.run.sequences')}>
              {t('pretrain.run.sequencesValue', { train: d.sequences.train.toLocaleString(locale), heldOut: d.sequences.heldOut.toLocaleString(locale) })}
            </Fact>
          ),
          checkpoint: d.checkpoint && t('pretrain.run.checkpointValue', { step: d.checkpoint.step.toLocaleString(locale), at: new Date(d.checkpoint.savedAt).toLocaleString(locale) }),
          footer: (
            <Text component="pre" size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(d.config, null, 2)}
            </Text>
          ),
        },
      })}
    />
  );
}

function LossRow({ label, loss, perSeed, testId }: { label: string; loss: HeldOutLossInfo | null; perSeed: string; testId: string }) {
  return (
    <Table.Tr data-testid={testId}>
      <Table.Td c="dimmed" w="30%">
        {label}
      </Table.Td>
      <Table.Td fw={600}>{loss ? loss.loss.toFixed(4) : '—'}</Table.Td>
      <Table.Td c="dimmed">{loss ? `${perSeed}: ${loss.perSeed.map((x) => x.toFixed(4)).join(' / ')}` : ''}</Table.Td>
    </Table.Tr>
  );
}

/** Puts the written model on the Models page, so it can be fine-tuned, embedded with or compared. */
function AddToModels({ path }: { path: string }) {
  const { t } = useTranslation();
  const app = useApp();
  const [done, setDone] = useState(app.settings.models.includes(path));
  const [error, setError] = useState<unknown>(null);
  if (done) return <Text size="xs" c="dimmed">{t('pretrain.run.added')}</Text>;
  return (
    <>
      <Button
        size="compact-xs"
        variant="light"
        mt={4}
        data-testid="pretrain-add-model"
        onClick={() =>
          app.api.call('models.add', { path }).then(
            () => {
              setDone(true);
              void app.refreshSettings();
            },
            setError,
          )
        }
      >
        {t('pretrain.run.openModels')}
      </Button>
      <ErrorAlert error={error} />
    </>
  );
}
