// Export a finished run: the LoRA adapter alone (a PEFT folder), the model merged into a full
// Hugging Face sequence-classification folder, or an ONNX model of its logits (for onnxruntime). Electron picks the folder natively; browser mode
// asks for a path on the server, as the project dialogs do.
import { Alert, Button, Card, Code, Group, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrainRunDetail } from '../../../../common/contract';
import { useApp } from '../../state/AppContext';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { PathModal } from '../../ui/PathModal';

export function TrainExport({ run }: { run: TrainRunDetail }) {
  const { t } = useTranslation();
  const app = useApp();
  // A full fine-tune has no adapter: only the whole model can be written.
  const lora = run.config.method === 'lora';
  const [format, setFormat] = useState<'adapter' | 'merged' | 'onnx'>(lora ? 'adapter' : 'merged');
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ path: string; files: string[] } | null>(null);
  const chosen = format === 'adapter' && !lora ? 'merged' : format;

  const write = async (outDir: string) => {
    const result =
      chosen === 'onnx' ? await app.api.call('train.exportOnnx', { runId: run.id, outDir }) : await app.api.call('train.export', { runId: run.id, outDir, merge: chosen === 'merged' });
    setDone(result);
    setAsking(false);
  };

  const start = async () => {
    setError(null);
    setDone(null);
    if (!app.info.nativeDialogs) {
      setAsking(true);
      return;
    }
    setBusy(true);
    try {
      // The contract has no export-folder purpose yet: the folder picker is what is needed.
      const { path } = await app.api.call('dialog.pick', { purpose: 'importFolder' });
      if (path) await write(path);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

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
        onClose={() => setAsking(false)}
        onSubmit={write}
      />
    </Card>
  );
}
