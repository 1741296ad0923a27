// The app's own methods, the same whatever workflows exist: app info, settings, dialogs, the
// project file (create, open, close, copy), uploads (browser mode) and the job queue.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AppInfo, DialogPurpose, Handlers } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import type { ServiceContext } from './context';

/**
 * Largest file the browser mode accepts as an upload (it travels base64-encoded in one
 * WebSocket message). Bigger corpora are imported by their path on the server.
 */
export const maxUploadBytes = 256 * 1024 * 1024;

type AppHandlers = Pick<
  Handlers,
  | 'app.info' | 'settings.get' | 'settings.set' | 'dialog.pick' | 'files.upload'
  | 'project.create' | 'project.open' | 'project.current' | 'project.close' | 'project.saveCopy'
  | 'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.history'
>;

export interface AppDeps {
  mode: AppInfo['mode'];
  /** Native dialogs (Electron); absent in browser mode and the CLI. */
  pickPath?: (purpose: DialogPurpose, defaultPath?: string) => Promise<string | null>;
  /** Where uploads go (made on the first one; buildServices removes it at shutdown). */
  uploadDir: { path: string };
}

export function appHandlers(ctx: ServiceContext, deps: AppDeps): AppHandlers {
  const { projects, jobs } = ctx;
  const { uploadDir } = deps;
  return {
    'app.info': async () => ({
      version: ctx.version,
      mode: deps.mode,
      nativeDialogs: Boolean(deps.pickPath),
      maxUploadBytes,
      platform: process.platform,
    }),
    'settings.get': async () => ctx.settings.get(),
    'settings.set': async (patch) => ctx.settings.update(patch),
    'dialog.pick': async ({ purpose, defaultPath }) => ({
      path: deps.pickPath ? await deps.pickPath(purpose, defaultPath) : null,
    }),

    'project.create': ({ path }) => projects.create(path),
    'project.open': ({ path }) => projects.open(path),
    'project.current': async () => projects.info(),
    'project.close': async () => {
      await projects.close();
      return null;
    },
    'project.saveCopy': async ({ path }) => projects.saveCopy(path),

    'files.upload': async ({ name, bytes }) => {
      if (bytes.byteLength > maxUploadBytes) throw new ShirabeError('uploadTooLarge', { size: bytes.byteLength, max: maxUploadBytes });
      uploadDir.path ||= mkdtempSync(join(tmpdir(), 'shirabe-upload-'));
      const dir = mkdtempSync(join(uploadDir.path, 'f-'));
      const target = join(dir, basename(name).replace(/[\\/:*?"<>|\0]/g, '_') || 'upload');
      writeFileSync(target, bytes);
      return { path: target };
    },

    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => jobs.cancel(jobId),
    'jobs.history': async () => projects.require().jobs.history(),

  };
}
