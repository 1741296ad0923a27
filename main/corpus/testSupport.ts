// Helpers shared by the corpus tests (not used by the app).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultImportOptions, type ImportOptions } from '../../common/contract';
import { ShirabeError, type ErrorCode, type ErrorParams } from '../../common/errors';
import { errorMessage } from '../../common/messages';
import { readDocuments } from './readers';
import type { DocumentInput, ReadHooks, ReadItem } from './types';

export function tempDir(prefix = 'shirabe-corpus-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export function options(o: Partial<ImportOptions> = {}): ImportOptions {
  return { ...defaultImportOptions, name: 'test', ...o };
}

export async function collect(path: string, o: Partial<ImportOptions>, hooks: ReadHooks = {}): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of readDocuments(path, options(o), hooks)) items.push(item);
  return items;
}

export function documents(items: readonly ReadItem[]): DocumentInput[] {
  return items.flatMap((i) => (i.kind === 'document' ? [i.document] : []));
}

/** Both languages render the error with every placeholder filled. */
export function expectMessagesComplete(code: ErrorCode, params: ErrorParams): void {
  for (const lang of ['en', 'ja'] as const) {
    const message = errorMessage({ code, params }, lang);
    if (/\{\w+\}/.test(message)) throw new Error(`${code} (${lang}) has an unreplaced placeholder: ${message}`);
  }
}

/** Runs `fn`, expecting a ShirabeError with this code and (a subset of) these params. */
export async function expectShirabeError(
  fn: () => unknown,
  code: ErrorCode,
  params: ErrorParams = {},
): Promise<ShirabeError> {
  let caught: unknown = null;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof ShirabeError)) throw new Error(`expected ShirabeError ${code}, got ${String(caught)}`);
  if (caught.code !== code) throw new Error(`expected ${code}, got ${caught.code} ${JSON.stringify(caught.params)}`);
  for (const [k, v] of Object.entries(params)) {
    if (caught.params[k] !== v) {
      throw new Error(`${code}: param ${k} expected ${JSON.stringify(v)}, got ${JSON.stringify(caught.params[k])}`);
    }
  }
  expectMessagesComplete(caught.code, caught.params);
  return caught;
}
