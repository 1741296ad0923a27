// Models from the Hugging Face Hub: search, a model's files and what running it needs, download as
// a job (progress, ETA, cancel, resume), and the Hub settings (endpoint, offline, models folder,
// access token). Downloaded models land in a models folder shared by every project.
import { z } from 'zod';
import type { ErrorInfo } from '../errors';
import { empty, job, method, section } from './define';

/** Where a downloaded model came from (its folder's shirabe-source.json): recorded with the runs that use it, so a colleague can fetch the same commit. */
export interface ModelSourceRef {
  endpoint: string;
  id: string;
  /** The revision asked for and the commit it resolved to. */
  revision: string;
  sha: string;
}

export interface HubSearchQuery {
  query: string;
  /** A pipeline tag: fill-mask, text-classification, feature-extraction, … */
  task?: string;
  /** A library tag: transformers, sentence-transformers, … */
  library?: string;
  limit?: number;
}

export interface HubModelSummary {
  id: string;
  downloads: number;
  likes: number;
  license: string | null;
  library: string | null;
  pipelineTag: string | null;
  gated: boolean;
  lastModified: string | null;
}

export interface HubFile {
  path: string;
  /** Bytes; null where the Hub did not say. */
  size: number | null;
  /** The LFS object's SHA-256 (large files); null for a file kept in git itself. */
  sha256: string | null;
  /** The git blob's SHA-1 (small files kept in git), checked instead where there is no LFS hash. */
  gitSha1: string | null;
}

/** What a download of a model would fetch and whether Shirabe can run it, before anything is downloaded. */
export interface HubPlan {
  id: string;
  /** The revision asked for (branch, tag or commit) and the commit it resolved to. */
  revision: string;
  sha: string;
  license: string | null;
  gated: boolean;
  pipelineTag: string | null;
  /** Every file of the repository at that commit. */
  files: HubFile[];
  /** The files Shirabe downloads: config, tokenizer, weights (with a sharded index's shards). */
  selected: string[];
  totalBytes: number;
  modelType: string | null;
  /** Why Shirabe cannot run it (unknown architecture, no tokenizer it reads, no weights); null when it can. */
  refusal: ErrorInfo | null;
  /** From config.json's shapes, where the architecture is known. */
  parameters: number | null;
  /** float32 weights in memory to embed or predict, and a full fine-tuning step (batch 16 × 128 tokens, AdamW). */
  memory: { inferenceBytes: number; fineTuneBytes: number } | null;
  /** The folder the model goes to, and whether it is already there (verified). */
  target: string;
  downloaded: boolean;
}

export interface HubDownloadResult {
  id: string;
  sha: string;
  path: string;
  files: { path: string; size: number; sha256: string }[];
  bytes: number;
  /** Bytes fetched by HTTP Range after an interruption or an earlier, paused download. */
  resumedBytes: number;
  /** True when the folder was there and verified already: nothing was fetched. */
  already: boolean;
}

export interface HubSettings {
  /** The Hub or a mirror; HF_ENDPOINT overrides the saved setting. */
  endpoint: string;
  /** HF_HUB_OFFLINE=1 or the saved setting: no network access at all. */
  offline: boolean;
  /** Where downloads go; by default a folder in the user's data folder, shared by every project. */
  modelsFolder: string;
  /** Whether an access token is kept (in the OS keychain or HF_TOKEN); the token itself never leaves the main process. */
  hasToken: boolean;
  /** Where the token comes from: the keychain-encrypted store, the environment, or nowhere. */
  tokenSource: 'store' | 'env' | null;
  /** Settings fixed by the environment (HF_ENDPOINT, HF_HUB_OFFLINE) win over saved ones. */
  fromEnv: { endpoint: boolean; offline: boolean };
}

/** A base model the project's runs were trained on that is not on this computer (a shared project). */
export interface MissingModel {
  /** The folder the runs recorded, and the model's name and content hash there. */
  path: string;
  name: string;
  hash: string;
  /** The Hub id and commit it was downloaded from, where Shirabe downloaded it: what Download fetches. */
  source: ModelSourceRef | null;
  /** The runs that used it: fine-tuning and pretraining (their base model), embedding, attribution and prediction runs. */
  runs: { kind: 'train' | 'pretrain' | 'embedding' | 'attribution' | 'prediction'; id: number; name: string }[];
  /** The same commit already in the models folder (downloaded before), ready to link the runs to. */
  found: string | null;
}

/**
 * A Hub repository id: `name` or `owner/name`, letters, digits, `_`, `.` and `-`, no part all dots.
 * It becomes a folder name in the models folder and a URL path, so an id from anywhere (a payload,
 * the Hub's answer, a shared project's record) is checked against this before either.
 */
export const hubIdPattern = /^(?!\.+(?:\/|$))[\w.-]+(?:\/(?!\.+$)[\w.-]+)?$/;
/** A commit hash as the Hub gives it: 40 hex digits (git SHA-1). */
export const commitPattern = /^[0-9a-f]{40}$/;

const modelId = z.string().min(1).max(200).regex(hubIdPattern, 'a Hub model id: owner/name');
const revision = z.string().min(1).max(200).optional();

export const hub = section({
  methods: {
    'hub.search': method<HubModelSummary[]>()(
      z.object({ query: z.string().max(200), task: z.string().max(100).optional(), library: z.string().max(100).optional(), limit: z.number().int().min(1).max(100).optional() }),
    ),
    /** A model's files, the folder it would go to, whether Shirabe can run it and the memory it needs. */
    'hub.plan': method<HubPlan>()(z.object({ id: modelId, revision })),
    /** Downloads a model as a job (refused before any download when Shirabe cannot run it); the finished model is added to the Models page. */
    'hub.download': method<{ jobId: string }>()(z.object({ id: modelId, revision, to: z.string().min(1).optional() })),
    'hub.settings': method<HubSettings>()(empty),
    'hub.setSettings': method<HubSettings>()(
      z.object({ endpoint: z.string().url().nullable().optional(), offline: z.boolean().optional(), modelsFolder: z.string().min(1).nullable().optional() }),
    ),
    /** Keeps an access token encrypted by the OS (Electron's safeStorage); null forgets it. */
    'hub.setToken': method<HubSettings>()(z.object({ token: z.string().min(1).max(500).nullable() })),
    /** The open project's base models (of fine-tuning and pretraining runs) missing from this computer. */
    'hub.missing': method<MissingModel[]>()(empty),
    /** Downloads a missing base model by its recorded id and commit (a hubDownload job), checks its content hash, and points the runs at it. */
    'hub.restore': method<{ jobId: string }>()(z.object({ path: z.string().min(1) })),
    /** Points the runs of a missing base model at a folder found elsewhere, once its content hash matches the recorded one. */
    'hub.relink': method<{ runs: number }>()(z.object({ from: z.string().min(1), to: z.string().min(1) })),
  },
  jobs: { hubDownload: job<HubDownloadResult>() },
});
