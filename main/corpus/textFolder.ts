// A folder of .txt files (the livedoor news layout): one document per file, the immediate
// subfolder as its label, the first N lines as named fields.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Encoding, EncodingGuess } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { decodeAll, detectEncoding, type EncodingDetection } from './encoding';

export interface TextFile {
  /** Relative to the root, '/'-separated. */
  rel: string;
  full: string;
  label: string | null;
  size: number;
}

/** Documentation files that sit beside the articles in distributed corpora (livedoor has all three). */
const skipped = /^(license|licence|readme|changes|changelog|copying)\.txt$/i;

/** Every .txt file under the root, sorted by relative path. */
export async function listTextFiles(root: string): Promise<TextFile[]> {
  const found: TextFile[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue; // hidden files, macOS ._ forks
      const full = join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(full, r);
      else if (e.isFile() && /\.txt$/i.test(e.name) && !skipped.test(e.name)) {
        const slash = r.indexOf('/');
        found.push({ rel: r, full, label: slash < 0 ? null : r.slice(0, slash), size: 0 });
      }
    }
  }
  await walk(root, '');
  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return found;
}

export async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Detects the encoding of a set of files by a vote of their samples (confidence-weighted). */
export async function detectFolderEncoding(files: readonly TextFile[], perFile = 64 * 1024): Promise<EncodingDetection> {
  const votes = new Map<Encoding, { sum: number; bom: boolean }>();
  let any = false;
  for (const f of files) {
    const sample = await readHead(f.full, perFile);
    if (sample.length === 0) continue;
    any = true;
    const d = detectEncoding(sample, f.full);
    for (const [i, g] of d.candidates.entries()) {
      const v = votes.get(g.encoding) ?? { sum: 0, bom: false };
      // The best guess of each file counts fully, the others by their confidence only.
      v.sum += i === 0 ? 1 + g.confidence : g.confidence * 0.5;
      v.bom ||= g.hasBom;
      votes.set(g.encoding, v);
    }
  }
  if (!any) {
    const best: EncodingGuess = { encoding: 'utf-8', confidence: 1, hasBom: false };
    return { best, candidates: [best] };
  }
  const total = [...votes.values()].reduce((a, v) => a + v.sum, 0);
  const ranked = [...votes.entries()]
    .sort((a, b) => b[1].sum - a[1].sum)
    .map(([encoding, v]) => ({ encoding, confidence: Math.round((v.sum / total) * 1000) / 1000, hasBom: v.bom }));
  return { best: ranked[0], candidates: ranked };
}

export interface ParsedTextFile {
  fields: Record<string, string>;
  text: string;
}

/** Names of the N header lines: the given names, then line1, line2, … for the rest. */
export function headerNames(headerLines: number, headerFields: readonly string[]): string[] {
  return Array.from({ length: headerLines }, (_, i) => {
    const name = headerFields[i]?.trim();
    return name ? name : `line${i + 1}`;
  });
}

/** Splits a decoded file into its header fields and its text (trailing whitespace trimmed). */
export function parseTextFile(content: string, names: readonly string[]): ParsedTextFile {
  const lines = content.split(/\r\n|\n|\r/);
  const fields: Record<string, string> = {};
  names.forEach((name, i) => {
    fields[name] = (lines[i] ?? '').trim();
  });
  const text = lines.slice(names.length).join('\n').trimEnd();
  return { fields, text };
}

/** Decodes one file; U+FFFD means bytes the encoding cannot decode. */
export function decodeFile(bytes: Uint8Array, encoding: Encoding, path: string): string {
  const at = encoding === 'utf-16' ? -1 : bytes.indexOf(0);
  if (at >= 0) throw new ShirabeError('binaryFile', { path, offset: at });
  return decodeAll(bytes, encoding);
}
