// Runs a parse that must fail and gives its ShirabeError (code and params), so each bad input's
// test states the exact error and, by reaching here, that nothing was returned.
import { ShirabeError } from '../../../common/errors';

export function failure(parse: () => unknown): { code: string; params: Record<string, string | number> } {
  let result: unknown;
  try {
    result = parse();
  } catch (err) {
    if (!(err instanceof ShirabeError)) throw err;
    const e = err;
    return { code: e.code, params: e.params };
  }
  throw new Error(`expected an error, got ${JSON.stringify(result).slice(0, 200)}`);
}
