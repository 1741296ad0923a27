// What a workflow's service gives the backend: its contract handlers and, where it keeps runs, the
// services behind runs.* for its kinds. buildServices (main/services/index.ts) merges a list of them.
import type { Handlers, RunKind } from '../../common/contract';
import type { RunKindService } from './runs';

export interface WorkflowService<H extends Partial<Handlers>, R extends RunKind = never> {
  handlers: H;
  runs: { [K in R]: RunKindService<K> };
}
