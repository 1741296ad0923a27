// Pieces the Training pages share: the readable config summary and the config as JSON for
// `shirabe train --config`.
import { Button, Code, CopyButton, Group, Stack, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainConfig } from '../../../../common/contract';
import { downloadBlob } from '../../charts/download';
import { baseName } from '../../format';
import { useApp } from '../../state/AppContext';
import { configJson, configRows, type ConfigText } from './trainConfig';

/** Translations and names for trainConfig's summary helpers, from the app's corpora. */
export function useConfigText(names?: { corpusName?: string; modelName?: string }): ConfigText {
  const { t } = useTranslation();
  const app = useApp();
  return useMemo(
    () => ({
      t: (key: string, params?: Record<string, unknown>) => t(key, params ?? {}),
      corpusName: (id: number) => names?.corpusName ?? app.corpora.find((c) => c.id === id)?.name ?? t('train.config.corpusId', { id }),
      modelName: (path: string) => names?.modelName ?? (baseName(path) || path),
    }),
    [t, app.corpora, names?.corpusName, names?.modelName],
  );
}

/** The config as a two-column table, one row per setting that applies. */
export function ConfigSummary({ config, text, testId }: { config: TrainConfig; text: ConfigText; testId?: string }) {
  const { t } = useTranslation();
  const rows = configRows(config, text);
  return (
    <Table fz="sm" withTableBorder data-testid={testId} layout="fixed" verticalSpacing={4}>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key} data-key={r.key}>
            <Table.Td w="40%" c="dimmed">
              {t(`train.config.keys.${r.key}`)}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{r.value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The config as `shirabe train --config` reads it, to copy or save. */
export function ConfigJson({ config, fileName }: { config: TrainConfig; fileName: string }) {
  const { t } = useTranslation();
  const json = configJson(config);
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {t('train.config.jsonHint', { file: `${fileName}.json` })}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <CopyButton value={json}>
            {({ copied, copy }) => (
              <Button data-testid="train-config-copy" size="compact-xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy}>
                {copied ? t('train.config.copied') : t('train.config.copy')}
              </Button>
            )}
          </CopyButton>
          <Button
            data-testid="train-config-save"
            size="compact-xs"
            variant="default"
            onClick={() => downloadBlob(new Blob([json], { type: 'application/json' }), `${fileName}.json`)}
          >
            {t('train.config.save')}
          </Button>
        </Group>
      </Group>
      <Code block data-testid="train-config-json" style={{ maxHeight: 360, overflow: 'auto' }}>
        {json}
      </Code>
    </Stack>
  );
}
