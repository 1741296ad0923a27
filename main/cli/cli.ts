// `shirabe …`: the same services as the app, one command per operation, each with --json. Each
// workflow's commands are in commands/<workflow>.ts, listed in commands/index.ts.
// Errors go to stderr in the user's language (LANG=ja… → Japanese) with exit code 1.
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { toErrorInfo } from '../../common/errors';
import { catalogue, errorMessage, languageFromLocale } from '../../common/messages';
import { commands } from './commands';
import { type CliEnv, createCli } from './shared';

export async function runCli(argv: string[], io: CliEnv): Promise<number> {
  const lang = languageFromLocale(io.env.LC_ALL || io.env.LC_MESSAGES || io.env.LANG);
  // A config's schema issues (configInvalid's detail) are worded by zod: in the user's language too.
  z.config(lang === 'ja' ? z.locales.ja() : z.locales.en());
  const { cli, shutdown } = createCli(io, lang, catalogue(lang).cli);

  const program = new Command('shirabe')
    .description('Shirabe: corpus workbench for language-model research')
    .version(io.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of commands) register(program, cli);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`shirabe: ${errorMessage(toErrorInfo(err), lang)}\n`);
    return 1;
  } finally {
    await shutdown();
  }
}
