// App-level preferences (not part of a project file): language, theme, recent projects.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { backendNames, inferenceProviders, type Settings } from '../../common/contract';
import { languageFromLocale } from '../../common/messages';

const maxRecent = 10;
const maxModels = 50;

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Omit<Settings, 'recent'>>): Settings;
  addRecent(path: string): Settings;
  /** The Models page's list: adds (to the front) or removes a model folder. */
  setModel(path: string, present: boolean): Settings;
}

/** Where a CLI or server keeps its settings when Electron's userData isn't there. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHIRABE_CONFIG_DIR) return env.SHIRABE_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'Shirabe');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Shirabe');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'shirabe');
}

export function fileSettings(file: string, env: NodeJS.ProcessEnv = process.env): SettingsStore {
  const defaults: Settings = {
    language: languageFromLocale(env.LC_ALL || env.LC_MESSAGES || env.LANG),
    theme: 'light',
    recent: [],
    computeBackend: 'auto',
    inferenceProvider: 'auto',
    models: [],
  };
  let current = read();

  function read(): Settings {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Settings>;
      return {
        language: parsed.language === 'ja' || parsed.language === 'en' ? parsed.language : defaults.language,
        theme: parsed.theme === 'dark' ? 'dark' : 'light',
        recent: Array.isArray(parsed.recent) ? parsed.recent.filter((p) => typeof p === 'string').slice(0, maxRecent) : [],
        computeBackend:
          parsed.computeBackend && (backendNames as readonly string[]).includes(parsed.computeBackend) ? parsed.computeBackend : 'auto',
        inferenceProvider:
          parsed.inferenceProvider && (inferenceProviders as readonly string[]).includes(parsed.inferenceProvider) ? parsed.inferenceProvider : 'auto',
        models: Array.isArray(parsed.models) ? parsed.models.filter((p) => typeof p === 'string').slice(0, maxModels) : [],
      };
    } catch {
      return { ...defaults };
    }
  }

  function write(next: Settings): Settings {
    current = next;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(next, null, 2));
      renameSync(tmp, file);
    } catch {
      // Preferences are a convenience: an unwritable config folder must not stop the work.
    }
    return { ...current };
  }

  return {
    get: () => ({ ...current, recent: [...current.recent], models: [...current.models] }),
    update: (patch) => write({ ...current, ...patch }),
    addRecent: (path) => write({ ...current, recent: [path, ...current.recent.filter((p) => p !== path)].slice(0, maxRecent) }),
    setModel: (path, present) =>
      write({ ...current, models: [...(present ? [path] : []), ...current.models.filter((p) => p !== path)].slice(0, maxModels) }),
  };
}
