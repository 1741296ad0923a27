// A client of the Hugging Face Hub's HTTP API (huggingface_hub's routes): model search, a model's
// info at a revision with its files' sizes and LFS sha256, and file URLs. Plain fetch rather than
// @huggingface/hub: the few routes Shirabe needs, every answer mapped to an error a researcher can
// act on (offline, gated, not found), and one code path the local test Hub exercises whole.
import { ShirabeError } from '../../common/errors';
import { commitPattern, hubIdPattern, type HubFile, type HubModelSummary, type HubSearchQuery } from '../../common/contract/hub';

export const defaultEndpoint = 'https://huggingface.co';

export interface HubClientOptions {
  /** The Hub or a mirror (HF_ENDPOINT), without a trailing slash. */
  endpoint: string;
  /** HF_HUB_OFFLINE=1 or the setting: every call fails with hubOffline before touching the network. */
  offline: boolean;
  /** An access token for gated and private models; sent only to `endpoint`. */
  token: string | null;
  /** fetch itself, for tests. */
  fetch?: typeof fetch;
}

/** A model's info at one revision: the commit it resolved to and its files. */
export interface HubModelInfo {
  id: string;
  /** The commit hash the revision resolved to. */
  sha: string;
  gated: boolean;
  license: string | null;
  pipelineTag: string | null;
  library: string | null;
  files: HubFile[];
}

interface RawSibling {
  rfilename: string;
  size?: number;
  blobId?: string;
  lfs?: { sha256?: string; oid?: string; size?: number };
}

interface RawModel {
  id?: string;
  modelId?: string;
  sha?: string;
  downloads?: number;
  likes?: number;
  tags?: string[];
  pipeline_tag?: string;
  library_name?: string;
  gated?: boolean | string;
  private?: boolean;
  cardData?: { license?: string | string[] };
  siblings?: RawSibling[];
  lastModified?: string;
}

const licenseOf = (m: RawModel): string | null => {
  const card = m.cardData?.license;
  if (typeof card === 'string') return card;
  if (Array.isArray(card) && card.length) return card.join(', ');
  const tag = m.tags?.find((t) => t.startsWith('license:'));
  return tag ? tag.slice('license:'.length) : null;
};

/** A repository id as a URL path: each part encoded, the slash between owner and name kept. */
export const repoPath = (id: string) => id.split('/').map(encodeURIComponent).join('/');

export class HubClient {
  readonly endpoint: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HubClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Models whose id contains `query`, most downloaded first (the Hub's /api/models). */
  async search(q: HubSearchQuery): Promise<HubModelSummary[]> {
    const params = new URLSearchParams();
    if (q.query) params.set('search', q.query);
    if (q.task) params.append('filter', q.task);
    if (q.library) params.append('filter', q.library);
    params.set('sort', 'downloads');
    params.set('direction', '-1');
    params.set('limit', String(q.limit ?? 20));
    const res = await this.request(`/api/models?${params}`, { what: q.query || '*' });
    const list = (await res.json()) as RawModel[];
    if (!Array.isArray(list)) throw new ShirabeError('hubBadAnswer', { endpoint: this.endpoint, detail: 'the model list is not an array' });
    return list.map((m) => ({
      id: m.id ?? m.modelId ?? '',
      downloads: m.downloads ?? 0,
      likes: m.likes ?? 0,
      license: licenseOf(m),
      library: m.library_name ?? null,
      pipelineTag: m.pipeline_tag ?? null,
      gated: Boolean(m.gated),
      lastModified: m.lastModified ?? null,
    }));
  }

  /** A model at a revision (branch, tag or commit): its commit hash and every file with size and LFS sha256. */
  async info(id: string, revision = 'main'): Promise<HubModelInfo> {
    const res = await this.request(`/api/models/${repoPath(id)}/revision/${encodeURIComponent(revision)}?blobs=true`, { what: id, revision });
    const m = (await res.json()) as RawModel;
    if (typeof m.sha !== 'string' || !Array.isArray(m.siblings)) {
      throw new ShirabeError('hubBadAnswer', { endpoint: this.endpoint, detail: `no commit hash or file list for ${id}` });
    }
    // Both name the folder the model goes to: an answer that could reach outside the models folder is refused.
    const answered = m.id ?? id;
    if (!hubIdPattern.test(answered)) throw new ShirabeError('hubBadAnswer', { endpoint: this.endpoint, detail: `the model id ${JSON.stringify(answered.slice(0, 200))} is not owner/name` });
    if (!commitPattern.test(m.sha)) throw new ShirabeError('hubBadAnswer', { endpoint: this.endpoint, detail: `the commit ${JSON.stringify(m.sha.slice(0, 100))} of ${id} is not 40 hex digits` });
    return {
      id: answered,
      sha: m.sha,
      gated: Boolean(m.gated),
      license: licenseOf(m),
      pipelineTag: m.pipeline_tag ?? null,
      library: m.library_name ?? null,
      files: m.siblings.map((s) => ({
        path: s.rfilename,
        size: s.lfs?.size ?? s.size ?? null,
        sha256: s.lfs?.sha256 ?? s.lfs?.oid ?? null,
        gitSha1: s.lfs ? null : (s.blobId ?? null),
      })),
    };
  }

  /** The URL of a file at a commit (the Hub redirects LFS files to its storage). */
  fileUrl(id: string, sha: string, file: string): string {
    return `${this.endpoint}/${repoPath(id)}/resolve/${encodeURIComponent(sha)}/${file.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** A small file as text (config.json, an index), at a commit. */
  async text(id: string, sha: string, file: string): Promise<string> {
    const res = await this.request(this.fileUrl(id, sha, file), { what: id, revision: sha });
    return res.text();
  }

  /** A GET to the Hub (a path under the endpoint, or a full URL of it), redirects followed; a non-2xx answer thrown as its error. */
  async request(pathOrUrl: string, ctx: { what: string; revision?: string }, init: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<Response> {
    if (this.options.offline) throw new ShirabeError('hubOffline', { endpoint: this.endpoint });
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.endpoint}${pathOrUrl}`;
    const headers: Record<string, string> = { 'user-agent': 'shirabe', ...init.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let res: Response;
    let current = url;
    for (let hop = 0; ; hop++) {
      try {
        res = await this.fetchImpl(current, { headers, signal: init.signal, redirect: 'manual' });
      } catch (err) {
        if (init.signal?.aborted) throw new ShirabeError('cancelled');
        throw new ShirabeError('hubUnreachable', { endpoint: this.endpoint, detail: causeOf(err) }, { cause: err });
      }
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location || hop >= 10) break;
      await res.body?.cancel().catch(() => undefined);
      current = new URL(location, current).toString();
      // The token goes to the Hub's own routes (a renamed repository's redirect), never to the storage an LFS file moves to.
      if (!this.isHubRoute(current)) delete headers.authorization;
    }
    if (res.ok) return res;
    await res.body?.cancel().catch(() => undefined);
    throw this.statusError(res, ctx);
  }

  private isHubRoute(url: string): boolean {
    const u = new URL(url);
    return u.origin === new URL(this.endpoint).origin && (u.pathname.startsWith('/api/') || u.pathname.includes('/resolve/'));
  }

  private statusError(res: Response, ctx: { what: string; revision?: string }): ShirabeError {
    // The Hub names the reason in X-Error-Code; without a token it answers 401 for a repository that does not exist, too.
    const code = res.headers.get('x-error-code');
    const revision = ctx.revision ?? 'main';
    if (code === 'RepoNotFound' || code === 'RevisionNotFound' || code === 'EntryNotFound' || res.status === 404) {
      return new ShirabeError('hubNotFound', { id: ctx.what, revision, endpoint: this.endpoint });
    }
    if (res.status === 401 || res.status === 403) {
      return new ShirabeError(this.options.token ? 'hubTokenRefused' : 'hubGated', { id: ctx.what, endpoint: this.endpoint, status: res.status });
    }
    // Without its query: a storage URL the Hub redirected to is signed, and grants the file (a gated model's too) to whoever reads the message.
    return new ShirabeError('hubHttpError', { endpoint: this.endpoint, status: res.status, url: res.url ? withoutQuery(res.url) : ctx.what });
  }
}

function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split(/[?#]/)[0];
  }
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
