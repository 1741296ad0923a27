// `shirabe model inspect | tokenize`: Hugging Face model folders and their tokenizers.
import { resolve } from 'node:path';
import { parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

export const modelsCommands: RegisterCommands = (program, { call, print }) => {
  const model = program.command('model').description('Hugging Face model folders');
  model
    .command('inspect')
    .description('check a model folder: architecture, parameters, tokenizer, tensors')
    .argument('<dir>')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, o: { json?: boolean }) => {
      const info = await call('models.inspect', { path: resolve(dir) });
      print(Boolean(o.json), info, () =>
        [
          `${info.name}\t${info.architecture} (${info.modelType}${info.classes.length ? `, ${info.classes.join(', ')}` : ''})`,
          `  parameters ${info.parameters.toLocaleString('en')}  layers ${info.layers}  hidden ${info.hiddenSize}  heads ${info.heads}  positions ${info.maxPositions}`,
          `  vocabulary ${info.vocabSize}  tokenizer ${info.tokenizer.kind}: ${info.tokenizer.description}`,
          `  weights ${info.weightsFile} (${Object.entries(info.dtypes).map(([d, n]) => `${n} ${d}`).join(', ')})`,
          `  heads: ${Object.entries(info.loadedHeads).filter(([, v]) => v).map(([k]) => k).join(', ') || 'encoder only'}${info.labels.length ? ` (labels ${info.labels.join(', ')})` : ''}`,
          ...info.warnings.map((w) => `  ! ${w}`),
          `  sha256 ${info.hash}`,
        ].join('\n'),
      );
    });

  program
    .command('tokenize')
    .description("tokenize a text the way the model's authors do, with each token's character span")
    .argument('<dir>', 'model folder')
    .argument('<text>')
    .option('--max-length <n>', 'truncate to N tokens (special tokens included)')
    .option('--json', 'machine-readable output')
    .action(async (dir: string, text: string, o: { maxLength?: string; json?: boolean }) => {
      const maxLength = o.maxLength === undefined ? undefined : parseInteger(o.maxLength, 'invalidRequest');
      const result = await call('models.tokenize', { path: resolve(dir), text, maxLength });
      print(Boolean(o.json), result, () => result.tokens.map((tk) => `${tk.id}\t${tk.token}\t[${tk.start}, ${tk.end})\t${tk.special ? '' : text.slice(tk.start, tk.end)}`).join('\n'));
    });
};
