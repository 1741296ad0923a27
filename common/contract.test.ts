// The contract's tables are its types: an event, job kind or method exists only by being in a
// section's table, so what is not there fails to compile (the @ts-expect-error lines below are
// checked by `npm run typecheck`: if one of them compiled, tsc would report the directive unused).
import { describe, expect, it } from 'vitest';
import { contract, eventNames, events, jobKinds, type EventName, type Events, type JobInfo, type ShirabeApi } from './contract';


describe('the contract', () => {
  it('knows an event only from a section’s events table, which every transport forwards', () => {
    const emit = <E extends EventName>(event: E, payload: Events[E]) => [event, payload];
    // @ts-expect-error an event in no section's events table has no name to emit under…
    const emitted = emit('train.finished', { runId: 1 });
    // @ts-expect-error …nor to listen to…
    const listen = (api: ShirabeApi) => api.on('train.finished', () => undefined);
    // @ts-expect-error …nor a payload type.
    const payload: Events['train.finished'] = null;
    // A declared event with another payload does not compile either.
    // @ts-expect-error a fine-tuning progress point has a kind (step or epoch)
    const wrong: Events['train.progress'] = { runId: 1 };
    expect([emitted, typeof listen, payload, wrong]).toBeTruthy();
    // What the transports forward is the table itself.
    expect(new Set(eventNames)).toEqual(new Set(Object.keys(events)));
    expect(eventNames).toEqual(expect.arrayContaining(['job.update', 'project.changed', 'train.progress', 'pretrain.progress']));
  });

  it('types a job’s result by its kind', () => {
    const result = (job: JobInfo) => {
      if (job.kind === 'train') return job.result?.best ?? null;
      if (job.kind === 'embed') return job.result?.dimensions ?? null;
      // @ts-expect-error an import report has no dimensions
      if (job.kind === 'import') return job.result?.dimensions ?? null;
      return null;
    };
    expect(typeof result).toBe('function');
    expect(jobKinds).toEqual(expect.arrayContaining(['import', 'morphology', 'embed', 'train', 'pretrain', 'mlm', 'vocab']));
  });

  it('declares every method once, with a payload schema', () => {
    for (const [name, spec] of Object.entries(contract)) expect(typeof spec.input.safeParse, name).toBe('function');
  });
});
