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

  async create(path: string): Promise<ProjectInfo> {
    const full = withExtension(resolve(path));
    const store = ProjectStore.create(full);
    return this.replace(store);
  }

  async open(path: string): Promise<ProjectInfo> {
    const full = resolve(path);
    if (this.store && this.store.path === full) return this.store.info();
    const store = ProjectStore.open(full);
    return this.replace(store);
  }

  async close(): Promise<void> {
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
      await this.close();
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
