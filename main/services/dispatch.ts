// The one place a request from any transport enters the backend: the method must exist in
// the contract and its payload must pass the contract's schema before a handler sees it.
import { contract, type Handlers, type Method, type Reply } from '../../common/contract';
import { ShirabeError, toErrorInfo } from '../../common/errors';

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export async function dispatch(handlers: Handlers, method: unknown, input: unknown): Promise<Reply<unknown>> {
  try {
    if (!isMethod(method)) throw new ShirabeError('invalidRequest', { detail: `unknown method ${String(method)}` });
    const parsed = contract[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
      throw new ShirabeError('invalidRequest', { detail: `${method}: ${detail}` });
    }
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (!(err instanceof ShirabeError)) console.error(`[shirabe] ${String(method)} failed:`, err);
    return { ok: false, error: toErrorInfo(err) };
  }
}
