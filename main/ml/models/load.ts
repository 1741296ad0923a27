// Matching a checkpoint to an architecture: every tensor by name and shape. Missing or
// mis-shaped backbone tensors are errors; heads load when present; tensors nobody reads are
// reported by name.
import { ShirabeError } from '../../../common/errors';
import type { TensorReader } from '../weights/types';
import type { EncoderConfig } from './config';
import type { EncoderTask } from './family';
import { paramsFor, type Architecture, type ParamGroup, type ParamSpec } from './spec';

export interface LoadedParam {
  shape: number[];
  data: Float32Array;
}

export interface CheckReport {
  /** The backbone prefix found in the checkpoint ("bert.", "" …). */
  prefix: string;
  heads: { pooler: boolean; mlm: boolean; classifier: boolean };
  /** The MLM decoder is the word-embedding matrix (no separate tensor in the checkpoint). */
  tiedDecoder: boolean;
  missing: string[];
  misshaped: { name: string; expected: number[]; found: number[] }[];
  unexpected: string[];
  /** Known tensors deliberately unused, with why. */
  ignored: { name: string; reason: string }[];
  parameterCount: number;
  /** Stored dtypes and how many tensors of each. */
  dtypes: Record<string, number>;
}

function resolveName(spec: ParamSpec, name: string, prefix: string): string {
  return name.startsWith('!') ? name.slice(1) : prefix + name;
}

function find(reader: TensorReader, spec: ParamSpec, prefix: string): string | null {
  for (const n of spec.names) {
    const full = resolveName(spec, n, prefix);
    if (reader.tensors.has(full)) return full;
  }
  return null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Checks names and shapes without reading any tensor data. */
export function checkCheckpoint(
  reader: TensorReader,
  arch: Architecture,
  config: EncoderConfig,
  skip: readonly ParamGroup[] = [],
  /** The heads whose tensors are matched besides the backbone's. */
  tasks: readonly EncoderTask[] = arch.loads,
): { report: CheckReport; found: Map<string, string> } {
  const specs = paramsFor(arch, config, tasks).filter((s) => !skip.includes(s.group));
  const wordSpec = specs.find((s) => s.key === 'embeddings.word')!;
  const prefix = arch.prefixes.find((p) => find(reader, wordSpec, p) !== null) ?? arch.prefixes[0];
  const found = new Map<string, string>();
  const byGroup = new Map<ParamGroup, ParamSpec[]>();
  for (const s of specs) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);
  const missing: string[] = [];
  const misshaped: CheckReport['misshaped'] = [];
  const present: Record<ParamGroup, boolean> = { encoder: true, pooler: false, mlm: false, classifier: false, nsp: false };
  for (const [group, list] of byGroup) {
    const hits = list.map((s) => [s, find(reader, s, prefix)] as const);
    const any = hits.some(([s, n]) => n !== null && !s.optional);
    if (group !== 'encoder' && !any) continue;
    present[group] = true;
    for (const [s, n] of hits) {
      if (n === null) {
        if (!s.optional) missing.push(resolveName(s, s.names[0], prefix));
        continue;
      }
      const shape = reader.tensors.get(n)!.shape;
      if (!sameShape(shape, s.shape)) misshaped.push({ name: n, expected: s.shape, found: shape });
      else found.set(s.key, n);
    }
  }
  const used = new Set(found.values());
  const unexpected: string[] = [];
  const ignored: CheckReport['ignored'] = [];
  for (const name of reader.tensors.keys()) {
    if (used.has(name) || misshaped.some((m) => m.name === name)) continue;
    const known = arch.ignored.find((i) => i.pattern.test(name));
    if (known) ignored.push({ name, reason: known.reason });
    else unexpected.push(name);
  }
  let parameterCount = 0;
  const dtypes: Record<string, number> = {};
  for (const t of reader.tensors.values()) {
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
  }
  for (const name of used) parameterCount += reader.tensors.get(name)!.shape.reduce((a, b) => a * b, 1);
  const report: CheckReport = {
    prefix,
    heads: { pooler: present.pooler, mlm: present.mlm, classifier: present.classifier },
    tiedDecoder: present.mlm && !found.has('mlm.decoder.weight'),
    missing,
    misshaped,
    unexpected,
    ignored,
    parameterCount,
    dtypes,
  };
  return { report, found };
}

/** A mismatch the model cannot run with, as one error naming every tensor. */
export function assertLoadable(report: CheckReport): void {
  if (report.missing.length === 0 && report.misshaped.length === 0) return;
  const shapes = report.misshaped.map((m) => `${m.name} [${m.found.join(', ')}] ≠ [${m.expected.join(', ')}]`);
  throw new ShirabeError('modelTensorsMismatch', {
    missing: report.missing.length ? report.missing.join(', ') : '—',
    misshaped: shapes.length ? shapes.join('; ') : '—',
  });
}

/** Reads every matched tensor as float32 (Linear weights still in torch's [out, in] layout). */
export function readParams(reader: TensorReader, found: Map<string, string>): Map<string, LoadedParam> {
  const out = new Map<string, LoadedParam>();
  for (const [key, name] of found) out.set(key, { shape: reader.tensors.get(name)!.shape, data: reader.read(name) });
  return out;
}
