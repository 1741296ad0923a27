// The project file: create, open, close, save a copy; the event that tells every window it changed.
import { byPath, empty, event, method, section } from './define';

export interface ProjectInfo {
  path: string;
  schemaVersion: number;
  corpora: number;
  sizeBytes: number;
}

export const project = section({
  methods: {
    'project.create': method<ProjectInfo>()(byPath),
    'project.open': method<ProjectInfo>()(byPath),
    'project.current': method<ProjectInfo | null>()(empty),
    'project.close': method<null>()(empty),
    'project.saveCopy': method<{ path: string; sizeBytes: number }>()(byPath),
  },
  events: { 'project.changed': event<ProjectInfo | null>() },
});
