// The Electron main process: the only code that imports 'electron'. It builds the same
// services as the CLI and the server, serves the renderer from app://shirabe/ with a strict
// CSP, and adapts the contract onto IPC.
import { app, BrowserWindow, dialog, Menu, net, protocol, session, shell, type OpenDialogOptions } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DialogPurpose } from '../common/contract';
import { toErrorInfo } from '../common/errors';
import { errorMessage } from '../common/messages';
import { buildServices, readVersion } from '../main/services';
import { contentSecurityPolicy } from '../main/server/server';
import { fileSettings, type SettingsStore } from '../main/services/settings';
import { safeStorageSecrets } from './hubToken';
import { forwardEvents, registerIpc } from './ipc';
import { buildMenu } from './menu';

const root = app.getAppPath();
const rendererDir = join(root, 'dist', 'renderer');
// Native modules and data files live outside the asar archive (asarUnpack in electron-builder.yml).
const unpacked = (p: string) => p.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | null = null;
const savedSettings = fileSettings(join(app.getPath('userData'), 'settings.json'));
// The native menu speaks the UI's language: rebuild it whenever a preference changes.
const settings: SettingsStore = {
  ...savedSettings,
  update: (patch) => {
    const next = savedSettings.update(patch);
    refreshMenu();
    return next;
  },
};
// A project double-clicked in the file manager: argv on Windows/Linux, 'open-file' on macOS.
let projectToOpen: string | null = process.argv.slice(1).find((a) => a.endsWith('.shirabe')) ?? null;
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (app.isReady()) void services.projects.open(path).catch(showError);
  else projectToOpen = path;
});

const dialogOptions: Record<DialogPurpose, { save: boolean; options: OpenDialogOptions }> = {
  newProject: { save: true, options: { filters: [{ name: 'Shirabe project', extensions: ['shirabe'] }] } },
  saveCopy: { save: true, options: { filters: [{ name: 'Shirabe project', extensions: ['shirabe'] }] } },
  openProject: { save: false, options: { properties: ['openFile'], filters: [{ name: 'Shirabe project', extensions: ['shirabe'] }] } },
  importFile: { save: false, options: { properties: ['openFile'], filters: [{ name: 'Corpus', extensions: ['csv', 'tsv', 'txt', 'jsonl', 'ndjson', 'xlsx'] }] } },
  importFolder: { save: false, options: { properties: ['openDirectory'] } },
};

async function pickPath(purpose: DialogPurpose, defaultPath?: string): Promise<string | null> {
  const spec = dialogOptions[purpose];
  const parent = window ?? undefined;
  if (spec.save) {
    const result = parent
      ? await dialog.showSaveDialog(parent, { defaultPath, filters: spec.options.filters })
      : await dialog.showSaveDialog({ defaultPath, filters: spec.options.filters });
    return result.canceled || !result.filePath ? null : result.filePath;
  }
  const result = parent ? await dialog.showOpenDialog(parent, { ...spec.options, defaultPath }) : await dialog.showOpenDialog({ ...spec.options, defaultPath });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

const services = buildServices({
  mode: 'electron',
  version: readVersion(join(root, 'package.json')),
  settings,
  fontPath: unpacked(join(root, 'resources', 'fonts', 'ipaexg.ttf')),
  dictionaryPath: unpacked(join(root, 'node_modules', 'kuromoji', 'dict')),
  defaultModelPath: unpacked(join(root, 'resources', 'models', 'shirabe-tiny-ja')),
  hub: { configDir: app.getPath('userData'), secrets: safeStorageSecrets(join(app.getPath('userData'), 'hub-token.bin')) },
  pickPath,
});

function showError(err: unknown): void {
  dialog.showErrorBox('Shirabe', errorMessage(toErrorInfo(err), settings.get().language));
}

function refreshMenu(): void {
  const s = settings.get();
  const run = (work: () => Promise<unknown>) => () => void work().catch(showError);
  Menu.setApplicationMenu(
    buildMenu(s.language, s.recent, {
      newProject: run(async () => {
        const path = await pickPath('newProject');
        if (path) await services.projects.create(path);
      }),
      openProject: run(async () => {
        const path = await pickPath('openProject');
        if (path) await services.projects.open(path);
      }),
      openRecent: (path) => run(() => services.projects.open(path))(),
      saveCopy: run(async () => {
        if (!services.projects.current()) return;
        const path = await pickPath('saveCopy');
        if (path) services.projects.saveCopy(path);
      }),
      closeProject: run(() => services.projects.close()),
      setLanguage: (language) => {
        settings.update({ language });
        window?.webContents.reload();
      },
    }),
  );
}

function createWindow(): void {
  window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Shirabe',
    show: false,
    webPreferences: {
      preload: join(root, 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => (window = null));
  void window.loadURL('app://shirabe/index.html');
}

app.whenReady().then(() => {
  protocol.handle('app', (request) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = resolve(rendererDir, normalize(pathname).replace(/^[/\\]+/, '') || 'index.html');
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString()).then((response) => {
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', contentSecurityPolicy(''));
      return new Response(response.body, { status: response.status, headers });
    });
  });
  // No remote content, ever: block every request that is not our own scheme or devtools.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = /^(app|devtools|data|blob):/.test(details.url);
    callback({ cancel: !allowed });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  registerIpc(services, (sender, frameUrl) => sender === window?.webContents && frameUrl.startsWith('app://shirabe/'));
  forwardEvents(services, () => window?.webContents ?? null);
  services.events.on('project.changed', () => refreshMenu());
  refreshMenu();
  createWindow();
  if (projectToOpen) void services.projects.open(projectToOpen).catch(showError);
  projectToOpen = null;
});

app.on('web-contents-created', (_event, contents) => {
  // Navigation away from the app and new windows are refused; links open in the system browser.
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith('app://shirabe/')) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  void services.shutdown().finally(() => app.quit());
});
