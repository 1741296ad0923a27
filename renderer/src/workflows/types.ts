// What a workflow tells the app about itself (after PAIR LIT's modules and their
// shouldDisplayModule): its navigation entry, when it can be opened, its page and the state the
// page keeps while another page is shown, its keyboard shortcuts and its strings. The app builds
// the navigation, the views, the shortcuts and the strings from the list in workflows/index.ts
// (it names one workflow only: the Jobs view, which the job bar's "All jobs" opens).
import type { ComponentType, Dispatch, ReactNode, SetStateAction } from 'react';
import type { Strings } from '../i18n/strings';
import type { AppState } from '../state/AppContext';

export type WorkflowId = string;

/** What the page of a workflow is handed. */
export interface WorkflowPageProps<S> {
  /** What the page keeps while another page is shown (the open run, a half-filled wizard, a tab). */
  state: S;
  setState: Dispatch<SetStateAction<S>>;
  /** Shows another workflow's page ("Go to Models"). */
  go(id: WorkflowId): void;
}

/** A key pressed with Ctrl (⌘ on a Mac): the state to show the workflow's page in, or null to stay on the page shown. */
export interface Shortcut<S> {
  key: string;
  run(state: S, app: AppState): S | null;
}

export interface Workflow<S = unknown> {
  id: WorkflowId;
  /** The i18n key of its navigation entry (the workflow's namespace adds nav.<id>). */
  label: string;
  /** Drawn before the label; none of today's workflows has one. */
  icon?: ReactNode;
  /** The navigation's upper part (the research) or, under a divider, the machinery (compute, jobs). */
  group: 'research' | 'tools';
  /** What must be there before the page can be opened. */
  needs?: { project?: boolean; corpus?: boolean };
  /** Planned: listed greyed out with a "coming" badge, no page yet. */
  coming?: boolean;
  page?: {
    Component: ComponentType<WorkflowPageProps<S>>;
    initialState: S;
    /** Its navigation entry chosen while its page is shown: e.g. from a run's page back to the list of runs. */
    reselect?(state: S): S;
    /** The page fills the window's height and scrolls inside itself (the corpus tables) rather than the window scrolling. */
    fill?: boolean;
  };
  shortcuts?: readonly Shortcut<S>[];
  /** Mounted while a project is open, whichever page is shown: the workflow's dialogs and drawers. */
  Overlays?: ComponentType<{ go(id: WorkflowId): void }>;
  /** Its strings' namespaces, gathered into the app's resources. */
  strings: readonly Strings[];
}

/**
 * A workflow with its state's type forgotten, so that workflows with different states share one list.
 * Sound because the state a page is handed only ever comes from the same workflow's initialState,
 * reselect, shortcuts or the page itself.
 */
export function defineWorkflow<S>(workflow: Workflow<S>): Workflow {
  return workflow as unknown as Workflow;
}

/** A planned workflow: a greyed-out navigation entry (nav.<id>, in the frame's strings) and nothing else. */
export function comingWorkflow(id: WorkflowId): Workflow {
  return { id, label: `nav.${id}`, group: 'research', coming: true, strings: [] };
}

/** What availability looks at. */
export interface WorkflowContext {
  projectOpen: boolean;
  corpora: number;
}

export type Availability = 'available' | 'coming' | 'needsProject' | 'needsCorpus';

/** Whether a workflow's page can be opened now, or why not. */
export function availabilityOf(workflow: Workflow, context: WorkflowContext): Availability {
  if (workflow.coming || !workflow.page) return 'coming';
  if (workflow.needs?.project && !context.projectOpen) return 'needsProject';
  if (workflow.needs?.corpus && context.corpora === 0) return 'needsCorpus';
  return 'available';
}

/** The workflow to show: the one chosen while it can be opened, else the first that can (null: none can). */
export function shownWorkflow(workflows: readonly Workflow[], chosen: WorkflowId, context: WorkflowContext): Workflow | null {
  const open = (w: Workflow) => availabilityOf(w, context) === 'available';
  return workflows.find((w) => w.id === chosen && open(w)) ?? workflows.find(open) ?? null;
}
