// The app itself: its facts, the user's settings, native dialogs and browser-mode uploads.
import { z } from 'zod';
import type { Language } from '../messages';
import { empty, method, section } from './define';
import { backendNames, inferenceProviders, type ComputeBackendChoice, type InferenceProviderChoice } from './models';

export interface Settings {
  language: Language;
  theme: 'light' | 'dark';
  recent: string[];
  /** 'auto' tries tensorflow (CUDA, then CPU) → webgpu → wasm → cpu; any other value forces that backend. */
  computeBackend: ComputeBackendChoice;
  /** onnxruntime's execution provider for inference: 'auto' takes a hardware WebGPU adapter, then DirectML (Windows), then the CPU; any other value forces it (SHIRABE_INFERENCE_PROVIDER overrides). */
  inferenceProvider: InferenceProviderChoice;
  /** Model folders added on the Models page, most recent first. */
  models: string[];
}

export const dialogPurposes = ['newProject', 'openProject', 'saveCopy', 'importFile', 'importFolder'] as const;
export type DialogPurpose = (typeof dialogPurposes)[number];

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  /** Browser mode can't show native dialogs: the UI asks for server-side paths and uploads files. */
  nativeDialogs: boolean;
  /** Browser mode: larger files must be given as a path on the server. */
  maxUploadBytes: number;
  platform: string;
}

export const app = section({
  methods: {
    'app.info': method<AppInfo>()(empty),
    'settings.get': method<Settings>()(empty),
    'settings.set': method<Settings>()(
      z.object({
        language: z.enum(['ja', 'en']).optional(),
        theme: z.enum(['light', 'dark']).optional(),
        computeBackend: z.enum(['auto', ...backendNames]).optional(),
        inferenceProvider: z.enum(['auto', ...inferenceProviders]).optional(),
      }),
    ),

    /** Electron only: a native file dialog; null when cancelled. Browser mode answers null and the UI asks for a path. */
    'dialog.pick': method<{ path: string | null }>()(
      z.object({ purpose: z.enum(dialogPurposes), defaultPath: z.string().optional() }),
    ),

    /** Browser mode: the file goes to a private temporary folder on the server; returns its path. */
    'files.upload': method<{ path: string }>()(
      z.object({ name: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array) }),
    ),
  },
});
