// `shirabe import | corpora | search | kwic`: corpora, their import, full-text search and concordance.
import { Option } from 'commander';
import { resolve } from 'node:path';
import {
  defaultImportOptions,
  type DocumentRow,
  encodings,
  importFormats,
  type EncodingChoice,
  type ImportFormat,
  type ImportOptions,
} from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { errorMessage } from '../../../common/messages';
import { parseInteger, parseSplit } from '../parse';
import type { RegisterCommands } from '../shared';

export const corpusCommands: RegisterCommands = (program, { call, print, t, lang, withProject, waitForJob }) => {
  program
    .command('import')
    .description('import a corpus (CSV, TSV, JSONL, Excel .xlsx, or a folder of .txt files)')
    .argument('<project>')
    .argument('<path>', 'file or folder to import')
    .option('--name <name>', 'corpus name (default: the file name)')
    .addOption(new Option('--format <format>', 'input format').choices(importFormats).default('auto'))
    .addOption(new Option('--encoding <encoding>', 'text encoding').choices(encodings).default('auto'))
    .option('--text <column>', 'column with the text (default: the longest text column)')
    .option('--title <column>', 'column with the title')
    .option('--label <column>', 'column with the label')
    .option('--no-header', 'CSV/TSV/xlsx: the first row is data, columns are 1, 2, …')
    .option('--sheet <name>', 'Excel: sheet name (default: the first)')
    .option('--header-lines <n>', 'folder: the first N lines of each file are fields', '0')
    .option('--header-fields <names>', 'folder: names of those lines, comma-separated (e.g. url,date,title)')
    .option('--skip-bad-rows', 'skip rows that cannot be read and report them, instead of stopping')
    .option('--split <ratios>', 'train,dev,test ratios', '0.8,0.1,0.1')
    .option('--seed <seed>', 'seed of the stratified split', '42')
    .option('--json', 'machine-readable output')
    .action(async (project: string, path: string, o: Record<string, string | boolean | undefined>) => {
      const full = resolve(path);
      await call('project.open', { path: project });
      const headerLines = parseInteger(String(o.headerLines), 'invalidRequest');
      const base: Partial<ImportOptions> = {
        format: o.format as ImportFormat,
        encoding: o.encoding as EncodingChoice,
        hasHeader: o.header !== false,
        sheet: typeof o.sheet === 'string' ? o.sheet : '',
        headerLines,
        headerFields: typeof o.headerFields === 'string' ? o.headerFields.split(',').map((s) => s.trim()) : [],
      };
      const preview = await call('import.preview', { path: full, options: base });
      const options: ImportOptions = {
        ...defaultImportOptions,
        ...base,
        name: typeof o.name === 'string' ? o.name : '',
        textColumn: typeof o.text === 'string' ? o.text : preview.suggested.textColumn,
        titleColumn: typeof o.title === 'string' ? o.title : preview.format === 'dir' ? preview.suggested.titleColumn : null,
        labelColumn: typeof o.label === 'string' ? o.label : preview.format === 'dir' ? preview.suggested.labelColumn : null,
        skipBadRows: Boolean(o.skipBadRows),
        split: parseSplit(String(o.split)),
        seed: parseInteger(String(o.seed), 'seedInvalid'),
      };
      const { jobId } = await call('import.start', { path: full, options });
      const report = await waitForJob('import', jobId, Boolean(o.json));
      print(Boolean(o.json), report, () =>
        [t.imported(report), ...report.badRows.slice(0, 20).map((b) => t.badRow(b.line, errorMessage(b.error, lang)))].join('\n'),
      );
    });

  program
    .command('corpora')
    .description('list the corpora of a project')
    .argument('<project>')
    .option('--json', 'machine-readable output')
    .action(async (project: string, opts: { json?: boolean }) => {
      const corpora = await withProject(project, () => call('corpus.list', {}));
      print(Boolean(opts.json), corpora, () =>
        corpora.length === 0
          ? t.noCorpora
          : corpora
              .map(
                (c) =>
                  `${c.id}\t${c.name}\t${c.documents} docs\t` +
                  `train ${c.splits.train} / dev ${c.splits.dev} / test ${c.splits.test}\n` +
                  c.labels.map((l) => `    ${l.label}\t${l.count}`).join('\n'),
              )
              .join('\n'),
      );
    });

  program
    .command('search')
    .description('full-text search (Japanese works without spaces)')
    .argument('<project>')
    .argument('<query>')
    .option('--corpus <id>', 'corpus id (default: every corpus)')
    .option('--limit <k>', 'at most K documents', '20')
    .option('--json', 'machine-readable output')
    .action(async (project: string, query: string, o: { corpus?: string; limit: string; json?: boolean }) => {
      if (!query.trim()) throw new ShirabeError('queryEmpty');
      const limit = parseInteger(o.limit, 'invalidRequest');
      const result = await withProject(project, async () => {
        const corpora = await call('corpus.list', {});
        const ids = o.corpus === undefined ? corpora.map((c) => c.id) : [parseInteger(o.corpus, 'invalidRequest')];
        const rows: DocumentRow[] = [];
        let total = 0;
        for (const corpusId of ids) {
          const page = await call('corpus.documents', { corpusId, query, label: null, split: null, offset: 0, limit: Math.max(1, limit - rows.length) });
          total += page.total;
          if (rows.length < limit) rows.push(...page.rows.slice(0, limit - rows.length));
        }
        return { total, rows };
      });
      print(Boolean(o.json), result, () =>
        [t.hits(result.total), ...result.rows.map((r) => `${r.id}\t${r.label ?? ''}\t${r.title ?? ''}\t${r.snippet.text.replace(/\s+/g, ' ')}`)].join('\n'),
      );
    });

  program
    .command('kwic')
    .description('keyword in context (concordance)')
    .argument('<project>')
    .argument('<word>')
    .option('--corpus <id>', 'corpus id (default: every corpus)')
    .option('--width <c>', 'characters of context on each side', '30')
    .addOption(new Option('--sort <by>', 'order of lines').choices(['document', 'left', 'right']).default('document'))
    .option('--limit <k>', 'at most K lines', '1000')
    .option('--json', 'machine-readable output')
    .action(async (project: string, word: string, o: { corpus?: string; width: string; sort: 'document' | 'left' | 'right'; limit: string; json?: boolean }) => {
      const result = await withProject(project, () =>
        call('corpus.kwic', {
          corpusId: o.corpus === undefined ? null : parseInteger(o.corpus, 'invalidRequest'),
          word,
          width: parseInteger(o.width, 'invalidRequest'),
          sort: o.sort,
          limit: parseInteger(o.limit, 'invalidRequest'),
        }),
      );
      const width = parseInteger(o.width, 'invalidRequest');
      print(Boolean(o.json), result, () =>
        [t.kwicTotal(result.total), ...result.lines.map((l) => `${l.left.padStart(width, '　')} 【${l.keyword}】 ${l.right}\t#${l.documentId}`)].join('\n'),
      );
    });
};
