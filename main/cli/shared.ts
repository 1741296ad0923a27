// What every workflow's commands share: the services (built once, on first use), calls through the
// contract's dispatch, the open project, --json or human output, and waiting for a job with its
// progress on the terminal.
import type { Command } from 'commander';
import { join } from 'node:path';
import { isJobOf, type Input, type JobKind, type JobResults, type Method, type Output } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import type { Language } from '../../common/messages';
import { buildServices, type Services } from '../services';
import { dispatch } from '../services/dispatch';
import { defaultConfigDir, fileSettings } from '../services/settings';
import type { CliText } from '../../common/messages';

export interface CliEnv {
  /** Repository or app root: resources/ and dist/renderer/ live under it. */
  root: string;
  version: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when `serve` should stop (SIGINT in the real CLI). */
  untilStopped?: () => Promise<void>;
}

/** What a workflow's commands are given: one per run of the CLI. */
export interface Cli {
  io: CliEnv;
  lang: Language;
  /** The messages in the user's language. */
  t: CliText;
  /** The app's services in browser mode, built on first use. */
  services(): Services;
  /** One contract method, as the app's transports call it (validated); a failed reply throws its error. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Opens the project file, then does the work. */
  withProject<T>(project: string, work: () => Promise<T>): Promise<T>;
  /** The value as JSON with --json, else the human text. */
  print(json: boolean, value: unknown, human: () => string): void;
  /** Waits for a job of a known kind and returns its result, typed by that kind; draws its progress and ETA on a terminal; Ctrl-C cancels it. */
  waitForJob<K extends JobKind>(kind: K, jobId: string, json: boolean): Promise<JobResults[K]>;
}

/** A workflow's commands: adds them to the program (commands/index.ts lists every workflow's). */
export type RegisterCommands = (program: Command, cli: Cli) => void;

/** The shared pieces for one run of the CLI, and `shutdown` for its end (stops the services if any were built). */
export function createCli(io: CliEnv, lang: Language, t: CliText): { cli: Cli; shutdown: () => Promise<void> } {
  let built: Services | null = null;
  const services = () =>
    (built ??= buildServices({
      mode: 'browser',
      version: io.version,
      settings: fileSettings(join(defaultConfigDir(io.env), 'settings.json'), io.env),
      fontPath: join(io.root, 'resources', 'fonts', 'ipaexg.ttf'),
      defaultModelPath: join(io.root, 'resources', 'models', 'shirabe-tiny-ja'),
      // The Hub reads HF_ENDPOINT, HF_HUB_OFFLINE and HF_TOKEN from this run's environment; the CLI keeps no token of its own.
      hub: { configDir: defaultConfigDir(io.env), env: io.env },
    }));

  async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    const reply = await dispatch(services().handlers, method, input);
    if (!reply.ok) throw reply.error;
    return reply.value as Output<M>;
  }

  async function waitForJob<K extends JobKind>(kind: K, jobId: string, json: boolean): Promise<JobResults[K]> {
    const svc = services();
    const showProgress = !json && process.stderr.isTTY;
    const off = svc.events.on('job.update', (job) => {
      if (showProgress && job.id === jobId && job.total > 0) {
        const pct = Math.floor((100 * job.done) / job.total);
        // A range while the job's rate is still uncertain (main/jobs/eta.ts), one value once it is known.
        const eta = job.eta && !job.eta.stable ? ` ETA ${Math.floor(job.eta.low)}–${Math.ceil(job.eta.high)} s` : job.etaSeconds === null ? '' : ` ETA ${Math.ceil(job.etaSeconds)} s`;
        process.stderr.write(`\r${pct}%${eta}   `);
      }
    });
    const cancel = () => svc.jobs.cancel(jobId);
    process.once('SIGINT', cancel);
    try {
      const job = await svc.jobs.wait(jobId);
      if (job.status !== 'done') throw job.error ?? new ShirabeError('internal', { detail: job.status });
      if (!isJobOf(job, kind) || job.result === null) throw new ShirabeError('internal', { detail: `job ${jobId} is a ${job.kind} job, not ${kind}` });
      return job.result;
    } finally {
      process.removeListener('SIGINT', cancel);
      off();
      if (showProgress) process.stderr.write('\r');
    }
  }

  const cli: Cli = {
    io,
    lang,
    t,
    services,
    call,
    async withProject(project, work) {
      await call('project.open', { path: project });
      return work();
    },
    print: (json, value, human) => io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`),
    waitForJob,
  };
  return {
    cli,
    shutdown: async () => {
      if (built) await built.shutdown();
    },
  };
}
