// A local HTTP server that speaks the Hugging Face Hub's API and file routes as huggingface_hub
// uses them, for testing the Hub client without the network: /api/models (search with filters),
// /api/models/{id}/revision/{rev}?blobs=true and /tree/{rev} (sizes, git blob ids, LFS sha256),
// /{id}/resolve/{rev}/{file} (small files served, LFS files redirected with 302 to an /lfs/ route
// that honours Range), X-Error-Code on 401 and 404 as the Hub sends them. Faults on demand: a
// connection cut after N bytes of a file, a corrupted body, a gated model that wants a token.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface HubRepo {
  id: string;
  sha: string;
  files: Map<string, Buffer>;
  /** Files stored in LFS (redirected, with an lfs.sha256 in the listing). */
  lfs: Set<string>;
  tags: string[];
  downloads: number;
  likes: number;
  pipelineTag: string | null;
  library: string | null;
  /** The token a gated repository wants; null for a public one. */
  gatedToken: string | null;
}

export interface HubRequestLog {
  url: string;
  range: string | null;
  authorization: string | null;
  status: number;
}

export interface LocalHub {
  endpoint: string;
  repos: Map<string, HubRepo>;
  log: HubRequestLog[];
  /** The next download of `file` (its LFS route) stops after `bytes` bytes by destroying the socket, `times` times. */
  cutAfter(file: string, bytes: number, times?: number): void;
  /** Downloads of `file` serve altered bytes (one byte flipped in the middle), until called with `on` false. */
  corrupt(file: string, on?: boolean): void;
  /** Range requests are ignored (200 with the whole file), as some mirrors do. */
  ignoreRange: boolean;
  close(): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

/** A repository made from a model folder's files (every file of `dir`), with `override` files replacing or adding some. */
export function repoFromFolder(id: string, dir: string, options: Partial<Omit<HubRepo, 'id' | 'files' | 'lfs'>> & { override?: Record<string, string | Buffer>; omit?: string[] } = {}): HubRepo {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) files.set(name, readFileSync(join(dir, name)));
  for (const [name, content] of Object.entries(options.override ?? {})) files.set(name, Buffer.from(content));
  for (const name of options.omit ?? []) files.delete(name);
  const lfs = new Set([...files.keys()].filter((n) => /\.(safetensors|bin|model)$/.test(n)));
  return {
    id,
    sha: options.sha ?? createHash('sha1').update(id).digest('hex'),
    files,
    lfs,
    tags: options.tags ?? ['transformers', 'fill-mask', 'ja', 'license:cc-by-sa-4.0'],
    downloads: options.downloads ?? 100,
    likes: options.likes ?? 3,
    pipelineTag: options.pipelineTag === undefined ? 'fill-mask' : options.pipelineTag,
    library: options.library === undefined ? 'transformers' : options.library,
    gatedToken: options.gatedToken ?? null,
  };
}

export async function startLocalHub(repos: HubRepo[]): Promise<LocalHub> {
  const byId = new Map(repos.map((r) => [r.id, r]));
  const log: HubRequestLog[] = [];
  const cuts = new Map<string, { bytes: number; times: number }>();
  const corrupted = new Set<string>();
  const state = { ignoreRange: false };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
    res.end(text);
  };
  const notFound = (res: ServerResponse, code: string) => send(res, 404, { error: code }, { 'x-error-code': code });

  /** The gate: a gated repository answers 401 (no token) or 403 (a wrong one), as the Hub does. */
  const allowed = (req: IncomingMessage, res: ServerResponse, repo: HubRepo): boolean => {
    if (!repo.gatedToken) return true;
    const auth = req.headers.authorization ?? null;
    if (auth === `Bearer ${repo.gatedToken}`) return true;
    send(res, auth ? 403 : 401, { error: 'Access to this model is restricted.' }, { 'x-error-code': 'GatedRepo' });
    return false;
  };

  const listing = (repo: HubRepo) =>
    [...repo.files].map(([path, b]) => ({
      rfilename: path,
      size: b.length,
      blobId: repo.lfs.has(path) ? gitSha1(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(b)}\nsize ${b.length}\n`)) : gitSha1(b),
      ...(repo.lfs.has(path) ? { lfs: { sha256: sha256(b), size: b.length, pointerSize: 134 } } : {}),
    }));

  const summary = (r: HubRepo) => ({
    _id: r.sha.slice(0, 24),
    id: r.id,
    modelId: r.id,
    likes: r.likes,
    downloads: r.downloads,
    private: false,
    gated: r.gatedToken ? 'manual' : false,
    tags: r.tags,
    pipeline_tag: r.pipelineTag ?? undefined,
    library_name: r.library ?? undefined,
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  /** Serves a file's bytes with Range, cutting or corrupting it on demand. */
  const serveBytes = (req: IncomingMessage, res: ServerResponse, name: string, bytes: Buffer) => {
    let body = bytes;
    if (corrupted.has(name)) {
      body = Buffer.from(bytes);
      body[body.length >> 1] ^= 0xff;
    }
    let start = 0;
    let status = 200;
    const range = req.headers.range;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', etag: `"${sha256(bytes)}"` };
    if (range && !state.ignoreRange) {
      const m = /^bytes=(\d+)-$/.exec(range);
      if (!m || Number(m[1]) >= body.length) {
        send(res, 416, 'range not satisfiable', { 'content-range': `bytes */${body.length}` });
        return 416;
      }
      start = Number(m[1]);
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    const slice = body.subarray(start);
    headers['content-length'] = String(slice.length);
    res.writeHead(status, headers);
    const cut = cuts.get(name);
    if (cut && cut.times > 0 && cut.bytes < slice.length) {
      cut.times--;
      // Send part of the body, let it reach the client, then drop the connection mid-file.
      // A graceful close (FIN) once the bytes are written: an abrupt reset could make the client drop bytes it had not read yet.
      res.write(slice.subarray(0, cut.bytes), () => res.socket?.end());
      return status;
    }
    res.end(slice);
    return status;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): number => {
    const url = new URL(req.url ?? '/', 'http://hub');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'GET') {
      send(res, 405, 'method not allowed');
      return 405;
    }
    // /api/models?search=…&filter=…&sort=downloads&limit=…
    if (parts.length === 2 && parts[0] === 'api' && parts[1] === 'models') {
      const search = (url.searchParams.get('search') ?? '').toLowerCase();
      const filters = url.searchParams.getAll('filter');
      const limit = Number(url.searchParams.get('limit') ?? 1000);
      const found = [...byId.values()]
        .filter((r) => r.id.toLowerCase().includes(search) && filters.every((f) => r.tags.includes(f)))
        .sort((a, b) => b.downloads - a.downloads)
        .slice(0, limit);
      send(res, 200, found.map(summary));
      return 200;
    }
    // /api/models/{org}/{name}/revision/{rev} and /api/models/{org}/{name}/tree/{rev}
    if (parts[0] === 'api' && parts[1] === 'models' && parts.length >= 5) {
      const id = parts.length >= 6 ? `${parts[2]}/${parts[3]}` : parts[2];
      const rest = parts.slice(parts.length >= 6 ? 4 : 3);
      const repo = byId.get(id);
      if (!repo) {
        // Without a token the Hub answers 401 for a repository it will not name; with one, 404.
        send(res, 401, { error: 'Repository Not Found' }, { 'x-error-code': 'RepoNotFound' });
        return 401;
      }
      if (!allowed(req, res, repo)) return res.statusCode;
      const rev = rest[1];
      if (rev !== 'main' && rev !== repo.sha) {
        notFound(res, 'RevisionNotFound');
        return 404;
      }
      if (rest[0] === 'revision') {
        send(res, 200, { ...summary(repo), sha: repo.sha, cardData: { license: repo.tags.find((t) => t.startsWith('license:'))?.slice(8) }, siblings: listing(repo) });
        return 200;
      }
      if (rest[0] === 'tree') {
        send(res, 200, listing(repo).map((f) => ({ type: 'file', path: f.rfilename, size: f.size, oid: f.blobId, ...(f.lfs ? { lfs: { oid: f.lfs.sha256, size: f.lfs.size, pointerSize: 134 } } : {}) })));
        return 200;
      }
    }
    // /{org}/{name}/resolve/{rev}/{file}
    if (parts.length >= 5 && parts[2] === 'resolve') {
      const repo = byId.get(`${parts[0]}/${parts[1]}`);
      if (!repo) {
        send(res, 401, { error: 'Repository Not Found' }, { 'x-error-code': 'RepoNotFound' });
        return 401;
      }
      if (!allowed(req, res, repo)) return res.statusCode;
      const rev = parts[3];
      const name = parts.slice(4).join('/');
      const bytes = repo.files.get(name);
      if (rev !== 'main' && rev !== repo.sha) {
        notFound(res, 'RevisionNotFound');
        return 404;
      }
      if (!bytes) {
        notFound(res, 'EntryNotFound');
        return 404;
      }
      if (repo.lfs.has(name)) {
        // As the Hub: LFS files move to storage (a signed URL there; a plain route here).
        res.writeHead(302, { location: `/lfs/${sha256(bytes)}?name=${encodeURIComponent(name)}`, 'x-linked-size': String(bytes.length), 'x-linked-etag': `"${sha256(bytes)}"` });
        res.end();
        return 302;
      }
      return serveBytes(req, res, name, bytes);
    }
    // /lfs/{sha256}: the storage, which takes no token.
    if (parts[0] === 'lfs' && parts.length === 2) {
      for (const repo of byId.values()) {
        for (const [name, bytes] of repo.files) {
          if (repo.lfs.has(name) && sha256(bytes) === parts[1]) return serveBytes(req, res, name, bytes);
        }
      }
      send(res, 404, 'no such object');
      return 404;
    }
    send(res, 404, { error: 'not found' });
    return 404;
  };

  const server: Server = createServer((req, res) => {
    const status = handle(req, res);
    log.push({ url: req.url ?? '', range: req.headers.range ?? null, authorization: req.headers.authorization ?? null, status });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    repos: byId,
    log,
    cutAfter: (file, bytes, times = 1) => cuts.set(file, { bytes, times }),
    corrupt: (file, on = true) => void (on ? corrupted.add(file) : corrupted.delete(file)),
    get ignoreRange() {
      return state.ignoreRange;
    },
    set ignoreRange(v: boolean) {
      state.ignoreRange = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
