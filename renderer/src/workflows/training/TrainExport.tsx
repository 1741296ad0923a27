// Export a finished run: the LoRA adapter alone (a PEFT folder), the model merged into a full
// Hugging Face sequence-classification folder, or an ONNX model of its logits (for onnxruntime). Electron picks the folder natively; browser mode
// asks for a path on the server, as the project dialogs do.
import { Alert, Button, Card, Code, Group, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunDetail } from '../../../../common/contract';
import { useFolderExport } from '../../runs/useFolderExport';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PathModal } from '../../ui/PathModal';

export function TrainExport({ run }: { run: TrainRunDetail }) {
  const { t } = useTranslation();
  const app = useApp();
  // A full fine-tune has no adapter: only the whole model can be written.
  const lora = run.config.method === 'lora';
  const [format, setFormat] = useState<'adapter' | 'merged' | 'onnx'>(lora ? 'adapter' : 'merged');
  const chosen = format === 'adapter' && !lora ? 'merged' : format;
  const { asking, busy, error, done, start, submit, close } = useFolderExport((outDir) =>
    chosen === 'onnx' ? app.api.call('train.exportOnnx', { runId: run.id, outDir }) : app.api.call('train.export', { runId: run.id, outDir, merge: chosen === 'merged' }),
  );

  return (
    <Card withBorder data-testid="run-export">
      <Text fw={600} mb="xs">
        {t('train.export.title')}
      </Text>
      <Stack gap="sm">
        <Radio.Group value={chosen} onChange={(v) => setFormat(v as typeof format)}>
          <Stack gap="xs">
            <Radio
              value="adapter"
              data-testid="export-adapter"
              disabled={!lora}
              label={t('train.export.adapter')}
              description={lora ? t('train.export.adapterHint') : t('train.export.adapterFull')}
            />
            <Radio value="merged" data-testid="export-merge" label={t('train.export.merged')} description={t(lora ? 'train.export.mergedLoraHint' : 'train.export.mergedHint')} />
            <Radio value="onnx" data-testid="export-onnx" label={t('train.export.onnx')} description={t('train.export.onnxHint')} />
          </Stack>
        </Radio.Group>
        <Group>
          <Button data-testid="export-start" loading={busy} onClick={() => void start()}>
            {t('train.export.start')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {done && (
          <Alert color="teal" variant="light" data-testid="export-result">
            <Text size="sm">{t('train.export.done', { path: done.path, count: done.files.length })}</Text>
            <Code block mt={4}>
              {done.files.join('\n')}
            </Code>
          </Alert>
        )}
      </Stack>
      <PathModal
        opened={asking}
        title={t('train.export.pathTitle')}
        hint={t('train.export.pathHint')}
        onClose={close}
        onSubmit={submit}
      />
    </Card>
  );
}
