// The one API contract, gathered from one section per workflow (common/contract/<name>.ts). The
// Electron preload, the IPC adapter, the WebSocket server and the renderer client are all derived
// from `contract` and `events` below: a method or event renamed or mistyped in a section fails to
// compile in every process, and an event exists only by being in a section's events table, which
// every transport forwards. Payloads are plain data only.
import type { z } from 'zod';
import { ShirabeError, type ErrorInfo } from './errors';
import { app } from './contract/app';
import { attribution } from './contract/attribution';
import { corpus } from './contract/corpus';
import type { CarriedBy, SectionSpec } from './contract/define';
import { embeddings } from './contract/embeddings';
import { entities } from './contract/entities';
import { figures } from './contract/figures';
import { hub } from './contract/hub';
import { jobs } from './contract/jobs';
import { models } from './contract/models';
import { prediction } from './contract/prediction';
import { pretraining } from './contract/pretraining';
import { project } from './contract/project';
import { runs } from './contract/runs';
import { topics } from './contract/topics';
import { training } from './contract/training';

/** The workflows' sections, by name. A new workflow adds its section here: the one line this file grows by. */
const workflows = { corpus, models, hub, embeddings, training, pretraining, topics, attribution, prediction, entities, figures };
/**
 * Every section: the app's own and the workflows'. The jobs and runs sections' types are made from
 * the workflows' jobs and runs tables, so they stay out of `workflows` (their types would refer to themselves).
 */
const sections = { app, project, jobs, runs, ...workflows };

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Merged<S, P extends keyof SectionSpec> = UnionToIntersection<S[keyof S] extends infer T ? (T extends Record<P, infer V> ? V : never) : never>;

/** The sections' tables of one part merged; a name declared by two sections is a mistake caught at load. */
function gather<S extends Record<string, SectionSpec>, P extends keyof SectionSpec>(from: S, part: P): Merged<S, P> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(from)) {
    for (const [key, value] of Object.entries(s[part])) {
      if (key in out) throw new Error(`contract: "${key}" is declared twice (again in section ${name})`);
      out[key] = value;
    }
  }
  return out as Merged<S, P>;
}

export const contract = gather(sections, 'methods');
export type Contract = typeof contract;
export type Method = Extract<keyof Contract, string>;
export type Input<M extends Method> = z.input<Contract[M]['input']>;
export type Output<M extends Method> = Contract[M]['output'];
export const methods = Object.keys(contract) as Method[];

/** Server-to-client events: the sections' events tables. */
export const events = gather(sections, 'events');
type EventTable = typeof events;
export type Events = { [E in keyof EventTable]: CarriedBy<EventTable[E]> };
export type EventName = Extract<keyof Events, string>;
export const eventNames = Object.keys(events) as EventName[];

/** The result each kind of job carries when done, from the sections' jobs tables. */
const jobTable = gather(workflows, 'jobs');
export type JobResults = { [K in Extract<keyof typeof jobTable, string>]: CarriedBy<(typeof jobTable)[K]> };
export const jobKinds = Object.keys(jobTable) as (keyof JobResults)[];

/** The kinds of run (a record with a lifecycle: running, interrupted, done…), from the sections' runs tables. */
const runTable = gather(workflows, 'runs');
export type RunKind = Extract<keyof typeof runTable, string>;
export type RunRecords = { [K in RunKind]: CarriedBy<(typeof runTable)[K]> };
export const runKinds = Object.keys(runTable) as RunKind[];
/** The record of a run of kind K (runs.list) and the same with its curves (runs.get). */
export type RunInfoOf<K extends RunKind> = RunRecords[K]['info'];
export type RunDetailOf<K extends RunKind> = RunRecords[K]['detail'];
export type RunInfo = RunInfoOf<RunKind>;
export type RunDetail = RunDetailOf<RunKind>;
/** Narrows a run (or its detail) to one kind. */
export function isRunOf<K extends RunKind, R extends { kind: RunKind }>(run: R, kind: K): run is Extract<R, { kind: K }> {
  return run.kind === kind;
}
/** A run the caller knows the kind of (it asked for that kind's id): narrowed, or runNotFound. */
export function expectRunOf<K extends RunKind, R extends { kind: RunKind; id: number }>(run: R, kind: K): Extract<R, { kind: K }> {
  if (!isRunOf(run, kind)) throw new ShirabeError('runNotFound', { id: run.id });
  return run;
}

/** What every transport's client side exposes to the renderer (window.shirabe in Electron). */
export interface ShirabeApi {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** What every transport's server side calls into. */
export type Handlers = { [M in Method]: (input: z.output<Contract[M]['input']>) => Promise<Output<M>> };

/** Result envelope used by IPC and WebSocket alike. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export * from './contract/app';
export * from './contract/attribution';
export * from './contract/corpus';
export * from './contract/embeddings';
export * from './contract/entities';
export * from './contract/hub';
export * from './contract/jobs';
export * from './contract/models';
export * from './contract/prediction';
export * from './contract/pretraining';
export * from './contract/project';
export * from './contract/runs';
export * from './contract/topics';
export * from './contract/training';
