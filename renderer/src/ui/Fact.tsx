import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A labelled value in a summary (a model's check, a method's estimate, a run's record); `breakAll` for hashes and paths. */
export function Fact({ label, children, testId, breakAll }: { label: string; children: ReactNode; testId?: string; breakAll?: boolean }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={breakAll ? { wordBreak: 'break-all' } : undefined}>
        {children}
      </Text>
    </div>
  );
}
