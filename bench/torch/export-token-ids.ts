// Token ids of the livedoor news corpus under a model folder's tokenizer (Shirabe's own tokenizer,
// MeCab-IPADIC words through kuromoji), with each document's label, split and word index, for the
// PyTorch replica in self_pretraining.py. Imports ../shared/data's archive into a temporary project
// the way bench:train and model:default do, so the split is theirs (seed 42).
//
//   node --import tsx bench/torch/export-token-ids.ts MODEL_DIR OUT.json
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Morphology } from '../../main/corpus/morphology';
import { readTokenizer } from '../../main/modelFolders/modelFolder';
import { segmenterFor } from '../../main/modelFolders/segmenter';
import { freshProject, importAndWait, livedoorArchive, livedoorImportOptions } from '../common';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: export-token-ids.ts MODEL_DIR OUT.json');
if (!existsSync(livedoorArchive)) throw new Error(`the livedoor news corpus is needed: ${livedoorArchive} is absent`);

const { services, dir: work } = await freshProject();
let rows: { text: string; label: string | null; split: string }[];
try {
  try {
    execFileSync('tar', ['xzf', livedoorArchive, '-C', work]);
    await importAndWait(services, join(work, 'text'), livedoorImportOptions);
  } finally {
    await services.shutdown();
  }
  const db = new Database(join(work, 'bench.shirabe'), { readonly: true });
  rows = db.prepare('SELECT text, label, split FROM documents ORDER BY corpus_id, ordinal').all() as typeof rows;
  db.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
const { tokenizer } = readTokenizer(dir, await segmenterFor(dir, () => Morphology.load()));
const docs = rows.map((r) => {
  const e = tokenizer.encode(r.text, { maxLength: Number.MAX_SAFE_INTEGER, addSpecialTokens: false });
  return { label: r.label, split: r.split, ids: e.ids, words: e.tokens.map((t) => t.word ?? -1) };
});
writeFileSync(out, JSON.stringify({ special: tokenizer.special, vocabSize: tokenizer.vocabSize, docs }));
console.log(`${docs.length} documents -> ${out}`);
