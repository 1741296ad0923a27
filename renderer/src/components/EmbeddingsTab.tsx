import { Button, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmbeddingRunInfo } from '../../../common/contract';
import { useApp } from '../state/AppContext';
import { CorpusSelect } from './CorpusSelect';
import { EmbedModal } from './EmbedModal';
import { ErrorAlert } from './ErrorAlert';

const truncationKey = { head: 'head', 'head+tail': 'headTail' } as const;

/** "Embed corpus…" and the embedding runs of the selected corpus. */
export function EmbeddingsTab(props: { onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  const [open, setOpen] = useState(false);
  const [runs, setRuns] = useState<EmbeddingRunInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const corpusId = app.corpusId;
  const corpus = app.corpora.find((c) => c.id === corpusId);
  // Reload when an embedding job of this session finishes.
  const finished = app.jobs.filter((j) => j.kind === 'embed' && j.status === 'done').length;

  useEffect(() => {
    setError(null);
    if (corpusId === null) {
      setRuns(null);
      return;
    }
    let live = true;
    app.api.call('embed.runs', { corpusId }).then(
      (r) => live && setRuns(r),
      (err: unknown) => {
        if (!live) return;
        setRuns(null);
        setError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [app.api, corpusId, finished]);

  return (
    <Stack gap="md" pb="md" data-testid="embeddings-view">
      <Group align="flex-end">
        <CorpusSelect />
        <Button data-testid="embed-open" disabled={!corpus} onClick={() => setOpen(true)}>
          {t('embed.open')}
        </Button>
      </Group>
      {!corpus && (
        <Text size="sm" c="dimmed">
          {t('documents.noCorpus')}
        </Text>
      )}
      <ErrorAlert error={error} />
      {corpus && (
        <Stack gap="xs">
          <Text fw={600}>{t('embed.runs')}</Text>
          {runs && runs.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('embed.noRuns')}
            </Text>
          ) : (
            <ScrollArea type="auto">
              <Table data-testid="embed-runs" striped withTableBorder fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <Table.Thead>
                  <Table.Tr>
                    {(['model', 'pooling', 'layer', 'maxLength', 'truncation', 'dimensions', 'documents', 'truncated', 'backend', 'seconds', 'created'] as const).map((c) => (
                      <Table.Th key={c}>{t(`embed.columns.${c}`)}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(runs ?? []).map((r) => (
                    <Table.Tr key={r.id} data-testid="embed-runs-row">
                      <Table.Td title={`${r.model.path}\n${r.model.hash}`}>{r.model.name}</Table.Td>
                      <Table.Td>{t(`embed.poolings.${r.pooling}`)}</Table.Td>
                      <Table.Td>{r.layer}</Table.Td>
                      <Table.Td>{r.maxLength.toLocaleString()}</Table.Td>
                      <Table.Td>{t(`embed.truncations.${truncationKey[r.truncation]}`)}</Table.Td>
                      <Table.Td>{r.dimensions.toLocaleString()}</Table.Td>
                      <Table.Td>{r.documents.toLocaleString()}</Table.Td>
                      <Table.Td>{r.truncatedDocuments.toLocaleString()}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'normal', minWidth: 160 }}>{r.backend}</Table.Td>
                      <Table.Td>{t('embed.secondsValue', { seconds: r.seconds.toFixed(1) })}</Table.Td>
                      <Table.Td>{new Date(r.createdAt).toLocaleString(app.language === 'ja' ? 'ja-JP' : 'en-GB')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      )}
      {corpus && (
        <EmbedModal
          opened={open}
          corpusId={corpus.id}
          corpusName={corpus.name}
          onClose={() => setOpen(false)}
          onGoToModels={props.onGoToModels}
          onStarted={() => undefined}
        />
      )}
    </Stack>
  );
}
