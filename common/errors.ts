// Errors that reach a researcher carry a code and parameters, never a hard-coded sentence:
// each process (CLI, renderer) renders them in the user's language from common/messages.ts.
import type { EnglishMessages } from './messages/index';

export const errorCodes = [
  'internal',
  'invalidRequest',
  'noProject',
  'projectExists',
  'projectNotFound',
  'projectNotShirabe',
  'projectNewerSchema',
  'projectLocked',
  'projectCorrupt',
  'projectReadOnly',
  'copyTargetExists',
  'fileNotFound',
  'fileEmpty',
  'fileUnreadable',
  'notADirectory',
  'directoryEmpty',
  'unknownFormat',
  'binaryFile',
  'encodingInvalid',
  'csvUnclosedQuote',
  'csvInvalidQuote',
  'csvFieldCount',
  'csvNoHeader',
  'csvDuplicateHeader',
  'jsonlInvalid',
  'jsonlNotObject',
  'xlsxInvalid',
  'xlsxNoSheet',
  'xlsxEmpty',
  'columnMissing',
  'textColumnRequired',
  'textNotString',
  'noDocuments',
  'headerLinesTooMany',
  'splitInvalid',
  'seedInvalid',
  'corpusNameRequired',
  'corpusNameTaken',
  'corpusNotFound',
  'documentNotFound',
  'queryEmpty',
  'jobNotFound',
  'cancelled',
  'figureInvalid',
  'figureNotSvg',
  'uploadTooLarge',
  'authRequired',
  'importRunning',
  'serverDisconnected',
  'fileEncodingInvalid',
  // Models, tokenizers and the compute worker (issue 3).
  'modelNotFound',
  'modelConfigInvalid',
  'modelConfigNotJson',
  'modelUnknownArchitecture',
  'modelWeightsMissing',
  'modelWeightsInvalid',
  'modelWeightsFileMissing',
  'modelTensorsMismatch',
  'tokenizerInvalid',
  'tokenizerNoMask',
  'modelSequenceTooLong',
  'layerOutOfRange',
  'computeWorkerDied',
  'backendUnavailable',
  'embeddingRunNotFound',
  'corpusEmpty',
  // Runs of every kind (issue 16).
  'runNotFound',
  'runNotResumable',
  'runActive',
  'runNotActive',
  // Fine-tuning (issue 4).
  'trainNoLabels',
  'trainTooFewClasses',
  'trainSplitNoLabels',
  'trainHoldoutEmpty',
  'trainLossNotFinite',
  'gpuOutOfMemory',
  'runDataChanged',
  'runBaseModelChanged',
  'trainRunNotFinished',
  'configInvalid',
  'configNotJson',
  'exportTargetNotEmpty',
  // Domain pretraining (issue 5).
  'pretrainNoHeldOut',
  'splitNoText',
  'pretrainTooLittleText',
  'pretrainTooLittleHeldOut',
  'modelNoMaskedLmHead',
  'positionsUnchanged',
  'positionsUnsupported',
  'pretrainNspUnsupported',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
export type ErrorParams = Record<string, string | number>;

/** The {name} placeholders of a message template (a name has no spaces, quotes or colons: `{"text": …}` is text). */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${string}${' ' | '"' | ':'}${string}` ? never : P) | Placeholders<Rest>
  : never;

/** The parameters an error is thrown with: exactly the placeholders of its English message (common/messages.ts). */
export type ErrorParamsOf<C extends ErrorCode> = { [P in Placeholders<EnglishMessages[C]>]: string | number };

/** What follows the code: its parameters (left out where the message has none) and a cause. */
type ErrorArgs<C extends ErrorCode> = [Placeholders<EnglishMessages[C]>] extends [never]
  ? [params?: Record<string, never>, options?: { cause?: unknown }]
  : [params: ErrorParamsOf<C>, options?: { cause?: unknown }];

/** The plain-data form of an error that crosses process boundaries. */
export interface ErrorInfo {
  code: ErrorCode;
  params: ErrorParams;
}

export class ShirabeError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: ErrorParams;
  constructor(code: C, ...[params, options]: ErrorArgs<C>) {
    super(`${code} ${JSON.stringify(params ?? {})}`, options);
    this.name = 'ShirabeError';
    this.code = code;
    this.params = params ?? {};
  }
  /** The error again from its plain-data form (it came from another process or a reader's report). */
  static from(info: ErrorInfo, options?: { cause?: unknown }): ShirabeError {
    const err = new ShirabeError('internal', { detail: '' }, options) as ShirabeError;
    return Object.assign(err, { code: info.code, params: info.params, message: `${info.code} ${JSON.stringify(info.params)}` });
  }
  toInfo(): ErrorInfo {
    return { code: this.code, params: this.params };
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    (errorCodes as readonly string[]).includes((value as ErrorInfo).code) &&
    typeof (value as ErrorInfo).params === 'object'
  );
}

/** Any thrown value as plain data; unknown errors keep their message for the report. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof ShirabeError) return err.toInfo();
  if (isErrorInfo(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', params: { detail: message } };
}
