// The Hub's settings: endpoint (HF_ENDPOINT wins over the saved one, as in huggingface_hub),
// offline mode (HF_HUB_OFFLINE), the models folder shared by every project, and the access token,
// which lives only in a SecretStore (Electron: safeStorage-encrypted in userData; the CLI: HF_TOKEN)
// and never in a project or in these settings.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HubSettings } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { defaultEndpoint, HubClient } from '../../hub/client';

/** Where an access token is kept. Electron encrypts it with the OS keychain; elsewhere there may be none. */
export interface SecretStore {
  get(): string | null;
  /** Keeps (or, with null, forgets) the token; throws hubTokenStoreUnavailable where nothing can keep it. */
  set(token: string | null): void;
}

/** The command line and the browser-mode server keep no token: HF_TOKEN in the environment gives one. */
export const noSecretStore: SecretStore = {
  get: () => null,
  set: () => {
    throw new ShirabeError('hubTokenStoreUnavailable', { detail: 'the command line and the browser-mode server keep no token' });
  },
};

/** An in-memory store, for tests. */
export function memorySecretStore(initial: string | null = null): SecretStore {
  let token = initial;
  return { get: () => token, set: (t) => void (token = t) };
}

export interface HubDeps {
  /** The user's data folder: hub.json and, by default, the models folder live here. */
  configDir: string;
  env?: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  /** fetch itself, for tests. */
  fetch?: typeof fetch;
}

interface Saved {
  endpoint?: string | null;
  offline?: boolean;
  modelsFolder?: string | null;
}

const truthy = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());

export interface HubSettingsStore {
  get(): HubSettings;
  set(patch: Saved): HubSettings;
  setToken(token: string | null): HubSettings;
  /** A client with the current endpoint, offline mode and token. */
  client(): HubClient;
}

export function hubSettingsStore(deps: HubDeps): HubSettingsStore {
  const env = deps.env ?? process.env;
  const secrets = deps.secrets ?? noSecretStore;
  const file = join(deps.configDir, 'hub.json');
  let saved: Saved = read();

  function read(): Saved {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Saved;
      return {
        endpoint: typeof raw.endpoint === 'string' ? raw.endpoint : null,
        offline: raw.offline === true,
        modelsFolder: typeof raw.modelsFolder === 'string' ? raw.modelsFolder : null,
      };
    } catch {
      return {};
    }
  }

  const envToken = () => env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || null;
  const token = () => envToken() ?? secrets.get();

  function get(): HubSettings {
    const storeToken = secrets.get();
    return {
      endpoint: (env.HF_ENDPOINT || saved.endpoint || defaultEndpoint).replace(/\/+$/, ''),
      offline: truthy(env.HF_HUB_OFFLINE) || saved.offline === true,
      modelsFolder: saved.modelsFolder || join(deps.configDir, 'models'),
      hasToken: token() !== null,
      tokenSource: envToken() ? 'env' : storeToken ? 'store' : null,
      fromEnv: { endpoint: Boolean(env.HF_ENDPOINT), offline: truthy(env.HF_HUB_OFFLINE) },
    };
  }

  return {
    get,
    set(patch) {
      saved = { ...saved, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(saved, null, 2));
      renameSync(tmp, file);
      return get();
    },
    setToken(t) {
      secrets.set(t);
      return get();
    },
    client() {
      const s = get();
      return new HubClient({ endpoint: s.endpoint, offline: s.offline, token: token(), fetch: deps.fetch });
    },
  };
}
