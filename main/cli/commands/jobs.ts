// `shirabe jobs`: the project's job history.
import { errorMessage } from '../../../common/messages';
import type { RegisterCommands } from '../shared';

export const jobsCommands: RegisterCommands = (program, { print, lang, withProject, call }) => {
  program
    .command('jobs')
    .description("the project's job history, newest first")
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: { json?: boolean }) => {
      const jobs = await withProject(project, () => call('jobs.history', {}));
      print(Boolean(o.json), jobs, () =>
        jobs
          .map((j) => `${j.startedAt ? new Date(j.startedAt).toISOString() : '-'}\t${j.kind}\t${j.status}\t${j.title}${j.error ? `\t${errorMessage(j.error, lang)}` : ''}`)
          .join('\n'),
      );
    });
};
