// The panel that starts a run of a per-document workflow (prediction, attribution, entity extraction):
// its title (and, where given, an intro) beside the corpus picker, the settings in two columns, the start button with the note that the run was
// queued, and the error of a refused start. It holds the start's busy, started and error state.
import { Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../state/AppContext';
import { CorpusSelect } from '../ui/CorpusSelect';
import { ErrorAlert } from '../ui/ErrorAlert';

export function StartCard(props: {
  /** The workflow's strings: `<ns>.start.title`, `<ns>.start.button`, `<ns>.started` (and `<ns>.start.intro` with `intro`). */
  namespace: 'prediction' | 'attribution' | 'entities.extract' | 'entities.sweep';
  /** The test ids' prefix: `<testId>-start`, `<testId>-start-button`, `<testId>-started`; the namespace when not given. */
  testId?: string;
  /** Shows `<ns>.start.intro` under the title. */
  intro?: boolean;
  ready: boolean;
  /** Queues the run (the contract's start method); the job bar is refreshed after. */
  start(): Promise<unknown>;
  /** Called once the run is queued and the job bar refreshed. */
  onStarted?(): void;
  left: ReactNode;
  right: ReactNode;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const ns = props.namespace;
  const id = props.testId ?? ns;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [started, setStarted] = useState(false);

  const startRun = async () => {
    if (!props.ready) return;
    setBusy(true);
    setError(null);
    setStarted(false);
    try {
      await props.start();
      setStarted(true);
      await app.refreshJobs();
      props.onStarted?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder data-testid={`${id}-start`}>
      <Stack gap="xs">
        <Group align="flex-end" justify="space-between">
          {props.intro ? (
            <div>
              <Text fw={600}>{t(`${ns}.start.title`)}</Text>
              <Text size="sm" c="dimmed" maw={640}>
                {t(`${ns}.start.intro`)}
              </Text>
            </div>
          ) : (
            <Text fw={600}>{t(`${ns}.start.title`)}</Text>
          )}
          <CorpusSelect />
        </Group>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Stack gap="xs">{props.left}</Stack>
          <Stack gap="xs">{props.right}</Stack>
        </SimpleGrid>
        <Group justify="flex-end">
          {started && (
            <Text size="sm" c="dimmed" data-testid={`${id}-started`}>
              {t(`${ns}.started`)}
            </Text>
          )}
          <Button data-testid={`${id}-start-button`} disabled={!props.ready || busy} loading={busy} onClick={() => void startRun()}>
            {t(`${ns}.start.button`)}
          </Button>
        </Group>
        <ErrorAlert error={error} />
      </Stack>
    </Card>
  );
}
