// Holds the one open project of this process and publishes every change of it.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProjectInfo } from '../../common/contract';
import { ShirabeError } from '../../common/errors';
import { ProjectStore } from '../project/store';
import type { EventBus } from './emitter';
import type { SettingsStore } from './settings';

export class ProjectService {
  private store: ProjectStore | null = null;
  /** Open, create and close run one after another, never interleaved across their awaits. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly events: EventBus,
    private readonly settings: SettingsStore,
    /** Called before the project closes, so running jobs can wind down and roll back. */
    private readonly beforeClose: () => Promise<void>,
  ) {}

  current(): ProjectStore | null {
    return this.store;
  }

  require(): ProjectStore {
    if (!this.store) throw new ShirabeError('noProject');
    return this.store;
  }

  info(): ProjectInfo | null {
    return this.store ? this.store.info() : null;
  }

  create(path: string): Promise<ProjectInfo> {
    return this.serial(() => this.replace(ProjectStore.create(withExtension(resolve(path)))));
  }

  open(path: string): Promise<ProjectInfo> {
    return this.serial(async () => {
      const full = resolve(path);
      if (this.store && this.store.path === full) return this.store.info();
      return this.replace(ProjectStore.open(full));
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.closeNow());
  }

  private async closeNow(): Promise<void> {
    if (!this.store) return;
    await this.beforeClose();
    this.store.close();
    this.store = null;
    this.events.emit('project.changed', null);
  }

  saveCopy(path: string): { path: string; sizeBytes: number } {
    const target = withExtension(resolve(path));
    this.require().saveCopy(target);
    return { path: target, sizeBytes: statSync(target).size };
  }

  /** The project's data changed (an import finished): tell the windows. */
  touched(): void {
    this.events.emit('project.changed', this.info());
  }

  private async replace(store: ProjectStore): Promise<ProjectInfo> {
    try {
      await this.closeNow();
    } catch (err) {
      store.close();
      throw err;
    }
    this.store = store;
    this.settings.addRecent(store.path);
    const info = store.info();
    this.events.emit('project.changed', info);
    return info;
  }
}

/** New projects get the .shirabe extension unless the user typed one. */
export function withExtension(path: string): string {
  return /\.[A-Za-z0-9]+$/.test(path) ? path : `${path}.shirabe`;
}
