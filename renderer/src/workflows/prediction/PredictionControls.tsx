// The corpus document table's prediction controls: which prediction run's labels to show as a
// column, a filter by predicted label, and the order (corpus order, or by confidence).
import { Select } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { documentSorts, type DocumentPredictionQuery, type DocumentSort } from '../../../../common/contract';
import { useRuns } from '../../runs/useRuns';

export function PredictionControls(props: { corpusId: number | null; value: DocumentPredictionQuery | null; onChange(value: DocumentPredictionQuery | null): void }) {
  const { t } = useTranslation();
  // Finished runs and runs still going (their documents so far).
  const loaded = useRuns('prediction', props.corpusId).runs;
  const runs = (loaded ?? []).filter((r) => r.done > 0);
  const value = props.value && runs.some((r) => r.id === props.value!.runId) ? props.value : null;
  const run = value ? runs.find((r) => r.id === value.runId) : undefined;
  const { value: chosen, onChange } = props;
  // A run deleted, or of another corpus once the corpus is changed: no column, filter or order from it.
  useEffect(() => {
    if (loaded && chosen && !loaded.some((r) => r.id === chosen.runId && r.done > 0)) onChange(null);
  }, [loaded, chosen, onChange]);
  if (runs.length === 0) return null;
  return (
    <>
      <Select
        data-testid="doc-prediction-run"
        label={t('prediction.corpus.run')}
        placeholder={t('prediction.corpus.none')}
        data={runs.map((r) => ({ value: String(r.id), label: t('prediction.corpus.runOption', { id: r.id, name: r.name }) }))}
        value={value ? String(value.runId) : null}
        clearable
        w={220}
        onChange={(v) => props.onChange(v ? { runId: Number(v), label: null, sort: value?.sort ?? 'ordinal' } : null)}
      />
      {value && run && (
        <>
          <Select
            data-testid="doc-prediction-label"
            label={t('prediction.corpus.label')}
            placeholder={t('prediction.corpus.anyLabel')}
            data={run.labels}
            value={value.label}
            clearable
            w={160}
            onChange={(v) => props.onChange({ ...value, label: v })}
          />
          <Select
            data-testid="doc-prediction-sort"
            label={t('prediction.corpus.sort')}
            data={documentSorts.map((s) => ({ value: s, label: t(`prediction.corpus.sorts.${s}`) }))}
            value={value.sort}
            allowDeselect={false}
            w={150}
            onChange={(v) => v && props.onChange({ ...value, sort: v as DocumentSort })}
          />
        </>
      )}
    </>
  );
}
