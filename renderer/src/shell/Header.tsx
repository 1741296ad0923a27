import { Button, Group, Text, Title, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/AppContext';
import { ErrorAlert } from '../ui/ErrorAlert';
import { PathModal } from '../ui/PathModal';

export function Header() {
  const { t } = useTranslation();
  const app = useApp();
  const [copyModal, setCopyModal] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const saveCopy = async (path: string) => {
    const result = await app.api.call('project.saveCopy', { path });
    setCopyModal(false);
    setNote(t('project.copySaved', { path: result.path }));
  };

  const startCopy = async () => {
    setError(null);
    setNote(null);
    if (!app.info.nativeDialogs) {
      setCopyModal(true);
      return;
    }
    try {
      const { path } = await app.api.call('dialog.pick', { purpose: 'saveCopy' });
      if (path) await saveCopy(path);
    } catch (err) {
      setError(err);
    }
  };

  const close = async () => {
    try {
      await app.api.call('project.close', {});
      app.setProject(null);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        <Title order={4}>{t('app.name')}</Title>
        {app.project && (
          <>
            <Tooltip label={app.project.path}>
              <Text size="sm" c="dimmed" truncate maw={420} data-testid="project-current">
                {app.project.path}
              </Text>
            </Tooltip>
            <Button size="compact-sm" variant="default" onClick={() => void startCopy()}>
              {t('project.saveCopy')}
            </Button>
            <Button size="compact-sm" variant="default" data-testid="project-close" onClick={() => void close()}>
              {t('project.close')}
            </Button>
          </>
        )}
        {note && (
          <Text size="xs" c="teal" truncate maw={320}>
            {note}
          </Text>
        )}
        {error !== null && (
          <div style={{ maxWidth: 420 }}>
            <ErrorAlert error={error} />
          </div>
        )}
      </Group>
      <Group gap="xs" wrap="nowrap">
        <Button
          data-testid="lang-toggle"
          size="compact-sm"
          variant="default"
          onClick={() => void app.updateSettings({ language: app.language === 'ja' ? 'en' : 'ja' })}
        >
          {t('header.otherLanguage')}
        </Button>
        <Button
          data-testid="theme-toggle"
          size="compact-sm"
          variant="default"
          onClick={() => void app.updateSettings({ theme: app.settings.theme === 'dark' ? 'light' : 'dark' })}
        >
          {app.settings.theme === 'dark' ? t('header.lightTheme') : t('header.darkTheme')}
        </Button>
      </Group>
      <PathModal
        opened={copyModal}
        title={t('project.saveCopy')}
        hint={t('project.copyHint')}
        onClose={() => setCopyModal(false)}
        onSubmit={saveCopy}
      />
    </Group>
  );
}
