// Errors that reach a researcher carry a code and parameters, never a hard-coded sentence:
// each process (CLI, renderer) renders them in the user's language from common/messages.ts.

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
  'uploadTooLarge',
  'authRequired',
  'importRunning',
  'serverDisconnected',
  'fileEncodingInvalid',
  // Models, tokenizers and the compute worker (issue 3).
  'modelNotFound',
  'modelConfigInvalid',
  'modelUnknownArchitecture',
  'modelWeightsMissing',
  'modelWeightsInvalid',
  'modelTensorsMismatch',
  'tokenizerInvalid',
  'modelSequenceTooLong',
  'layerOutOfRange',
  'computeWorkerDied',
  'backendUnavailable',
  'embeddingRunNotFound',
  'corpusEmpty',
  // Fine-tuning (issue 4).
  'trainNoLabels',
  'trainTooFewClasses',
  'trainSplitEmpty',
  'trainLossNotFinite',
  'gpuOutOfMemory',
  'trainRunNotFound',
  'trainNotResumable',
  'trainDataChanged',
  'trainBaseModelChanged',
  'trainRunNotFinished',
  'trainConfigInvalid',
  'exportTargetNotEmpty',
  // Domain pretraining (issue 5).
  'pretrainRunNotFound',
  'pretrainNoHeldOut',
  'pretrainTooLittleText',
  'pretrainTooLittleHeldOut',
  'modelNoMaskedLmHead',
  'positionsUnchanged',
  'positionsUnsupported',
  'pretrainNspUnsupported',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
export type ErrorParams = Record<string, string | number>;

/** The plain-data form of an error that crosses process boundaries. */
export interface ErrorInfo {
  code: ErrorCode;
  params: ErrorParams;
}

export class ShirabeError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    super(`${code} ${JSON.stringify(params)}`, options);
    this.name = 'ShirabeError';
    this.code = code;
    this.params = params;
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
