// The masked-LM loss comparison: models (the Models page's and the folders finished pretraining
// runs wrote) scored on the same masked documents of a corpus split, per mask seed and averaged,
// with models whose tokenizers differ flagged as not comparable.
import { Alert, Badge, Button, Card, Group, MultiSelect, NumberInput, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MlmEvaluation } from '../../../../common/contract';
import { baseName } from '../../format';
import { useRuns } from '../../runs/useRuns';
import { useApp } from '../../state/AppContext';
import { useLiveEffect } from '../../state/useLiveEffect';
import { ErrorAlert } from '../../ui/ErrorAlert';

/** Models a comparison can take: the Models page's, and the folders finished pretraining runs wrote. */
function useMlmModels(): string[] {
  const app = useApp();
  const { runs } = useRuns('pretrain', null);
  return useMemo(() => {
    const outputs = (runs ?? []).flatMap((r) => (r.status === 'done' && r.output ? [r.output.path] : []));
    return [...new Set([...app.settings.models, ...outputs])];
  }, [app.settings.models, runs]);
}

export function MlmComparison() {
  const { t } = useTranslation();
  const app = useApp();
  const models = useMlmModels();
  const [corpusId, setCorpusId] = useState<number | null>(app.corpusId ?? app.corpora[0]?.id ?? null);
  const [split, setSplit] = useState<'train' | 'dev' | 'test'>('test');
  const [picked, setPicked] = useState<string[]>([]);
  const [seeds, setSeeds] = useState(3);
  const [maxLength, setMaxLength] = useState(128);
  const [error, setError] = useState<unknown>(null);
  const [evaluations, setEvaluations] = useState<MlmEvaluation[] | null>(null);
  // The comparisons are loaded again when a masked-LM job of this session changes state.
  const jobs = app.jobs
    .filter((j) => j.kind === 'mlm')
    .map((j) => `${j.id}:${j.status}`)
    .join(',');

  useLiveEffect((isLive) => {
    app.api.call('mlm.evaluations', { corpusId: null }).then(
      (list) => isLive() && setEvaluations(list),
      (err: unknown) => isLive() && setError(err),
    );
  }, [app.api, jobs]);

  const start = async () => {
    setError(null);
    try {
      await app.api.call('mlm.evaluate', { corpusId: corpusId!, modelPaths: picked, split, seeds, maxLength });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack gap="md" data-testid="mlm-view">
      <Card withBorder>
        <Text fw={600}>{t('pretrain.mlm.title')}</Text>
        <Text size="sm" c="dimmed" mb="sm">
          {t('pretrain.mlm.intro')}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <Select
            data-testid="mlm-corpus"
            label={t('pretrain.mlm.corpus')}
            data={app.corpora.map((c) => ({ value: String(c.id), label: c.name }))}
            value={corpusId === null ? null : String(corpusId)}
            onChange={(v) => v && setCorpusId(Number(v))}
            allowDeselect={false}
          />
          <Select
            data-testid="mlm-split"
            label={t('pretrain.mlm.split')}
            data={(['train', 'dev', 'test'] as const).map((s) => ({ value: s, label: t(`splits.${s}`) }))}
            value={split}
            onChange={(v) => v && setSplit(v as typeof split)}
            allowDeselect={false}
            w={120}
          />
          <MultiSelect
            data-testid="mlm-models"
            searchable
            label={t('pretrain.mlm.models')}
            description={t('pretrain.mlm.modelsHint')}
            data={models.map((p) => ({ value: p, label: baseName(p) || p }))}
            value={picked}
            onChange={setPicked}
            miw={320}
            style={{ flex: 1 }}
          />
          <NumberInput data-testid="mlm-seeds" label={t('pretrain.mlm.seeds')} min={1} max={20} allowDecimal={false} value={seeds} onChange={(v) => typeof v === 'number' && setSeeds(v)} w={120} />
          <NumberInput data-testid="mlm-max-length" label={t('pretrain.mlm.maxLength')} min={8} allowDecimal={false} value={maxLength} onChange={(v) => typeof v === 'number' && setMaxLength(v)} w={120} />
          <Button data-testid="mlm-start" disabled={corpusId === null || picked.length === 0} onClick={() => void start()}>
            {t('pretrain.mlm.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
      </Card>
      {evaluations && evaluations.length === 0 && <Text c="dimmed">{t('pretrain.mlm.none')}</Text>}
      {evaluations?.map((e) => <EvaluationTable key={e.id} evaluation={e} />)}
    </Stack>
  );
}

function EvaluationTable({ evaluation: e }: { evaluation: MlmEvaluation }) {
  const { t } = useTranslation();
  const groups = new Set(e.models.map((m) => m.group)).size;
  return (
    <Card withBorder data-testid="mlm-evaluation">
      <Text fw={600} size="sm" mb="xs">
        {t('pretrain.mlm.heading', { corpus: e.corpusName, split: t(`splits.${e.split}`), documents: e.documents, seeds: e.seeds, maxLength: e.maxLength })}
      </Text>
      {groups > 1 && (
        <Alert color="yellow" variant="light" mb="xs" data-testid="mlm-not-comparable">
          {t('pretrain.mlm.notComparable', { count: groups })}
        </Alert>
      )}
      <Table fz="sm" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            {(['model', 'loss', 'perplexity', 'perSeed', 'tokens', 'group'] as const).map((c) => (
              <Table.Th key={c}>{t(`pretrain.mlm.columns.${c}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {e.models.map((m) => (
            <Table.Tr key={m.path} data-testid="mlm-row" data-group={m.group}>
              <Table.Td>
                <Tooltip label={m.path}>
                  <span>{m.name}</span>
                </Tooltip>
              </Table.Td>
              <Table.Td data-testid="mlm-loss">{m.loss.loss.toFixed(4)}</Table.Td>
              <Table.Td>{Math.exp(m.loss.loss).toFixed(2)}</Table.Td>
              <Table.Td>{m.loss.perSeed.map((x) => x.toFixed(4)).join(' / ')}</Table.Td>
              <Table.Td>{m.loss.tokens[0]?.toLocaleString()}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={groups > 1 ? 'yellow' : 'gray'}>
                  {t('pretrain.mlm.group', { n: m.group + 1 })}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
