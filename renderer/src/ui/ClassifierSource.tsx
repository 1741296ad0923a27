// Where a classifier comes from, for the workflows that apply or explain one (prediction,
// attribution): a finished fine-tuning run, or a model folder from the Models page.
import { Alert, SegmentedControl, Select } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRuns } from '../runs/useRuns';
import { useApp } from '../state/AppContext';
import { ModelPicker } from './ModelPicker';

/** The choice's state: the finished fine-tuning runs (of `corpusId`, or of every corpus with null), the run chosen (the first by default) and the model folder. */
export function useClassifierSource(corpusId: number | null) {
  const app = useApp();
  const trainRuns = (useRuns('train', corpusId).runs ?? []).filter((r) => r.status === 'done');
  const [sourceKind, setSourceKind] = useState<'run' | 'model'>('run');
  const [chosenRun, setChosenRun] = useState<number | null>(null);
  const [modelPath, setModelPath] = useState('');
  const runId = chosenRun !== null && trainRuns.some((r) => r.id === chosenRun) ? chosenRun : (trainRuns[0]?.id ?? null);
  const run = trainRuns.find((r) => r.id === runId);
  const model = modelPath || app.settings.models[0] || '';
  return { trainRuns, sourceKind, setSourceKind, runId, run, setChosenRun, model, setModelPath };
}

/**
 * The run-or-model switch and, below it, the run's select (or why there is none) or the model
 * picker. `ns` is the workflow: its i18n prefix `<ns>.start` (sourceRun, sourceModel, noRuns, run,
 * runHint and ModelPicker's words) and its test ids `<ns>-source`, `<ns>-run`, `<ns>-model`.
 */
export function ClassifierSourcePicker(props: { ns: string; source: ReturnType<typeof useClassifierSource>; onGoToModels(): void }) {
  const { t } = useTranslation();
  const { ns, source: s } = props;
  return (
    <>
      <SegmentedControl
        data-testid={`${ns}-source`}
        value={s.sourceKind}
        onChange={(v) => s.setSourceKind(v as 'run' | 'model')}
        data={[
          { value: 'run', label: t(`${ns}.start.sourceRun`) },
          { value: 'model', label: t(`${ns}.start.sourceModel`) },
        ]}
      />
      {s.sourceKind === 'run' ? (
        s.trainRuns.length === 0 ? (
          <Alert color="yellow" variant="light">
            {t(`${ns}.start.noRuns`)}
          </Alert>
        ) : (
          <Select
            data-testid={`${ns}-run`}
            label={t(`${ns}.start.run`)}
            description={t(`${ns}.start.runHint`)}
            data={s.trainRuns.map((r) => ({ value: String(r.id), label: `#${r.id} ${r.name}` }))}
            value={s.runId === null ? null : String(s.runId)}
            allowDeselect={false}
            onChange={(v) => v && s.setChosenRun(Number(v))}
          />
        )
      ) : (
        <ModelPicker testId={`${ns}-model`} strings={`${ns}.start`} value={s.model} onChange={s.setModelPath} onGoToModels={props.onGoToModels} />
      )}
    </>
  );
}
