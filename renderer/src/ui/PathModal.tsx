import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert';

/** Browser mode: asks for a path on the server instead of a native dialog. */
export function PathModal(props: {
  opened: boolean;
  title: string;
  hint: string;
  initial?: string;
  onClose(): void;
  /** Resolves when done; rejects with the backend error to show. */
  onSubmit(path: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const [path, setPath] = useState(props.initial ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (props.opened) {
      setPath(props.initial ?? '');
      setError(null);
    }
  }, [props.opened, props.initial]);

  const submit = async () => {
    if (!path.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(path.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          {props.hint}
        </Text>
        <TextInput
          data-testid="project-path"
          label={t('project.pathLabel')}
          value={path}
          onChange={(e) => setPath(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Enter' && void submit()}
          data-autofocus
        />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button data-testid="project-path-ok" loading={busy} disabled={!path.trim()} onClick={() => void submit()}>
            {t('common.ok')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
