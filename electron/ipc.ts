// The IPC adapter: every contract method becomes one ipcMain handler on channel
// "shirabe:<method>", and every contract event is forwarded to the window on "shirabe:event".
import { ipcMain, type WebContents } from 'electron';
import { eventNames, methods } from '../common/contract';
import { dispatch } from '../main/services/dispatch';
import type { Services } from '../main/services';

export const channel = (method: string) => `shirabe:${method}`;
export const eventChannel = 'shirabe:event';

/** Only our own window, showing our own page, may call: the sender and its frame's URL are checked. */
export function registerIpc(services: Services, isTrusted: (sender: WebContents, frameUrl: string) => boolean): () => void {
  for (const method of methods) {
    ipcMain.handle(channel(method), (event, input: unknown) => {
      if (!isTrusted(event.sender, event.senderFrame?.url ?? '')) return { ok: false, error: { code: 'invalidRequest', params: { detail: 'untrusted sender' } } };
      return dispatch(services.handlers, method, input);
    });
  }
  return () => {
    for (const method of methods) ipcMain.removeHandler(channel(method));
  };
}

export function forwardEvents(services: Services, target: () => WebContents | null): () => void {
  const offs = eventNames.map((event) =>
    services.events.on(event, (payload) => {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(eventChannel, event, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
