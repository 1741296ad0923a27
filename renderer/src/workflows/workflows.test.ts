import { describe, expect, it } from 'vitest';
import { workflows } from '.';
import { availabilityOf, comingWorkflow, defineWorkflow, shownWorkflow, type Workflow, type WorkflowContext } from './types';

const page = { Component: () => null, initialState: null };
const needsCorpus = defineWorkflow({ id: 'maps', label: 'nav.maps', group: 'research', needs: { project: true, corpus: true }, page, strings: [] });
const always = defineWorkflow({ id: 'jobs', label: 'nav.jobs', group: 'tools', page, strings: [] });
const open: WorkflowContext = { projectOpen: true, corpora: 2 };

describe('workflow availability', () => {
  it('says what a workflow waits for: a project, a corpus, or a later version', () => {
    expect(availabilityOf(needsCorpus, open)).toBe('available');
    expect(availabilityOf(needsCorpus, { projectOpen: true, corpora: 0 })).toBe('needsCorpus');
    expect(availabilityOf(needsCorpus, { projectOpen: false, corpora: 0 })).toBe('needsProject');
    expect(availabilityOf(always, { projectOpen: false, corpora: 0 })).toBe('available');
    expect(availabilityOf(comingWorkflow('entities'), open)).toBe('coming');
    // A workflow without a page cannot be opened either.
    const noPage: Workflow = { id: 'x', label: 'nav.x', group: 'research', strings: [] };
    expect(availabilityOf(noPage, open)).toBe('coming');
  });

  it('shows the chosen workflow while it can be opened, else the first that can', () => {
    const list = [needsCorpus, always];
    expect(shownWorkflow(list, 'maps', open)?.id).toBe('maps');
    expect(shownWorkflow(list, 'maps', { projectOpen: true, corpora: 0 })?.id).toBe('jobs');
    expect(shownWorkflow([needsCorpus], 'maps', { projectOpen: false, corpora: 0 })).toBeNull();
  });

  it('lists today’s workflows in the navigation’s order, each id once, the planned ones greyed out', () => {
    const ids = workflows.map((w) => w.id);
    expect(ids).toEqual(['corpus', 'models', 'training', 'prediction', 'pretraining', 'maps', 'attribution', 'entities', 'compute', 'jobs']);
    expect(new Set(ids).size).toBe(ids.length);
    const available = workflows.filter((w) => availabilityOf(w, open) === 'available').map((w) => w.id);
    expect(available).toEqual(['corpus', 'models', 'training', 'prediction', 'pretraining', 'maps', 'attribution', 'entities', 'compute', 'jobs']);
    // Maps & topics and Attribution need a corpus to work on.
    const withoutCorpus = workflows.filter((w) => availabilityOf(w, { projectOpen: true, corpora: 0 }) === 'available').map((w) => w.id);
    expect(withoutCorpus).not.toContain('maps');
    expect(withoutCorpus).not.toContain('attribution');
    expect(workflows.filter((w) => w.group === 'tools').map((w) => w.id)).toEqual(['compute', 'jobs']);
    // Without a project nothing opens: the project screen is shown instead.
    expect(workflows.filter((w) => availabilityOf(w, { projectOpen: false, corpora: 0 }) === 'available')).toEqual([]);
  });
});
