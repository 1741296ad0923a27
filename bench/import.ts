// Import throughput: the livedoor news folder (../shared/data) and 100,000 synthetic documents.
// Run: npm run bench:import
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freshProject, importAndWait, livedoorArchive, livedoorImportOptions, writeSyntheticCsv } from './common';

async function main(): Promise<void> {
  if (existsSync(livedoorArchive)) {
    const { services, dir } = await freshProject();
    execFileSync('tar', ['xzf', livedoorArchive, '-C', dir]);
    const folder = join(dir, 'text');
    const bytes = Number(execFileSync('du', ['-sb', folder]).toString().split('\t')[0]);
    const t0 = performance.now();
    const report = await importAndWait(services, folder, livedoorImportOptions);
    const s = (performance.now() - t0) / 1000;
    console.log(`livedoor folder: ${report.documents} documents, ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${(report.documents / s).toFixed(0)} docs/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s`);
    await services.shutdown();
  } else {
    console.log(`livedoor: skipped (${livedoorArchive} absent)`);
  }

  const { services, dir } = await freshProject();
  const csv = writeSyntheticCsv(dir, 100_000);
  const bytes = statSync(csv).size;
  const t0 = performance.now();
  const report = await importAndWait(services, csv, { name: 'synthetic', textColumn: 'text', labelColumn: 'label' });
  const s = (performance.now() - t0) / 1000;
  console.log(`synthetic CSV: ${report.documents} documents, ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(2)} s = ${(report.documents / s).toFixed(0)} docs/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s`);
  console.log(`project file: ${(statSync(join(dir, 'bench.shirabe')).size / 1e6).toFixed(1)} MB`);
  await services.shutdown();
}

void main();
