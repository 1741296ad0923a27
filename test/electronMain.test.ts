// The Electron main process, loaded against a stand-in 'electron' module (no Electron binary
// can be downloaded here): window security settings, IPC derived from the contract with a
// sender check, blocked navigation and new windows, the app:// protocol with its CSP, the
// File menu in the user's language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methods, type AppInfo, type Reply } from '../common/contract';
import { tempDir } from './fixtures';
import { repoRoot } from './paths';

type Handler = (event: unknown, ...args: unknown[]) => unknown;
const fake = vi.hoisted(() => {
  const state = {
    windows: [] as { options: Record<string, unknown>; url: string; webContents: Record<string, unknown> }[],
    ipc: new Map<string, Handler>(),
    appEvents: new Map<string, Handler>(),
    protocolHandler: null as null | ((request: { url: string }) => Promise<Response> | Response),
    beforeRequest: null as null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    menu: null as null | { label?: string; submenu?: { label?: string }[] }[],
    userData: '',
  };
  return state;
});

vi.mock('electron', () => {
  const webContents = () => ({ send: vi.fn(), isDestroyed: () => false, reload: vi.fn() });
  class BrowserWindow {
    webContents = webContents();
    constructor(public options: Record<string, unknown>) {
      fake.windows.push({ options, url: '', webContents: this.webContents });
    }
    once() {}
    on() {}
    show() {}
    loadURL(url: string) {
      fake.windows[fake.windows.length - 1].url = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      getAppPath: () => repoRoot,
      getPath: () => fake.userData,
      whenReady: () => Promise.resolve(),
      isReady: () => true,
      on: (name: string, handler: Handler) => fake.appEvents.set(name, handler),
      quit: vi.fn(),
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: Handler) => fake.ipc.set(channel, handler),
      removeHandler: (channel: string) => fake.ipc.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (_scheme: string, handler: typeof fake.protocolHandler) => (fake.protocolHandler = handler),
    },
    net: {
      fetch: async (url: string) => new Response(readFileSync(new URL(url)), { status: 200, headers: { 'content-type': 'text/html' } }),
    },
    session: {
      defaultSession: {
        webRequest: { onBeforeRequest: (h: typeof fake.beforeRequest) => (fake.beforeRequest = h) },
        setPermissionRequestHandler: vi.fn(),
      },
    },
    Menu: {
      buildFromTemplate: (template: typeof fake.menu) => template,
      setApplicationMenu: (menu: typeof fake.menu) => (fake.menu = menu),
    },
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    shell: { openExternal: vi.fn() },
  };
});

const hasRenderer = (() => {
  try {
    readFileSync(join(repoRoot, 'dist', 'renderer', 'index.html'));
    return true;
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  fake.userData = tempDir('shirabe-electron-');
  await import('../electron/main');
  await new Promise((r) => setTimeout(r, 20)); // whenReady().then(...)
});
afterAll(async () => {
  await fake.appEvents.get('window-all-closed')?.({});
});

describe('Electron main process', () => {
  it('opens one window with context isolation, sandbox and no Node integration', () => {
    expect(fake.windows).toHaveLength(1);
    const prefs = fake.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/dist[/\\]electron[/\\]preload\.cjs$/);
    expect(fake.windows[0].url).toBe('app://shirabe/index.html');
  });

  it('registers one IPC handler per contract method and answers only its own page', async () => {
    expect([...fake.ipc.keys()].sort()).toEqual(methods.map((m) => `shirabe:${m}`).sort());
    const sender = fake.windows[0].webContents;
    const handler = fake.ipc.get('shirabe:app.info')!;
    const ok = (await handler({ sender, senderFrame: { url: 'app://shirabe/index.html' } }, {})) as Reply<AppInfo>;
    expect(ok).toMatchObject({ ok: true, value: { mode: 'electron', nativeDialogs: true } });
    const foreign = (await handler({ sender, senderFrame: { url: 'https://example.org/' } }, {})) as Reply<AppInfo>;
    expect(foreign.ok).toBe(false);
    const other = (await handler({ sender: {}, senderFrame: { url: 'app://shirabe/index.html' } }, {})) as Reply<AppInfo>;
    expect(other.ok).toBe(false);
    const invalid = (await fake.ipc.get('shirabe:corpus.documents')!({ sender, senderFrame: { url: 'app://shirabe/' } }, { corpusId: 'x' })) as Reply<unknown>;
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalidRequest' } });
  });

  it('blocks navigation away, new windows, webviews and remote requests', () => {
    const handlers = new Map<string, Handler>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    const contents = {
      on: (name: string, h: Handler) => handlers.set(name, h),
      setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
    };
    fake.appEvents.get('web-contents-created')!({}, contents);
    const away = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(away, 'https://example.org/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    handlers.get('will-navigate')!(inside, 'app://shirabe/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    expect(openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const decisions: boolean[] = [];
    fake.beforeRequest!({ url: 'https://cdn.example.org/x.js' }, (r) => decisions.push(r.cancel));
    fake.beforeRequest!({ url: 'app://shirabe/assets/index.js' }, (r) => decisions.push(r.cancel));
    expect(decisions).toEqual([true, false]);
  });

  it.skipIf(!hasRenderer)('serves the UI from app:// with a strict CSP and nothing outside it', async () => {
    const page = await fake.protocolHandler!({ url: 'app://shirabe/index.html' });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    const escape = await fake.protocolHandler!({ url: 'app://shirabe/..%2F..%2Fpackage.json' });
    expect(escape.status).toBe(404);
  });

  it('has the File menu with new, open, recent, save a copy and close', () => {
    const file = fake.menu!.find((m) => m.label === 'File' || m.label === 'ファイル')!;
    const labels = file.submenu!.map((i) => i.label).filter(Boolean);
    expect(labels.length).toBeGreaterThanOrEqual(6);
    expect(labels.join('|')).toMatch(/New Project|新規プロジェクト/);
    expect(labels.join('|')).toMatch(/Save a Copy|コピーを保存/);
  });
});
