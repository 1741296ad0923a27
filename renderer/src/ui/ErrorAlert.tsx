import { Alert } from '@mantine/core';
import { useApp } from '../state/AppContext';

/** An error from the backend, in the current language (common/messages). */
export function ErrorAlert({ error }: { error: unknown }) {
  const app = useApp();
  if (error === null || error === undefined) return null;
  return (
    <Alert color="red" variant="light" data-testid="error" style={{ whiteSpace: 'pre-wrap' }}>
      {app.message(error)}
    </Alert>
  );
}
