// Reading the JSON columns of the project's rows: a value that does not parse (or is NULL) reads
// as the fallback instead of failing the whole query.

export function parseJson(text: string | null, fallback: unknown): unknown {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}
