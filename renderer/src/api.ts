// The renderer's only door to the backend: window.shirabe (Electron preload) or, in a plain
// browser, the WebSocket client. Both implement the contract's ShirabeApi.
import type { ShirabeApi } from '../../common/contract';
import { toErrorInfo } from '../../common/errors';
import { connectWebSocket, RemoteError as RemoteErrorClass } from './transport/wsClient';

declare global {
  interface Window {
    shirabe?: ShirabeApi;
  }
}

let api: Promise<ShirabeApi> | null = null;

export function getApi(): Promise<ShirabeApi> {
  if (!api) {
    if (window.shirabe) {
      api = Promise.resolve(window.shirabe);
    } else {
      const token = new URLSearchParams(window.location.search).get('token') ?? '';
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      api = connectWebSocket(`${scheme}://${window.location.host}/api?token=${encodeURIComponent(token)}`);
    }
  }
  return api;
}

export { RemoteError } from './transport/wsClient';

/** The plain error behind a rejected call, whichever transport rejected it. */
export function errorInfoOf(err: unknown): import('../../common/errors').ErrorInfo {
  if (err instanceof RemoteErrorClass) return err.info;
  return toErrorInfo(err);
}
