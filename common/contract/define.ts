// How a contract section declares what it adds: methods (a payload schema, validated on the main
// side, and a result type), events (server to client), job kinds (with the result a finished job
// carries) and run kinds (with the record a run has). Sections are gathered in common/contract.ts.
import { z } from 'zod';

/** A method: its payload schema and (at the type level only) its result type. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  output: O;
}

/** Declares a method: `method<Result>()(payloadSchema)`. */
export function method<O>() {
  return <I extends z.ZodType>(input: I): MethodSpec<I, O> => ({ input, output: undefined as unknown as O });
}

/** A type carried only at the type level: events, job results and run records are plain data. */
export interface Carries<T> {
  /** Never read: it only holds the type. */
  readonly type?: T;
}

/** Declares an event and its payload: `event<Payload>()`. */
export const event = <P>(): Carries<P> => ({});
/** Declares a job kind and the result a finished job of it carries: `job<Result>()`. */
export const job = <R>(): Carries<R> => ({});
/** Declares a run kind, the record runs.list gives and the detail (with curves) runs.get gives: `run<Info, Detail>()`. */
export const run = <Info, Detail extends Info = Info>(): Carries<{ info: Info; detail: Detail }> => ({});

export type CarriedBy<C> = C extends Carries<infer T> ? T : never;

export interface SectionSpec {
  methods: Record<string, MethodSpec>;
  events: Record<string, Carries<unknown>>;
  jobs: Record<string, Carries<unknown>>;
  runs: Record<string, Carries<unknown>>;
}

/** One workflow's (or the app's) part of the contract; what it leaves out is empty. */
export function section<M extends Record<string, MethodSpec>, E extends Record<string, Carries<unknown>> = {}, J extends Record<string, Carries<unknown>> = {}, R extends Record<string, Carries<unknown>> = {}>(s: {
  methods: M;
  events?: E;
  jobs?: J;
  runs?: R;
}): { methods: M; events: E; jobs: J; runs: R } {
  return { methods: s.methods, events: (s.events ?? {}) as E, jobs: (s.jobs ?? {}) as J, runs: (s.runs ?? {}) as R };
}

// Payload pieces several sections use.
export const empty = z.object({});
export const path = z.string().min(1);
export const id = z.number().int().nonnegative();
export const limit = z.number().int().min(1).max(100_000);
export const byPath = z.object({ path });
export const byRun = z.object({ runId: id });
/** A list filtered to one corpus, or (null) every corpus. */
export const byCorpus = z.object({ corpusId: id.nullable() });
