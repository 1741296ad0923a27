import { Button, Card, Group, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/AppContext';
import { ErrorAlert } from '../ui/ErrorAlert';
import { PathModal } from '../ui/PathModal';

type Purpose = 'newProject' | 'openProject';

/** Shown while no project is open: new, open, recent. */
export function ProjectScreen() {
  const { t } = useTranslation();
  const app = useApp();
  const [modal, setModal] = useState<Purpose | null>(null);
  const [error, setError] = useState<unknown>(null);

  const act = async (purpose: Purpose, path: string) => {
    const project =
      purpose === 'newProject' ? await app.api.call('project.create', { path }) : await app.api.call('project.open', { path });
    setModal(null);
    app.setProject(project);
  };

  const start = async (purpose: Purpose) => {
    setError(null);
    if (!app.info.nativeDialogs) {
      setModal(purpose);
      return;
    }
    try {
      const { path } = await app.api.call('dialog.pick', { purpose });
      if (path) await act(purpose, path);
    } catch (err) {
      setError(err);
    }
  };

  const openRecent = async (path: string) => {
    setError(null);
    try {
      await act('openProject', path);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack maw={720} mx="auto" mt="xl" gap="lg">
      <div>
        <Title order={2}>{t('project.welcome')}</Title>
        <Text c="dimmed">{t('project.intro')}</Text>
      </div>
      <Group>
        <Button data-testid="new-project" size="md" onClick={() => void start('newProject')}>
          {t('project.new')}
        </Button>
        <Button data-testid="open-project" size="md" variant="default" onClick={() => void start('openProject')}>
          {t('project.open')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('project.recent')}
        </Text>
        {app.settings.recent.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('project.noRecent')}
          </Text>
        ) : (
          <Stack gap={4}>
            {app.settings.recent.map((path) => (
              <UnstyledButton key={path} data-testid="recent-project" onClick={() => void openRecent(path)} title={path}>
                <Text size="sm" c="blue" truncate>
                  {path}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        )}
      </Card>
      <PathModal
        opened={modal !== null}
        title={modal === 'newProject' ? t('project.new') : t('project.open')}
        hint={modal === 'newProject' ? t('project.newHint') : t('project.openHint')}
        onClose={() => setModal(null)}
        onSubmit={(path) => act(modal ?? 'openProject', path)}
      />
    </Stack>
  );
}
