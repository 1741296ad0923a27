// From a parsed config.json and a checkpoint to a runnable encoder, with the check report.
import type { TensorReader } from '../weights/types';
import type { EncoderConfig } from './config';
import { EncoderModel } from './encoder';
import { assertLoadable, checkCheckpoint, readParams, type CheckReport } from './load';
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
export function loadEncoder(raw: Record<string, unknown>, reader: TensorReader, options: { skipGroups?: ParamGroup[] } = {}): ParsedModel & { report: CheckReport; model: EncoderModel } {
  const { arch, config } = parseModelConfig(raw);
  // Skipped groups are not read (a new classification head replaces the checkpoint's).
  const { report, found } = checkCheckpoint(reader, arch, config, options.skipGroups);
  assertLoadable(report);
  const model = new EncoderModel(config, arch, readParams(reader, found));
  return { arch, config, report, model };
}

export { EncoderModel } from './encoder';
export type { EncoderBatch } from './encoder';
export type { CheckReport } from './load';
export type { EncoderConfig, ModelType } from './config';
