// Small pure formatters shared by the components.

/** Seconds as h:mm:ss or m:ss; null/negative/NaN → null. */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

/**
 * A job's remaining time for display: [low, high] while its estimate is a range, one formatted
 * value once stable (or when only etaSeconds is known), null when there is no estimate.
 */
export function formatEtaRange(eta: { seconds: number; low: number; high: number; stable: boolean } | null | undefined, etaSeconds: number | null): string | [string, string] | null {
  if (eta && !eta.stable) {
    const low = formatEta(eta.low);
    const high = formatEta(eta.high);
    if (low && high && low !== high) return [low, high];
  }
  return formatEta(eta ? eta.seconds : etaSeconds);
}

export function percentOf(done: number, total: number): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** The last path component without its extension (corpus name default). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(0, dot) : last;
}

/** Every [start,end) occurrence of needle in text (non-overlapping). */
export function findAll(text: string, needle: string): [number, number][] {
  const out: [number, number][] = [];
  if (!needle) return out;
  let i = text.indexOf(needle);
  while (i >= 0) {
    out.push([i, i + needle.length]);
    i = text.indexOf(needle, i + needle.length);
  }
  return out;
}

/** Splits text into plain and highlighted pieces; spans may be unsorted or overlapping. */
export function splitBySpans(text: string, spans: readonly (readonly [number, number])[]): { text: string; mark: boolean; start: number }[] {
  const sorted = [...spans].filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: { text: string; mark: boolean; start: number }[] = [];
  let pos = 0;
  for (const [a0, b0] of sorted) {
    const a = Math.max(a0, pos);
    const b = Math.min(b0, text.length);
    if (b <= a) continue;
    if (a > pos) out.push({ text: text.slice(pos, a), mark: false, start: pos });
    out.push({ text: text.slice(a, b), mark: true, start: a });
    pos = b;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), mark: false, start: pos });
  return out;
}

/** A count in the short form model cards use: 950, 12.3K, 110.1M, 1.3B. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (Math.abs(n) < 1000) return String(Math.round(n));
  const units = ['K', 'M', 'B'];
  for (let i = 0; i < units.length; i++) {
    const scaled = Math.round((n / 1000 ** (i + 1)) * 10) / 10;
    // Move up a unit when rounding reaches 1000 (999,950 reads 1.0M, not 1000.0K).
    if (Math.abs(scaled) < 1000 || i === units.length - 1) return `${scaled.toFixed(1)}${units[i]}`;
  }
  return String(n);
}

/** Bytes as mebibytes with one decimal (memory readouts). */
export function formatMegabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** A score in [0, 1] as papers print it (0.853); null or not finite → "—". */
export function formatScore(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3);
}

/**
 * Memory as a reader takes it in: MiB below 1 GiB (a small model's 24 MiB, never "0.0 GB"), GiB
 * with one decimal above; the unit is a key of the `memory` strings.
 */
export function formatMemory(bytes: number): { value: string; unit: 'mebibytes' | 'gibibytes' } {
  const mib = bytes / 1024 ** 2;
  if (mib < 1023.95) return { value: mib < 10 ? mib.toFixed(1) : String(Math.round(mib)), unit: 'mebibytes' };
  return { value: (bytes / 1024 ** 3).toFixed(1), unit: 'gibibytes' };
}

/** Bytes as gibibytes with one decimal (memory estimates). */
export function formatGigabytes(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}
