// Browser mode: the renderer's files and the contract's API over a WebSocket, on 127.0.0.1
// only, behind a per-launch token. The first page load carries ?token=…; it is then kept
// in an HttpOnly, SameSite=Strict cookie so the page's own assets load; anything without
// the token or the cookie is refused.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { decode, encode } from '../../common/codec';
import { eventNames } from '../../common/contract';
import { dispatch } from '../services/dispatch';
import { maxUploadBytes, type Services } from '../services';

export interface ServerOptions {
  services: Services;
  /** dist/renderer: the built UI. */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const cookieName = 'shirabe_token';
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The same CSP as the Electron window, plus the WebSocket back to this server. */
export function contentSecurityPolicy(connect: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function tokenOf(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${cookieName}=`));
  if (!cookie) return '';
  try {
    return decodeURIComponent(cookie.slice(cookieName.length + 1));
  } catch {
    return ''; // a malformed cookie is no token
  }
}

export function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const root = resolve(options.staticDir);
  const { services } = options;
  let port = 0;

  const authorised = (req: IncomingMessage) => sameToken(tokenOf(req), token);

  function serveFile(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const wanted = normalize(decoded).replace(/^([/\\])+/, '');
    let file = resolve(root, wanted || 'index.html');
    if (!(file === root || file.startsWith(root + sep))) file = join(root, 'index.html');
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The Shirabe UI is not built. Run `npm run build` first.\n');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(`ws://127.0.0.1:${port}`),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (url.searchParams.get('token')) {
      headers['set-cookie'] = `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  const http: Server = createServer((req, res) => {
    if (!authorised(req)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Shirabe: this server needs the token from the URL it printed at start.\nShirabe: 起動時に表示された URL のトークンが必要です。\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveFile(req, res);
  });

  // An upload arrives as one message, base64 in JSON: 4/3 of the file plus the envelope.
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.ceil((maxUploadBytes * 4) / 3) + 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Only this page may talk to us: a token, and no foreign Origin (DNS rebinding, other sites).
    const origin = req.headers.origin;
    const originOk = !origin || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== '/api' || !authorised(req) || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const unsubscribe = eventNames.map((event) =>
      services.events.on(event, (payload) => {
        if (ws.readyState === ws.OPEN) ws.send(encode({ event, payload }));
      }),
    );
    ws.on('message', async (data) => {
      let id: unknown = null;
      try {
        const message = decode(data.toString()) as { id: unknown; method: unknown; input: unknown };
        id = message.id;
        const reply = await dispatch(services.handlers, message.method, message.input);
        ws.send(encode({ id, reply }));
      } catch (err) {
        ws.send(encode({ id, reply: { ok: false, error: { code: 'invalidRequest', params: { detail: String(err) } } } }));
      }
    });
    // An oversized or malformed frame closes this socket, never the server.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      sockets.delete(ws);
      for (const off of unsubscribe) off();
    });
  });

  return new Promise((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => {
      port = (http.address() as AddressInfo).port;
      resolvePromise({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of sockets) ws.terminate();
            wss.close();
            http.close(() => done());
            http.closeAllConnections();
          }),
      });
    });
  });
}
