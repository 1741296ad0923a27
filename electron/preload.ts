// Sandboxed preload: exposes exactly the contract (window.shirabe) and nothing of Node.
import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, methods, type EventName, type Events, type Input, type Method, type Output, type Reply, type ShirabeApi } from '../common/contract';

const allowed = new Set<string>(methods);
const allowedEvents = new Set<string>(eventNames);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on('shirabe:event', (_event, name: string, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api: ShirabeApi = {
  async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    if (!allowed.has(method)) throw { code: 'invalidRequest', params: { detail: `unknown method ${method}` } };
    const reply = (await ipcRenderer.invoke(`shirabe:${method}`, input)) as Reply<Output<M>>;
    // Reject with the plain ErrorInfo: it survives the context bridge, an Error's fields don't.
    if (!reply.ok) throw reply.error;
    return reply.value;
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
    if (!allowedEvents.has(event)) return () => undefined;
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  },
};

contextBridge.exposeInMainWorld('shirabe', api);
