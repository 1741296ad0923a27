// `shirabe new`: project files.
import type { RegisterCommands } from '../shared';

export const projectCommands: RegisterCommands = (program, { call, print, t }) => {
  program
    .command('new')
    .description('create an empty project file')
    .argument('<project>', 'path of the new .shirabe file')
    .option('--json', 'machine-readable output')
    .action(async (project: string, opts: { json?: boolean }) => {
      const info = await call('project.create', { path: project });
      print(Boolean(opts.json), info, () => t.created(info.path));
    });
};
