import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../common/contract';
import { gatherWorkflows } from './workflow';

describe('gatherWorkflows', () => {
  it("merges the workflows' handlers and run kinds", async () => {
    const pdf: Pick<Handlers, 'figure.pdf'> = { 'figure.pdf': async () => ({ bytes: new Uint8Array(1) }) };
    const figures = { handlers: pdf, runs: {} };
    const models = { handlers: { 'compute.status': async () => ({ backend: 'cpu' }) as never }, runs: {} };
    const all = gatherWorkflows([figures, models] as const);
    expect(Object.keys(all.handlers).sort()).toEqual(['compute.status', 'figure.pdf']);
    expect((await all.handlers['figure.pdf']({ svg: '', width: 1, height: 1 })).bytes.length).toBe(1);
  });

  it('refuses a method two workflows both give', () => {
    const a = { handlers: { 'figure.pdf': async () => ({ bytes: new Uint8Array() }) }, runs: {} };
    expect(() => gatherWorkflows([a, a])).toThrow('"figure.pdf" is given by two workflows');
  });
});
