// The browser-mode client: the same ShirabeApi as Electron's preload, over the WebSocket
// server of `shirabe serve`. The per-launch token comes from the page URL (?token=…).
import { decode, encode } from '../../../common/codec';
import type { EventName, Events, Input, Method, Output, Reply, ShirabeApi } from '../../../common/contract';
import type { ErrorInfo } from '../../../common/errors';

export class RemoteError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.code);
  }
}

type ServerMessage =
  | { id: number; reply: Reply<unknown> }
  | { event: EventName; payload: unknown };

export function connectWebSocket(url: string): Promise<ShirabeApi> {
  const socket = new WebSocket(url);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  socket.addEventListener('message', (event) => {
    const message = decode(String(event.data)) as ServerMessage;
    if ('id' in message) {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.reply.ok) waiter.resolve(message.reply.value);
      else waiter.reject(new RemoteError(message.reply.error));
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload as never);
    }
  });
  const disconnected = () => new RemoteError({ code: 'serverDisconnected', params: {} });
  socket.addEventListener('close', () => {
    for (const waiter of pending.values()) waiter.reject(disconnected());
    pending.clear();
  });

  const api: ShirabeApi = {
    call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      const id = nextId++;
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(disconnected());
      return new Promise<Output<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.send(encode({ id, method, input }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };

  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(api), { once: true });
    socket.addEventListener('error', () => reject(disconnected()), { once: true });
  });
}
