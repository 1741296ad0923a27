// What a workflow's service gives the backend: its contract handlers and, where it keeps runs, the
// services behind runs.* for its kinds. buildServices (main/services/index.ts) builds the list of
// them and gathers it here; the Handlers type there checks that every method has its handler.
import type { Handlers, RunKind } from '../../common/contract';
import type { RunKindService } from './runs';

export interface WorkflowService<H extends Partial<Handlers>, R extends RunKind = never> {
  handlers: H;
  runs: { [K in R]: RunKindService<K> };
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AnyWorkflow = WorkflowService<Partial<Handlers>, RunKind>;

/** The list's handlers and run kinds merged; a method or run kind two workflows both give is a mistake caught here. */
export function gatherWorkflows<L extends readonly { handlers: Partial<Handlers>; runs: Partial<AnyWorkflow['runs']> }[]>(
  list: L,
): { handlers: UnionToIntersection<L[number]['handlers']>; runs: UnionToIntersection<L[number]['runs']> } {
  const handlers: Record<string, unknown> = {};
  const runs: Record<string, unknown> = {};
  for (const w of list) {
    for (const [table, into] of [[w.handlers, handlers], [w.runs, runs]] as const) {
      for (const [name, value] of Object.entries(table)) {
        if (name in into) throw new Error(`services: "${name}" is given by two workflows`);
        into[name] = value;
      }
    }
  }
  return { handlers, runs } as { handlers: UnionToIntersection<L[number]['handlers']>; runs: UnionToIntersection<L[number]['runs']> };
}
