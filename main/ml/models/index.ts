// The model library's entry: from a parsed config.json and a checkpoint to a runnable model
// with its check report; the registry by family and task; heads, blocks, parameter keys and
// estimates for callers outside main/ml.
import type { TensorReader } from '../weights/types';
import type { EncoderConfig } from './config';
import { EncoderModel } from './encoder';
import { assertLoadable, checkCheckpoint, readParams, type CheckReport } from './load';
import type { EncoderTask } from './family';
import { architectureFor } from './registry';
import type { Architecture, ParamGroup } from './spec';

export interface ParsedModel {
  arch: Architecture;
  config: EncoderConfig;
}

export function parseModelConfig(raw: Record<string, unknown>): ParsedModel {
  const arch = architectureFor(raw.model_type);
  return { arch, config: arch.parseConfig(raw) };
}

export function checkModel(raw: Record<string, unknown>, reader: TensorReader): ParsedModel & { report: CheckReport } {
  const parsed = parseModelConfig(raw);
  return { ...parsed, report: checkCheckpoint(reader, parsed.arch, parsed.config).report };
}

/** Loads the weights into tensors; throws modelTensorsMismatch naming every bad tensor. */
export function loadEncoder(
  raw: Record<string, unknown>,
  reader: TensorReader,
  options: { skipGroups?: ParamGroup[]; /** The heads whose tensors are matched (default: the architecture's `loads`). */ tasks?: readonly EncoderTask[] } = {},
): ParsedModel & { report: CheckReport; model: EncoderModel } {
  const { arch, config } = parseModelConfig(raw);
  // Skipped groups are not read (a new classification head replaces the checkpoint's).
  const { report, found } = checkCheckpoint(reader, arch, config, options.skipGroups, options.tasks);
  assertLoadable(report);
  const model = new EncoderModel(config, arch, readParams(reader, found), options.tasks);
  return { arch, config, report, model };
}

export { EncoderModel, encoderLayer } from './encoder';
export type { EncoderBatch, LoraAttachment } from './encoder';
export type { CheckReport } from './load';
export type { EncoderConfig, ModelType } from './config';
export { families, familyTasks, tasks, type DecoderTask, type EncoderTask, type Family, type Task } from './family';
export { architectureFor, architectures, architecturesFor, headFor, registry, supports } from './registry';
export type { Architecture, ArchitectureOf, EncoderArchitecture, ParamGroup, ParamSpec, TaskHead } from './spec';
export type { Backbone, BackboneBatch, Head, HeadOptions } from './heads/head';
export { estimate, loraParameterCount, type Estimate, type EstimateOptions } from './estimate';
export * from './keys';
