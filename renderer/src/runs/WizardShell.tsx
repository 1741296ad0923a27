// A run's wizard, the parts every kind has: the title and cancel, the steps (a step is reached only
// through the ones before it, each valid), what is wrong with the current step, the estimate for it
// (counts, memory, time), and Back / Next / Start with the error of a start that failed.
import { Alert, Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveEffect } from '../state/useLiveEffect';
import { ErrorAlert } from '../ui/ErrorAlert';

export interface WizardStep {
  /** Its label and hint are <strings>.steps.<key> and <strings>.stepHints.<key>. */
  key: string;
  content: ReactNode;
  /** Next (or Start, on the last step) is allowed. */
  valid: boolean;
  /** Shown under the step, in red: what keeps the config from being valid. */
  problems?: readonly string[];
  /** An error to show under the step's fields (the estimate could not be made). */
  error?: unknown;
  /** The estimate panel for this step, under its fields. */
  estimate?: ReactNode;
  /** The step's width at most (px): forms of a few fields stay narrow. */
  maxWidth?: number;
}

export interface WizardShellProps {
  testId: string;
  /** The i18n prefix of the steps' labels and hints. */
  strings: string;
  title: string;
  intro?: string;
  steps: readonly WizardStep[];
  step: number;
  onStep(step: number): void;
  onCancel(): void;
  start: WizardStart;
}

/** The Start button: its label, whether a start is under way, the error of the last one. */
export interface WizardStart {
  label: string;
  starting: boolean;
  error: unknown;
  onStart(): void;
}

/** A schema's complaints as lines "path: message". */
export function schemaProblems(result: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }): string[] {
  return result.success ? [] : result.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

/** Start: calls `start`, then opens the new run; a failure is kept to show on the last step. */
export function useWizardStart(label: string, start: () => Promise<{ runId: number }>, onStarted: (runId: number) => void): WizardStart {
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const onStart = async () => {
    setStarting(true);
    setStartError(null);
    try {
      onStarted((await start()).runId);
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  };
  return { label, starting, error: startError, onStart: () => void onStart() };
}

export interface Estimate<T> {
  value: T | null;
  error: unknown;
}

/**
 * The estimate of the config the wizard holds, asked for a moment after the last change (typing
 * a number asks once). `key` stands for every field the estimate reads. `current` is the answer
 * for this key (null: not yet, or `enabled` is false); `shown` is the latest answer, for an older
 * key while the new one is coming, so that the numbers do not blink at every change.
 */
export function useEstimate<T>(key: string, enabled: boolean, fetch: () => Promise<T>): { current: Estimate<T> | null; shown: Estimate<T> | null } {
  const [answer, setAnswer] = useState<({ key: string } & Estimate<T>) | null>(null);
  useLiveEffect((isLive) => {
    if (!enabled) return;
    const timer = setTimeout(() => {
      fetch().then(
        (value) => isLive() && setAnswer({ key, value, error: null }),
        (error: unknown) => isLive() && setAnswer({ key, value: null, error }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key, enabled]);
  return { current: answer?.key === key ? answer : null, shown: answer };
}

export function WizardShell(props: WizardShellProps) {
  const { t } = useTranslation();
  const { steps, step, start } = props;
  const last = step === steps.length - 1;
  const current = steps[step];
  const canStart = steps.every((s) => s.valid);
  return (
    <Stack gap="md" pb="md" data-testid={props.testId}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3}>{props.title}</Title>
          {props.intro && (
            <Text size="sm" c="dimmed" maw={760}>
              {props.intro}
            </Text>
          )}
        </div>
        <Button variant="default" onClick={props.onCancel} data-testid="wizard-cancel">
          {t('common.cancel')}
        </Button>
      </Group>
      <Stepper active={step} onStepClick={(s) => s < step && props.onStep(s)} allowNextStepsSelect={false} size="sm">
        {steps.map((s) => (
          <Stepper.Step key={s.key} label={t(`${props.strings}.steps.${s.key}`)} description={t(`${props.strings}.stepHints.${s.key}`)}>
            <Stack gap="md" mt="md" maw={s.maxWidth}>
              {s.content}
              {s.problems && s.problems.length > 0 && (
                <Alert color="red" variant="light" data-testid="wizard-invalid" style={{ whiteSpace: 'pre-line' }}>
                  {s.problems.join('\n')}
                </Alert>
              )}
              <ErrorAlert error={s.error ?? null} />
              {s.estimate}
              {s === current && last && <ErrorAlert error={start.error} />}
            </Stack>
          </Stepper.Step>
        ))}
      </Stepper>
      <Group justify="space-between">
        <Button variant="default" disabled={step === 0} onClick={() => props.onStep(step - 1)} data-testid="wizard-back">
          {t('runs.wizard.back')}
        </Button>
        {last ? (
          <Button data-testid="wizard-start" loading={start.starting} disabled={!canStart || start.starting} onClick={start.onStart}>
            {start.label}
          </Button>
        ) : (
          <Button data-testid="wizard-next" disabled={!current?.valid} onClick={() => props.onStep(step + 1)}>
            {t('runs.wizard.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
