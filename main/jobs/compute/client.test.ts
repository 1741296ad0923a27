// ComputeClient.run's types come from the task list: checked by npm run typecheck (the function
// below is never called, so no worker starts).
import { describe, expect, it } from 'vitest';
import type { ComputeClient } from './client';
import type { TaskInput } from './registry';

function typeChecks(client: ComputeClient, trainInput: TaskInput<'train'>) {
  void client.run('vocab', { texts: ['a b'], vocabSize: 100, wordSplitter: 'basic', lowercase: true, maxLength: 512 });
  // @ts-expect-error vocabSize is a number
  void client.run('vocab', { texts: ['a b'], vocabSize: '100', wordSplitter: 'basic', lowercase: true, maxLength: 512 });
  // @ts-expect-error a word splitter the task does not know
  void client.run('vocab', { texts: ['a b'], vocabSize: 100, wordSplitter: 'whitespace', lowercase: true, maxLength: 512 });
  // @ts-expect-error embed needs its model, pooling, layer…
  void client.run('embed', { texts: ['a'] });
  // @ts-expect-error a task the list does not have
  void client.run('summarise', {});
  void client.run('train', trainInput, {
    onEvent: (e) => {
      // Events are the task's own: a checkpoint carries the state, a step its loss.
      if (e.type === 'checkpoint') void e.checkpoint.position;
      else if (e.type === 'step') void e.loss;
    },
  });
  // @ts-expect-error train's events have no 'eval' (pretraining's do)
  void client.run('train', trainInput, { onEvent: (e) => e.type === 'eval' });
  void client.run('export', { ...trainInput, values: new Map(), merge: true, baseName: 'base' }).then(({ output }) => {
    // @ts-expect-error export's output is a list of files, not an object
    void output.files;
  });
}

describe('ComputeClient.run', () => {
  it('is typed by the task list (see typeChecks, compiled by npm run typecheck)', () => {
    expect(typeof typeChecks).toBe('function');
  });
});
