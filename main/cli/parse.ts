// Reading the command line's values and JSON config files, with the project's error codes.
import { readFileSync } from 'node:fs';
import { ShirabeError } from '../../common/errors';

/** "0.8,0.1,0.1" → train, dev and test ratios. */
export function parseSplit(value: string): [number, number, number] {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p))) throw new ShirabeError('splitInvalid', { value });
  return [parts[0], parts[1], parts[2]];
}

export function parseInteger(value: string, code: 'seedInvalid' | 'invalidRequest'): number {
  if (!/^-?\d+$/.test(value.trim())) throw code === 'seedInvalid' ? new ShirabeError(code, { value }) : new ShirabeError(code, { detail: value });
  return Number(value);
}

/** A JSON config file, with the README's short names ("corpus", "model" relative to the working directory). */
export function readJsonConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ShirabeError('fileNotFound', { path: file }, { cause: err });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ShirabeError('configNotJson', { path: file }, { cause: err });
  }
}

/** A config's schema issues as one line: "path: message; …". */
export const configIssues = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${i.path.map(String).join('.') || '(config)'}: ${i.message}`).join('; ');
