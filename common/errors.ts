// Errors that reach a researcher carry a code and parameters, never a hard-coded sentence:
// each process (CLI, renderer, menu) renders them in the user's language from common/messages/.
import type { EnglishMessages } from './messages/index';

/** Every error code, grouped by the domain that raises it (a code is not borrowed across domains). */
export const errorCodes = [
  // The app, its transports and its jobs.
  'internal',
  'invalidRequest',
  'uploadTooLarge',
  'authRequired',
  'serverDisconnected',
  'cancelled',
  'jobNotFound',
  'configInvalid',
  'configNotJson',
  // The project file.
  'noProject',
  'projectExists',
  'projectNotFound',
  'projectNotShirabe',
  'projectNewerSchema',
  'projectLocked',
  'projectCorrupt',
  'projectReadOnly',
  'copyTargetExists',
  // Files and their import.
  'fileNotFound',
  'fileEmpty',
  'fileUnreadable',
  'fileNotWritable',
  'notADirectory',
  'directoryEmpty',
  'unknownFormat',
  'binaryFile',
  'encodingInvalid',
  'fileEncodingInvalid',
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
  'importRunning',
  // Corpora and their documents.
  'corpusNameRequired',
  'corpusNameTaken',
  'corpusNotFound',
  'documentNotFound',
  'queryEmpty',
  'corpusEmpty',
  'splitNoText',
  // Model folders, tokenizers and the compute worker.
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
  'gpuOutOfMemory',
  'wasmOutOfMemory',
  'gpuFault',
  'exportTargetNotEmpty',
  // Models from the Hugging Face Hub.
  'hubOffline',
  'hubUnreachable',
  'hubGated',
  'hubTokenRefused',
  'hubNotFound',
  'hubHttpError',
  'hubBadAnswer',
  'hubChecksumMismatch',
  'hubSizeMismatch',
  'hubNoWeights',
  'hubNoConfig',
  'hubNoTokenizer',
  'hubTargetNotEmpty',
  'hubDownloadBusy',
  'hubTokenStoreUnavailable',
  'hubNoSource',
  'hubBadModelRef',
  'hubRestoreHashMismatch',
  // Embeddings.
  'embeddingRunNotFound',
  'embeddingExportFormat',
  // Runs of every kind.
  'runNotFound',
  'runNotResumable',
  'runActive',
  'runNotActive',
  'runDataChanged',
  'runBaseModelChanged',
  // Fine-tuning.
  'trainNoLabels',
  'trainTooFewClasses',
  'trainSplitNoLabels',
  'trainHoldoutEmpty',
  'trainLossNotFinite',
  'trainRunNotFinished',
  // Domain pretraining, masked-LM loss and positions.
  'pretrainNoHeldOut',
  'pretrainTooLittleText',
  'pretrainTooLittleHeldOut',
  'modelNoMaskedLmHead',
  'positionsUnchanged',
  'positionsUnsupported',
  'pretrainNspUnsupported',
  // Maps and topics: labels and maps.
  'topicsNoVocabulary',
  'mapPerplexityTooLarge',
  'mapTooFewForNeighbours',
  'topicsExportFormat',
  'lsaTooFewWords',
  // Maps and topics: editing.
  'topicsEditNotReady',
  'topicsEditBusy',
  'topicsUnknownTopic',
  'topicsUnknownDocuments',
  'topicsSplitTooFew',
  'topicsMergeNeedsTwo',
  'topicsNothingToUndo',
  'topicsNothingToRedo',
  // Attribution.
  'attributionNoToken',
  'attributionNoClassifier',
  'attributionUnknownLabel',
  'attributionTooLarge',
  'attributionNoDocuments',
  'attributionNeedsModel',
  'attributionNotInCorpus',
  'attributionInformationModels',
  'attributionRunEmpty',
  // Applying a classifier.
  'predictionNoClassifier',
  'predictionNotClassifierRun',
  'predictionNoDocuments',
  'predictionRunEmpty',
  // Entities and relations: training, extraction, views.
  'entitiesNoAnnotations',
  'entitiesSplitEmpty',
  'entitiesLayerOutOfRange',
  'entitiesNotExtractorRun',
  'entitiesExtractEmpty',
  'entitiesSentenceOutOfRange',
  'entitiesRunEmpty',
  'entitiesTokenizerNoSpecials',
  'entitiesRunNotFitting',
  'entitiesRunInUse',
  'annotationSplitAmbiguous',
  'annotationRelationSelf',
  // Entities: annotation import.
  'annotationEmpty',
  'annotationJsonInvalid',
  'annotationRecordInvalid',
  'annotationRecordLengths',
  'annotationRecordTagMalformed',
  'annotationRecordTagUnexpected',
  'annotationRecordTagTypeChanged',
  'annotationRecordTagUnfinished',
  'annotationRecordRelationMissing',
  'annotationTypesInvalid',
  'annotationColumnsTooFew',
  'annotationTagMalformed',
  'annotationTagUnexpected',
  'annotationTagTypeChanged',
  'annotationTagUnfinished',
  'annotationBratMissingTxt',
  'annotationBratMissingAnn',
  'annotationBratLineInvalid',
  'annotationBratDuplicateId',
  'annotationBratDiscontinuous',
  'annotationBratSpanOutside',
  'annotationBratTextMismatch',
  'annotationBratOverlap',
  'annotationBratEntityCrossesSentence',
  'annotationBratRelationMissing',
  'annotationBratCrossSentence',
  // Figures.
  'figureInvalid',
  'figureNotSvg',
  // Maps and topics: clustering.
  'kmeansTooFewPoints',
  'hdbscanTooManyPoints',
  // Maps and topics: the k sweep.
  'kSweepRangeEmpty',
  'kSweepRangeTooWide',
  'kSweepTooFewDocuments',
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
