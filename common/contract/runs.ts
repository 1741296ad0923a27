// Runs: the records with a lifecycle (running, interrupted, done, failed, cancelled) that every
// job-based workflow keeps — fine-tuning, pretraining and those to come. A workflow declares its
// kind in its section's runs table (`run<Info, Detail>()`); these methods list, open, resume, rerun,
// cancel and delete runs of any kind, and a run's id is unique across kinds.
import { z } from 'zod';
import { runKinds, type RunDetail, type RunInfo, type RunKind } from '../contract';
import type { ErrorInfo } from '../errors';
import { byCorpus, byRun, id, method, path, section } from './define';
import type { RunStatus } from './jobs';

/**
 * Memory a finished run measured on its machine: the peak bytes of tensors (one training step
 * profiled, and every step's end) and the compute process's peak resident memory.
 */
export interface RunMemory {
  peakTensorBytes: number;
  rssBytes: number;
}

/** What every run record has, whatever its kind: a workflow's record extends it with its own fields. */
export interface RunCommon<K extends string, Config, Documents, Checkpoint> {
  kind: K;
  id: number;
  corpusId: number;
  corpusName: string;
  name: string;
  status: RunStatus;
  config: Config;
  /** SHA-256 over the documents as used (ids, texts, labels, splits). */
  dataHash: string;
  documents: Documents;
  backend: string | null;
  /** Provenance: the software versions its numbers came from. */
  versions: Record<string, string>;
  createdAt: string;
  finishedAt: string | null;
  seconds: number | null;
  /** Where the last checkpoint stands (what "Resume" continues from), null when none. */
  checkpoint: Checkpoint | null;
  error: ErrorInfo | null;
  /** Measured after the run (kept in its provenance JSON); absent or null before it finished or where the kind does not measure it. */
  memory?: RunMemory | null;
}

/** Checked when called (not at load: the kinds are gathered in common/contract.ts, which imports this file). */
const runKind = z.custom<RunKind>((v) => typeof v === 'string' && (runKinds as readonly string[]).includes(v), { message: 'not a kind of run' });

export const runs = section({
  methods: {
    /** Runs newest first, of one kind or every kind (null), in one corpus or every corpus (null). */
    'runs.list': method<RunInfo[]>()(byCorpus.extend({ kind: runKind.nullable() })),
    /** One run with its curves. */
    'runs.get': method<RunDetail>()(byRun),
    /** Continues an interrupted, cancelled or failed run from its last checkpoint. */
    'runs.resume': method<{ jobId: string }>()(byRun),
    /**
     * A new run with a run's config (same seed, so the same numbers on the same backend). A kind that
     * writes a folder (pretraining) writes the rerun's into `outputDir`, which must be new or empty.
     */
    'runs.rerun': method<{ jobId: string; runId: number }>()(z.object({ runId: id, outputDir: path.optional() })),
    /** Cancels the job working on a run; the run keeps its last checkpoint and can be resumed. */
    'runs.cancel': method<null>()(byRun),
    /** Deletes a run that is not running, with its curves, checkpoint and results. */
    'runs.delete': method<null>()(byRun),
  },
});
