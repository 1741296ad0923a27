// Pieces the fine-tuning and pretraining screens share: the model picker of their wizards and the
// confirmation before a run's record is deleted.
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { baseName } from '../format';
import { useApp } from '../state/AppContext';

/** A model from the Models page, or, when there is none, the way there. */
export function ModelPicker(props: { testId: string; label: string; description: string; noModels: string; value: string; onChange(path: string): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  if (app.settings.models.length === 0) {
    return (
      <Alert color="yellow" variant="light">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{props.noModels}</Text>
          <Button size="compact-sm" variant="light" onClick={props.onGoToModels}>
            {t('embed.goToModels')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Select
      data-testid={props.testId}
      label={props.label}
      description={props.description}
      data={app.settings.models.map((p) => ({ value: p, label: baseName(p) || p }))}
      value={props.value || null}
      allowDeselect={false}
      maw={560}
      onChange={(v) => v && props.onChange(v)}
    />
  );
}

/** "Delete this run?" with what goes; `name` null keeps it closed. */
export function ConfirmDelete(props: { name: string | null; title: string; text: string; confirm: string; testId: string; onCancel(): void; onConfirm(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={props.name !== null} onClose={props.onCancel} title={props.title}>
      <Stack>
        <Text size="sm">{props.text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {t('common.cancel')}
          </Button>
          <Button data-testid={props.testId} color="red" onClick={props.onConfirm}>
            {props.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
