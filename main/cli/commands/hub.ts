// `shirabe model search | download`: models from the Hugging Face Hub (HF_ENDPOINT for a mirror,
// HF_HUB_OFFLINE=1 for none, HF_TOKEN for gated models), downloaded into the models folder shared
// with the app. The `model` command itself is the models workflow's (commands/models.ts).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { HubPlan } from '../../../common/contract';
import { parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const gib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : mib(bytes));

function describePlan(plan: HubPlan): string {
  return [
    `${plan.id} @ ${plan.sha} (${plan.revision})${plan.license ? `  licence ${plan.license}` : ''}`,
    `  ${plan.modelType ?? '?'}${plan.parameters !== null ? `, ${(plan.parameters / 1e6).toFixed(2)} M parameters` : ''}`,
    ...(plan.memory ? [`  memory: ${gib(plan.memory.inferenceBytes)} to embed or predict, about ${gib(plan.memory.fineTuneBytes)} to fine-tune (batch 16 × 128)`] : []),
    `  files: ${plan.selected.join(', ')} (${mib(plan.totalBytes)})`,
  ].join('\n');
}

export const hubCommands: RegisterCommands = (program, { call, print, waitForJob, io }) => {
  const model = program.commands.find((c: Command) => c.name() === 'model') ?? program.command('model').description('Hugging Face model folders');

  model
    .command('search')
    .description('search the Hugging Face Hub for models, most downloaded first')
    .argument('<query>', 'part of the model id')
    .option('--task <tag>', 'pipeline tag: fill-mask, text-classification, feature-extraction, …')
    .option('--library <tag>', 'library: transformers, sentence-transformers, …')
    .option('--limit <n>', 'at most N models (default 20)')
    .option('--json', 'machine-readable output')
    .action(async (query: string, o: { task?: string; library?: string; limit?: string; json?: boolean }) => {
      const limit = o.limit === undefined ? undefined : parseInteger(o.limit, 'invalidRequest');
      const found = await call('hub.search', { query, task: o.task, library: o.library, limit });
      print(Boolean(o.json), found, () =>
        found.length === 0
          ? 'no models found'
          : ['id\tdownloads\tlikes\tlicence\tlibrary\ttask', ...found.map((m) => [m.id + (m.gated ? ' (gated)' : ''), m.downloads, m.likes, m.license ?? '-', m.library ?? '-', m.pipelineTag ?? '-'].join('\t'))].join('\n'),
      );
    });

  model
    .command('download')
    .description('download a model from the Hub (resumable, sha256-checked) into the models folder, or DIR')
    .argument('<id>', 'owner/name')
    .option('--revision <rev>', 'branch, tag or commit (default main); the commit is recorded beside the files')
    .option('--to <dir>', 'a new or empty folder instead of the models folder')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { revision?: string; to?: string; json?: boolean }) => {
      const to = o.to === undefined ? undefined : resolve(o.to);
      const plan = await call('hub.plan', { id, revision: o.revision });
      if (!o.json) io.stderr(`${describePlan(plan)}\n`);
      const { jobId } = await call('hub.download', { id, revision: o.revision, to });
      const result = await waitForJob('hubDownload', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () =>
        [
          `${result.already ? 'already downloaded' : 'downloaded'}: ${result.path}`,
          `  ${result.id} @ ${result.sha}, ${result.files.length} files, ${mib(result.bytes)}${result.resumedBytes ? ` (${mib(result.resumedBytes)} resumed)` : ''}, every sha256 checked`,
        ].join('\n'),
      );
    });
};
