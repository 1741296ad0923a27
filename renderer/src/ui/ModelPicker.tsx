// The model picker of the wizards that start from a model (fine-tuning, continued pretraining).
import { Alert, Button, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { baseName } from '../format';
import { useApp } from '../state/AppContext';

/**
 * A model from the Models page, or, when there is none, the way there. `strings` is the i18n
 * prefix of its words: <strings>.model (the label), .modelHint and .noModels.
 */
export function ModelPicker(props: { testId: string; strings: string; value: string; onChange(path: string): void; onGoToModels(): void }) {
  const { t } = useTranslation();
  const app = useApp();
  if (app.settings.models.length === 0) {
    return (
      <Alert color="yellow" variant="light">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t(`${props.strings}.noModels`)}</Text>
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
      label={t(`${props.strings}.model`)}
      description={t(`${props.strings}.modelHint`)}
      data={app.settings.models.map((p) => ({ value: p, label: baseName(p) || p }))}
      value={props.value || null}
      allowDeselect={false}
      maw={560}
      onChange={(v) => v && props.onChange(v)}
    />
  );
}
