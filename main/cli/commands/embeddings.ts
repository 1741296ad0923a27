// `shirabe embed | export-embeddings`: a corpus embedded with a model, kept in the project as an
// embedding run, and a run's vectors written to CSV, NPY or Parquet.
import { Option } from 'commander';
import { resolve } from 'node:path';
import type { EmbedOptions, Pooling } from '../../../common/contract';
import { parseInteger } from '../parse';
import type { RegisterCommands } from '../shared';

export const embeddingsCommands: RegisterCommands = (program, { call, print, t, waitForJob }) => {
  program
    .command('embed')
    .description('embed every document of a corpus with a model, stored in the project as an embedding run')
    .argument('<project>')
    .requiredOption('--corpus <id>', 'corpus id')
    .requiredOption('--model <dir>', 'model folder')
    .addOption(new Option('--pooling <how>', 'how token vectors become one document vector').choices(['cls', 'mean', 'last', 'max']).default('mean'))
    .option('--layer <l>', 'hidden layer: 0 = embeddings … L = last; negative counts from the end', '-1')
    .option('--max-length <n>', 'tokens per document (longer ones are truncated)', '128')
    .option('--batch-size <b>', 'documents per batch', '16')
    .addOption(new Option('--truncation <where>', 'what to keep of a long document').choices(['head', 'head+tail']).default('head'))
    .option('--json', 'machine-readable output')
    .action(async (project: string, o: Record<string, string | boolean | undefined>) => {
      await call('project.open', { path: project });
      const { jobId } = await call('embed.start', {
        corpusId: parseInteger(String(o.corpus), 'invalidRequest'),
        modelPath: resolve(String(o.model)),
        pooling: o.pooling as Pooling,
        layer: parseInteger(String(o.layer), 'invalidRequest'),
        maxLength: parseInteger(String(o.maxLength), 'invalidRequest'),
        batchSize: parseInteger(String(o.batchSize), 'invalidRequest'),
        truncation: o.truncation as EmbedOptions['truncation'],
      });
      const result = await waitForJob('embed', jobId, Boolean(o.json));
      print(Boolean(o.json), result, () => t.embedded(result));
    });

  program
    .command('export-embeddings')
    .description("write an embedding run's vectors to a file, its format chosen by the extension")
    .argument('<project>')
    .argument('<run>', 'embedding run id')
    .argument('<out>', 'OUT.csv, OUT.npy or OUT.parquet')
    .addHelpText(
      'after',
      `
Every format has one row per document, in the corpus's order:
  .csv      document_id,title,label,split,d0,d1,… (RFC 4180, UTF-8 with a BOM; floats as the
            shortest text that reads back as the same float32)
  .npy      the (documents, dimensions) float32 matrix: np.load("OUT.npy"); beside it OUT.rows.csv
            (row,document_id,title,label,split) says which document row i is
  .parquet  document_id (int32), title, label, split (string) and embedding (list<float>):
            pd.read_parquet("OUT.parquet"), np.stack(df.embedding) for the matrix
The file is written under a temporary name and renamed into place when complete.`,
    )
    .option('--json', 'machine-readable output')
    .action(async (project: string, run: string, out: string, o: { json?: boolean }) => {
      await call('project.open', { path: project });
      const runId = parseInteger(run, 'invalidRequest');
      const result = await call('embed.export', { runId, path: resolve(out) });
      print(Boolean(o.json), result, () => t.embeddingsExported(runId, result));
    });
};
