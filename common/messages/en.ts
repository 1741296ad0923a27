// The English catalogue: every message Shirabe shows outside the renderer's pages, one namespace
// each — errors (by code; placeholders are {name}, and each code's parameters are typed from them),
// terms (parameter values that are words), the desktop menu, the command line. ja.ts mirrors it.
import type {
  AttributionResult,
  ComputeStatus,
  CudaReport,
  PredictionResult,
  CorrelationInfo,
  InformationResult,
  DocumentAttribution,
  ScoredSpan,
  ClusterResult,
  EmbedResult,
  EmbeddingExportResult,
  MapResult,
  TopicInfo,
  ImportReport,
  KSweepResult,
  MlmEvaluation,
  MlmModelScore,
  PretrainResult,
  TrainResult,
  TrainRunInfo,
  VocabResult,
  AnnotationImportReport,
  EntityMetrics,
  EntityRunInfo,
  EntityTrainResult,
  ExtractResult,
  ExtractRunInfo,
  LayerSweepPoint,
} from '../contract';
import { skipDetailShown } from '../contract';
import type { ErrorCode } from '../errors';

/** Error messages by code. */
export const errors = {
  internal: 'Something went wrong inside Shirabe: {detail}',
  invalidRequest: 'The request was not valid: {detail}',
  noProject: 'No project is open. Create or open a project first.',
  projectExists: 'A file already exists at {path}. Choose another name, or open it instead.',
  projectNotFound: 'No project file at {path}.',
  projectNotShirabe: '{path} is not a Shirabe project (it is not a Shirabe SQLite file).',
  projectNewerSchema:
    '{path} was saved by a newer Shirabe (project version {found}; this Shirabe reads up to {supported}). Update Shirabe to open it; the file was not changed.',
  projectLocked:
    '{path} is already open in another Shirabe window or process. Close it there first, or open a copy.',
  projectCorrupt: '{path} is damaged (SQLite integrity check: {detail}). Open a backup copy instead.',
  projectReadOnly: '{path} cannot be written (read-only file or folder).',
  copyTargetExists: 'A file already exists at {path}. Choose another name for the copy.',
  fileNotFound: 'No file or folder at {path}.',
  fileEmpty: '{path} is empty.',
  fileUnreadable: '{path} cannot be read: {detail}',
  fileNotWritable: '{path} cannot be written ({reason}). Check that its folder exists and that you may write there; nothing was left half-written.',
  notADirectory: '{path} is not a folder.',
  directoryEmpty: 'The folder {path} contains no .txt files.',
  unknownFormat:
    'Cannot tell the format of {path}. Choose CSV, TSV, JSONL, Excel (.xlsx) or a folder of .txt files.',
  binaryFile: '{path} looks like a binary file, not text (found NUL bytes near byte {offset}).',
  encodingInvalid:
    'Line {line} is not valid {encoding}. Choose another encoding in the preview (detected: {detected}).',
  csvUnclosedQuote: 'Line {line}: a quoted field is opened but never closed.',
  csvInvalidQuote: 'Line {line}: a quote character appears inside an unquoted field.',
  csvFieldCount: 'Line {line}: expected {expected} fields, found {found}.',
  csvNoHeader: 'The file has no header row.',
  csvDuplicateHeader: 'The header row names the column "{column}" twice.',
  jsonlInvalid: 'Line {line} is not valid JSON: {detail}',
  jsonlNotObject: 'Line {line} is JSON but not an object ({"text": …}).',
  xlsxInvalid: '{path} is not a readable Excel workbook: {detail}',
  xlsxNoSheet: 'The workbook has no sheet named "{sheet}". Sheets: {sheets}.',
  xlsxEmpty: 'The sheet "{sheet}" is empty.',
  columnMissing: 'There is no column "{column}". Columns: {columns}.',
  textColumnRequired: 'Choose which column holds the text.',
  textNotString: 'Line {line}: the text field "{column}" is not a string.',
  noDocuments: 'Nothing to import: every row was empty or skipped ({skipped} skipped, {empty} empty).',
  headerLinesTooMany: 'Header lines must be between 0 and {max}; got {value}.',
  splitInvalid:
    'Split ratios must be three non-negative numbers for train, dev and test that add up to 1 (got {value}).',
  seedInvalid: 'The seed must be a whole number from 0 to 4294967295 (got {value}).',
  corpusNameRequired: 'Give the corpus a name.',
  corpusNameTaken: 'This project already has a corpus named "{name}".',
  corpusNotFound: 'No corpus with id {id} in this project.',
  documentNotFound: 'No document with id {id} in this project.',
  queryEmpty: 'Type a word to search for.',
  jobNotFound: 'No job with id {id}.',
  cancelled: 'Cancelled. Nothing was changed.',
  topicsNoVocabulary: "No word occurs in {minDf} or more documents, so the clusters have no label words. Lower the minimum document frequency, or check that the corpus's morphemes are analysed.",
  mapPerplexityTooLarge: "t-SNE's perplexity ({perplexity}) must be less than the number of documents ({documents}). Choose a smaller perplexity.",
  mapTooFewForNeighbours: "UMAP with {neighbours} neighbours needs more than {neighbours} documents; this embedding run has {documents}. Choose fewer neighbours.",
  topicsExportFormat: "{path}: a topic list is written as CSV or as a LaTeX table, chosen by the file's extension, which must be .csv or .tex.",
  lsaTooFewWords: 'The TF-IDF + SVD baseline with {components} dimensions needs more than {components} label words and documents; there are {words} words (minimum document frequency {minDf}) and {documents} documents. Choose at most {max} dimensions, or lower the minimum document frequency.',
  topicsEditNotReady: 'Clustering {id} is {status}: its topics can be edited once it has finished.',
  topicsEditBusy: 'Clustering {id} is still being relabelled after the last edit. Wait for that job to finish.',
  topicsUnknownTopic: 'Clustering {id} has no topic {cluster} (it may have been merged or emptied). Reload the topic list.',
  topicsUnknownDocuments: '{count} of the chosen documents are not in clustering {id}.',
  topicsSplitTooFew: 'Splitting into {parts} topics needs at least {parts} documents; {documents} were chosen.',
  topicsMergeNeedsTwo: 'Choose at least two different topics to merge.',
  topicsNothingToUndo: 'Clustering {id} has no edit to undo.',
  topicsNothingToRedo: 'Clustering {id} has no undone edit to redo.',
  attributionNoToken: "The tokenizer has no {token} token, so it cannot be the baseline. Choose [PAD] or the zero embedding.",
  attributionNoClassifier: '{model} has no classification head. Attribute a fine-tuning run of the project, or a sentence embedding of this model.',
  attributionUnknownLabel: 'The classifier has no class "{label}"; its classes are {labels}.',
  attributionTooLarge: 'One step of Integrated Gradients on a document of {maxLength} tokens needs {need} MiB on the WebAssembly backend, more than the {budget} MiB its 4 GiB heap leaves beside the model. Lower the maximum length, or run on a GPU backend.',
  attributionNoDocuments: 'No documents to attribute: the corpus has none in the {split} split.',
  attributionNeedsModel: 'Choose the model to attribute: a fine-tuning run or a model folder (only a topic target takes its clustering\'s model).',
  attributionRunEmpty: 'Attribution run {id} has no attributed document yet: resume it, or wait for its first documents.',
  attributionInformationModels: 'Subword frequencies come from one model\'s tokenizer, but the chosen runs attribute {count} different models. Compare them by MeCab morphemes instead, or choose runs of one model.',
  attributionNotInCorpus: '{count} of the chosen documents are not in corpus {corpus}.',
  predictionNoClassifier: '{model} has no classification head (its weights have no classifier, or its config.json no labels), so it cannot predict labels. Choose a fine-tuning run of the project, or a folder saved as a …ForSequenceClassification model.',
  predictionNotClassifierRun: 'Run {id} is a {kind} run, not a fine-tuning run: only a fine-tuned classifier (or a model folder with a classification head) can be applied.',
  predictionNoDocuments: 'No documents to predict: the corpus "{corpus}" has no document with text in {split}.',
  predictionRunEmpty: 'Prediction run {id} has no predicted document yet: resume it, or wait for its first documents.',
  entitiesNoAnnotations: 'Corpus "{corpus}" has no entity annotations: import annotated sentences (CoNLL04 JSON, CoNLL columns or brat) on the Entities page first.',
  entitiesSplitEmpty: 'Corpus "{corpus}" has no annotated sentences in its {split} split. Training needs train sentences, and dev sentences to choose the best epoch: import a dev file (its name containing "dev") or choose the split when importing.',
  entitiesLayerOutOfRange: 'Layer {layer} does not exist: this model has layers 0 (the embeddings) to {layers}.',
  entitiesNotExtractorRun: 'Run {id} is a {kind} run, not an entity-extraction training run: only a finished entities run can extract or show a table.',
  entitiesExtractEmpty: 'Corpus "{corpus}" has no document with text in split {split}: there is nothing to extract from.',
  entitiesSentenceOutOfRange: 'Document {documentId} has {count} sentences; sentence {sentence} does not exist.',
  entitiesRunEmpty: 'Run {id} has no extracted sentence yet: resume it, or wait for its first documents.',
  entitiesTokenizerNoSpecials: "The model's tokenizer ({tokenizer}) has no [CLS] and [SEP] tokens, which the table-filling extractor wraps each sentence in. Choose a BERT-family model.",
  entitiesRunNotFitting: "Run {id}'s weight {key} does not fit the base model at {path}: the folder holds a different model than the one the run was trained on.",
  entitiesRunInUse: 'Run {id} is the extractor of extraction runs {users}: delete those first (their results name it).',
  annotationSplitAmbiguous: '{file}: the file name names two splits (as train_dev does). Rename it, or choose the split when importing, so that no sentence goes into two splits.',
  annotationRelationSelf: 'Sentence {sentence} ({source}): relation {relation} ({type}) goes from an entity to itself. A relation joins two different entities: correct the annotation.',
  annotationEmpty: 'Nothing to import: {file} holds no annotated sentence. Choose files that contain sentences (a CoNLL04 JSON array, CoNLL columns, or brat .txt and .ann pairs).',
  annotationJsonInvalid: '{file} is not valid JSON (line {line}: {detail}). CoNLL04 data is a JSON array of sentence records, or JSONL with one record a line; fix the file and import again. Nothing was imported.',
  annotationRecordInvalid: '{file}, record {record}: the field "{field}" is missing or is not {expected}. Each record needs tokens (string[]), tags (string[], BILOU) and relations ([{head, tail, type}]). Nothing was imported.',
  annotationRecordLengths: '{file}, record {record}: it has {tokens} tokens but {tags} tags; each token needs exactly one tag. Nothing was imported.',
  annotationRecordTagMalformed: '{file}, record {record}, word {word}: the tag "{tag}" is not a BILOU tag (O, or B-, I-, L-, U- and a type). Nothing was imported.',
  annotationRecordTagUnexpected: '{file}, record {record}, word {word}: the tag "{tag}" cannot come here in BILOU (I- and L- must continue an entity begun with B-; B-, U- and O cannot come before the open entity ends with L-). Nothing was imported.',
  annotationRecordTagTypeChanged: '{file}, record {record}, word {word}: the tag "{tag}" changes the type of the entity it continues. Nothing was imported.',
  annotationRecordTagUnfinished: '{file}, record {record}: the sentence ends (after word {words}) inside an entity begun with B- and never closed with L-. Nothing was imported.',
  annotationRecordRelationMissing: '{file}, record {record}, relation {relation}: its {field} is entity {index}, but the sentence has only {count} entities (numbered from 0 in order of appearance). Nothing was imported.',
  annotationTypesInvalid: '{file} is not a types file: "{field}" should be an object whose keys are the type names (as in conll04_types.json). Nothing was imported.',
  annotationColumnsTooFew: '{file}, line {line}: a token line needs at least two columns (the word first, the tag last), separated by tabs or spaces. Nothing was imported.',
  annotationTagMalformed: '{file}, line {line}: the tag "{tag}" is neither O nor a prefix (B-, I-, L-, U-) and a type. Nothing was imported.',
  annotationTagUnexpected: '{file}, line {line}: the tag "{tag}" cannot come here in {scheme} (an I- tag must continue an entity of its type begun with B-; in BILOU an entity must also end with L- before the next tag). Nothing was imported.',
  annotationTagTypeChanged: '{file}, line {line}: the tag "{tag}" changes the type of the entity it continues ({scheme}). Nothing was imported.',
  annotationTagUnfinished: '{file}, line {line}: the sentence ends with "{tag}", inside an entity that {scheme} requires to end with L-. Nothing was imported.',
  annotationBratMissingTxt: '{annFile} has no text file: brat annotations need {txtFile} beside them (offsets count characters of that text). Add it and import again.',
  annotationBratMissingAnn: '{txtFile} has no annotations: brat text needs {annFile} beside it (an empty one if the text has no entity). Add it and import again.',
  annotationBratLineInvalid: '{file}, line {line}: this line is not a brat annotation ("{content}"). Entities are "T1<tab>Type start end<tab>text" and relations "R1<tab>Type Arg1:T1 Arg2:T2". Nothing was imported.',
  annotationBratDuplicateId: '{file}, line {line}: the id {id} is used twice. Nothing was imported.',
  annotationBratDiscontinuous: '{file}: entity {entity} has several fragments ({spans}); discontinuous entities cannot be tagged word by word. Join or split it in brat, then import again.',
  annotationBratSpanOutside: '{file}: entity {entity} spans characters {start}–{end}, but the text has {length} characters. Check that the .ann belongs to this .txt. Nothing was imported.',
  annotationBratTextMismatch: '{file}: entity {entity} records the text "{recorded}", but the .txt has "{actual}" at its offsets (the files may be from different versions, or use another line-break convention). Nothing was imported.',
  annotationBratOverlap: '{file}: entities {first} "{firstText}" ({firstStart}–{firstEnd}) and {second} "{secondText}" ({secondStart}–{secondEnd}) overlap; each word can belong to one entity only. Remove or shorten one of them, then import again.',
  annotationBratEntityCrossesSentence: '{file}: entity {entity} "{text}" runs across a sentence boundary (a line break or sentence-final punctuation inside it). Shorten it, or join the sentences in the text, then import again.',
  annotationBratRelationMissing: '{file}: relation {relation} refers to {argument}, which is not an entity of this file. Nothing was imported.',
  annotationBratCrossSentence: '{file}: relation {relation} joins {head} "{headText}" and {tail} "{tailText}", which are in different sentences; relations are extracted within one sentence. Remove it, or join the sentences in the text, then import again.',
  figureInvalid: 'The figure could not be exported: {detail}',
  figureNotSvg: 'The figure could not be exported: what was sent is not an SVG document.',
  uploadTooLarge: 'The file is too large to upload ({size} bytes; at most {max}).',
  authRequired: 'This Shirabe server needs the token from the URL it printed at start.',
  fileEncodingInvalid:
    'The file {file} is not valid {encoding} (the folder looked like {detected}). Choose another encoding in the preview, or convert that file.',
  modelNotFound: "{path} is not a model folder: it has no config.json. Choose the folder you downloaded from the Hugging Face hub (the one with config.json and the weights).",
  modelConfigInvalid: "The model's config.json cannot be used: {detail}",
  modelConfigNotJson: "The model's config.json in {path} is not valid JSON holding an object. Download the model again, or restore the file.",
  modelUnknownArchitecture: "This model's architecture \"{modelType}\" is not supported. Shirabe reads {supported}.",
  modelWeightsMissing: "{path} has no weights: expected model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json.",
  modelWeightsInvalid: "The weights file {file} cannot be read: {detail}. If it was downloaded, download it again.",
  modelWeightsFileMissing: "The weights index names {file}, which is not in the model folder. Download the missing file, or the model again.",
  modelTensorsMismatch: "The weights do not fit the model's config.json. Missing: {missing}. Wrong shape: {misshaped}.",
  tokenizerInvalid: "The model's tokenizer cannot be loaded: {detail}",
  tokenizerNoMask: "The tokenizer of {name} has no mask token, so its masked-LM loss cannot be measured and it cannot be pretrained with masking.",
  modelSequenceTooLong: "A maximum length of {maxLength} tokens is more than this model's {limit} positions. Choose {limit} or less.",
  layerOutOfRange: "Layer {layer} does not exist: this model has layers 0 (embeddings) to {layers}; negative numbers count from the last.",
  computeWorkerDied: "The compute process stopped unexpectedly ({detail}). The job was marked failed and the compute process was restarted.",
  backendUnavailable: "The compute backend \"{backend}\" cannot be used here: {reason}",
  embeddingRunNotFound: "No embedding run {id} in this project.",
  embeddingExportFormat: "{path}: the format is chosen by the file's extension, which must be .csv, .npy or .parquet.",
  corpusEmpty: "The corpus \"{name}\" has no documents with text to process.",
  runNotFound: "No run {id} in this project.",
  runNotResumable: "Run {id} cannot be resumed: it is {status}. Only a run that was interrupted, cancelled or failed goes on from its checkpoint.",
  runActive: "Run {id} is still running. Cancel it first, then delete it.",
  runNotActive: "Run {id} is not running, so there is nothing to cancel.",
  trainNoLabels: "The corpus \"{name}\" has no labels: fine-tuning needs a label column chosen at import.",
  trainTooFewClasses: "The training documents have only {count} label(s) ({labels}); a classifier needs at least two.",
  trainSplitNoLabels: "The {split} split has no labelled documents. Import with other split ratios, or choose another validation source.",
  trainHoldoutEmpty: "The hold-out took no documents: the train split is too small for the chosen share. Choose a larger share, or the dev split.",
  trainLossNotFinite: "The training loss became {value} at step {step} (learning rate {lr}). Try a smaller learning rate, a lower max gradient norm, or check the labels.",
  gpuOutOfMemory: "The GPU ran out of memory ({detail}). Try a smaller batch size or max length, gradient accumulation, or LoRA instead of full fine-tuning.",
  wasmOutOfMemory: "The WebAssembly backend ran out of its memory (at most 4 GiB; {detail}). Try a smaller batch size or max length, fewer channels for a CNN head, or LoRA or a frozen encoder instead of full training; a GPU backend has more memory.",
  gpuFault: 'The GPU reported an error during this job ({detail}), so its results cannot be trusted and nothing was saved. A smaller batch size or max length may fit the GPU; the CPU (WebAssembly) backend can be chosen on the Compute page.',
  runDataChanged: "Run {id} cannot be resumed: the documents or labels of its corpus have changed since it started (data hash {expected}, now {found}). Start a new run instead.",
  runBaseModelChanged: "Run {id} was trained on the model in {path}, which has changed since (SHA-256 {expected}, now {found}). To resume or export the run, put the original model back in that folder.",
  trainRunNotFinished: "Run {id} has not finished ({status}); only a finished run has a model to export.",
  configInvalid: "The config is invalid: {detail}",
  configNotJson: "The config file {path} cannot be read as JSON. Check it in a text editor (quotes, commas, braces).",
  exportTargetNotEmpty: "The folder {path} already exists and is not empty; choose a new or empty folder.",
  hubOffline: 'Shirabe is in offline mode (HF_HUB_OFFLINE=1 or the Hub setting on the Models page), so it did not contact the Hugging Face Hub at {endpoint}. Turn offline mode off to search or download, or add a model folder you already have.',
  hubUnreachable: 'Cannot reach the Hugging Face Hub at {endpoint} ({detail}). Check the network, or set a mirror (HF_ENDPOINT or the Hub setting); a paused download resumes where it stopped.',
  hubGated: 'The model {id} is gated or private: the Hub at {endpoint} answered {status} without an access token. Accept its conditions on its page on the Hub, then give Shirabe a token (the Hub setting on the Models page, or HF_TOKEN for the command line).',
  hubTokenRefused: 'The Hub at {endpoint} refused the access token for {id} ({status}): the token may be expired or lack read access, or the model\'s conditions are not accepted for that account yet.',
  hubNotFound: 'The Hub at {endpoint} has no model {id} at revision {revision} (404). Check the id (owner/name) and the revision (a branch, tag or commit hash).',
  hubHttpError: 'The Hub at {endpoint} answered {status} for {url}.',
  hubBadAnswer: 'The Hub at {endpoint} gave an answer Shirabe cannot read: {detail}. Is the endpoint a Hugging Face Hub or a mirror of one?',
  hubChecksumMismatch: '{file} of {id} arrived corrupted: its SHA-256 is {found}, but the Hub lists {expected}. The damaged file was deleted and nothing was added to the models folder; download it again.',
  hubSizeMismatch: '{file} of {id} arrived with {found} bytes, but the Hub lists {expected}. The damaged file was deleted and nothing was added to the models folder; download it again.',
  hubNoWeights: '{id} at {revision} has no weights Shirabe reads (model.safetensors, a sharded model.safetensors.index.json, or pytorch_model.bin). Nothing was downloaded.',
  hubNoConfig: '{id} at {revision} has no config.json, so it is not a Transformers model Shirabe can run. Nothing was downloaded.',
  hubNoTokenizer: '{id} at {revision} has no tokenizer Shirabe reads (tokenizer.json or vocab.txt; a SentencePiece .model alone is not enough). Nothing was downloaded.',
  hubDownloadBusy: '{id} at {sha} is being downloaded into {path} by another Shirabe (process {pid}). Wait for it to finish, then download again: the finished folder is used as it is.',
  hubTargetNotEmpty: '{path} already exists and is not a verified download of {id} at {sha}. Choose another folder, or remove that one.',
  hubTokenStoreUnavailable: 'The access token cannot be kept here: {detail}. Set HF_TOKEN in the environment instead.',
  hubNoSource: 'The runs\' base model {path} was not downloaded from the Hub by Shirabe, so there is no id and commit to fetch it by. Locate the folder instead (a copy of the same weights).',
  hubBadModelRef: 'The model reference {id} at commit {sha} is not a Hub id (owner/name) with a 40-hex commit, so it cannot name a folder in the models folder. Nothing was downloaded.',
  hubRestoreHashMismatch: '{id} at {sha} is not the model the runs were trained on: its content hash is {found}, the project recorded {expected}. The runs were left as they were.',
  splitNoText: "The {split} split of the corpus has no documents with text. Import it with other split ratios, or choose another split.",
  pretrainNoHeldOut: "There is no held-out text: the corpus \"{name}\" has no dev documents. Choose \"hold out a share of the training documents\", or import the corpus with a dev split.",
  pretrainTooLittleText: "The training text makes only {sequences} sequence(s) of {maxLength} tokens; at least {min} are needed. Use a shorter maximum length or more documents.",
  pretrainTooLittleHeldOut: "The held-out text makes no sequence of {maxLength} tokens. Hold out more documents or use a shorter maximum length.",
  modelNoMaskedLmHead: "The model {name} has no masked-LM head (it was saved without one, e.g. as a classifier), so its masked-LM loss cannot be measured.",
  positionsUnchanged: "The model already has {length} positions.",
  positionsUnsupported: "The model {name} ({modelType}) has no learned position-embedding table to extend.",
  pretrainNspUnsupported: "Next-sentence prediction needs a BERT model; {name} is {modelType}, which was pretrained without it. Train with masked-LM alone.",
  serverDisconnected: 'The connection to the Shirabe server was lost. Check that `shirabe serve` is still running, then reload the page.',
  importRunning: 'An import is still running. Wait for it to finish, or cancel it in the job bar, then try again.',
  kmeansTooFewPoints: "k-means into {k} clusters needs at least {k} points; there are {points}. Choose a smaller k.",
  hdbscanTooManyPoints: "HDBSCAN compares every pair of points, so at {dimensions} dimensions it takes at most {max} points; this set has {points}. Reduce the dimensions first (UMAP to 5–10, as BERTopic does), or cluster a sample.",
  kSweepRangeEmpty: "The k sweep from {from} to {to} tries no k: the first k must not be larger than the last.",
  kSweepRangeTooWide: "A k sweep's last k may be at most {span} more than its first; {from}..{to} spans {actual}. Sweep a narrower range, e.g. {from}..{limit}.",
  kSweepTooFewDocuments: "Silhouette needs fewer clusters than documents, so a k sweep of embedding run {id} ({documents} documents) can go up to k = {max}; {to} was asked for. Choose a smaller last k.",
} as const satisfies Record<ErrorCode, string>;

/** Parameter values that are words rather than names, shown in the reader's language (a run's status, a split). */
/** Why a compute backend was passed over (BackendSkipCode), for `shirabe doctor`. */
const backendSkip = {
  notInstalled: (pkg: string) => `${pkg} is not installed (optional: it downloads libtensorflow when npm installs it)`,
  loadFailed: (pkg: string) => `${pkg} is installed but failed to load (for tfjs-node-gpu: CUDA 11.2 and cuDNN 8.1 are needed)`,
  cudaMissing: (pkg: string) => `${pkg} is installed, but the CUDA 11.2 and cuDNN 8.1 libraries it needs are not all there (below: what is missing)`,
  noInit: (pkg: string) => `${pkg} loaded, but its backend did not start`,
  noCudaDevice: () => 'the GPU build of TensorFlow found no CUDA device, so it runs on the CPU',
  nativeLoaded: () => 'the GPU build of TensorFlow is already loaded in this process',
  webgpuNotInstalled: () => 'the webgpu package (Dawn) is not installed, so no GPU adapter could be looked for',
  webgpuLoadFailed: () => 'Dawn (the webgpu package) failed to load or start',
  noAdapter: () => 'no WebGPU adapter: no GPU driver with Vulkan, Metal or Direct3D 12 was found',
  softwareAdapter: () => 'the only WebGPU adapter runs on the CPU (e.g. lavapipe), slower than WebAssembly; it is used only when chosen',
};
/** Why inference does not run on onnxruntime (InferenceFallback). */
/** NVIDIA's stack as found on disk (CudaReport), for `shirabe doctor`. */
const cudaParts = { driver: 'NVIDIA driver', cudart: 'CUDA runtime', cublas: 'cuBLAS', cudnn: 'cuDNN', platform: 'platform' } as const;
const cudaConsumers = { 'tfjs-node-gpu': 'tfjs-node-gpu (legacy)', 'onnxruntime-cuda': "onnxruntime's CUDA provider" } as const;
const cudaReport = (r: CudaReport) => {
  const libs = (name: 'cudart' | 'cublas' | 'cudnn') => [...new Set(r.libraries.filter((l) => l.name === name).map((l) => l.version))].join(', ') || 'none';
  const driver = r.driver ? `${r.driver.version}${r.driver.gpus.length ? ` (${r.driver.gpus.map((g) => `${g.name}${g.memoryMiB ? `, ${g.memoryMiB} MiB` : ''}`).join('; ')})` : ''}` : 'none';
  return [
    `CUDA (found without loading it): driver ${driver}; CUDA runtime ${libs('cudart')}; cuBLAS ${libs('cublas')}; cuDNN ${libs('cudnn')}.`,
    ...r.consumers.map(
      (c) =>
        `  ${cudaConsumers[c.consumer]}, needs CUDA ${c.cuda} and cuDNN ${c.cudnn}: ` +
        (c.ready
          ? 'everything is there.'
          : `missing ${c.missing
              .map((m) =>
                m.what === 'platform'
                  ? `a supported system (${m.need}; this is ${m.found.join(', ')})`
                  : `${cudaParts[m.what]} ${m.what === 'driver' ? `${m.need} or newer` : m.need} (found: ${m.found.length ? m.found.join(', ') : 'none'})`,
              )
              .join('; ')}.`),
    ),
  ].join('\n');
};
const inferenceFallback = {
  forced: 'a compute backend is chosen in the settings (choose automatic to use onnxruntime)',
  noBinary: 'onnxruntime has no binary for macOS on Intel',
  cuda: 'the CUDA GPU backend is faster',
  notInstalled: 'onnxruntime-node is not installed',
  loadFailed: 'onnxruntime-node failed to load',
};
/** Why an onnxruntime execution provider was passed over (ProviderSkipCode). */
const providerSkip = {
  notBundled: 'not part of this onnxruntime build (DirectML is on Windows only)',
  cudaProviderMissing: "onnxruntime's CUDA provider library is not installed (npm downloads it only when onnxruntime-node's install script runs, which Shirabe turns off)",
  cudaMissing: 'CUDA 12 and cuDNN 9 are not all installed (`shirabe doctor` lists what it found)',
  webgpuNotInstalled: 'the webgpu package (Dawn) is not installed, so no adapter could be looked for',
  webgpuLoadFailed: 'Dawn (the webgpu package) failed to load or start',
  noAdapter: 'no WebGPU adapter: no GPU driver with Vulkan, Metal or Direct3D 12 was found',
  softwareAdapter: 'the only WebGPU adapter runs on the CPU (e.g. lavapipe), which is slower than the CPU provider; it is used only when chosen',
  notChosen: 'another provider is chosen',
  sessionFailed: 'it failed to load the model, so inference runs on the CPU',
  runFailed: 'it failed while running, so inference runs on the CPU',
};
const providerLabel = { cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', cpu: 'CPU' };

const terms: Record<'status' | 'split' | 'kind', Record<string, string>> = {
  status: { running: 'running', interrupted: 'interrupted', done: 'finished', failed: 'failed', cancelled: 'cancelled' },
  split: { train: 'train', dev: 'dev', validation: 'validation', test: 'test', all: 'all splits' },
  kind: { train: 'fine-tuning', pretrain: 'pretraining', cluster: 'clustering', map: 'map', attribution: 'attribution', prediction: 'prediction', entities: 'entity extraction training', extract: 'entity extraction', layerSweep: 'layer sweep' },
};

/** The desktop app's menu (electron/menu.ts). */
const menu = { file: 'File', new: 'New Project…', open: 'Open…', recent: 'Open Recent', none: '(none)', copy: 'Save a Copy…', close: 'Close Project', quit: 'Quit', view: 'View', lang: 'Language', edit: 'Edit' };

/** What the command line prints (main/cli), besides errors. */
const cli = {
  doctor: (s: ComputeStatus) =>
    [
      `Compute backend: ${s.backend ?? '-'} — ${s.device ?? '-'} (setting: ${s.choice === 'auto' ? 'automatic' : s.choice}). Fine-tuning, pretraining and attribution run on it (they need gradients).`,
      s.skipped.length === 0 ? 'Passed over: none, the first backend tried works.' : 'Passed over, in order of preference:',
      ...s.skipped.map((k) => `  ${k.backend}: ${backendSkip[k.code](k.package ?? '')}${skipDetailShown(k.code) ? `\n    (${k.reason})` : ''}`),
      s.gpu
        ? `GPU adapter (WebGPU): ${s.gpu.name}${s.gpu.software ? ' — runs on the CPU, used only when WebGPU is chosen' : ''} (largest buffer ${Math.round(s.gpu.limits.maxBufferSize / 2 ** 20)} MiB, storage binding ${Math.round(s.gpu.limits.maxStorageBufferBindingSize / 2 ** 20)} MiB)`
        : 'GPU adapter (WebGPU): none found, or not looked for.',
      s.inference
        ? `Inference (embedding, prediction): ${s.inference.device}${s.inference.reasonCode ? ` — not onnxruntime, because ${inferenceFallback[s.inference.reasonCode]}` : ''}`
        : 'Inference: not known (the compute worker did not report it).',
      ...(s.inference?.provider
        ? [
            `  Execution provider: ${providerLabel[s.inference.provider]}${s.inference.adapter ? ` on ${s.inference.adapter}` : ''} (${s.inference.providerChoice === 'auto' ? 'automatic' : `chosen by ${s.inference.forcedBy === 'environment' ? 'SHIRABE_INFERENCE_PROVIDER' : 'the settings'}`})`,
            ...s.inference.providerSkipped.map((k) => `  ${providerLabel[k.provider]} passed over: ${providerSkip[k.code]}\n    (${k.reason})`),
          ]
        : []),
    ].join('\n'),
  doctorCuda: cudaReport,
  attributed: (d: DocumentAttribution, unit: string, spans: ScoredSpan[]) =>
    `Document ${d.summary.documentId}${d.summary.title ? ` "${d.summary.title}"` : ''}: ${d.summary.target === 'embedding' ? 'sentence embedding' : `target ${d.summary.target}`}` +
    (d.summary.predicted === null ? '' : ` (predicted ${d.summary.predicted}${d.summary.label ? `, gold ${d.summary.label}` : ''})`) +
    (d.summary.target === 'embedding' ? `; ‖s(x) − s(baseline)‖ ${d.summary.atInput.toFixed(4)}` : `; f(x) ${d.summary.atInput.toFixed(4)}, f(baseline) ${d.summary.atBaseline.toFixed(4)}`) +
    `, completeness gap ${(100 * d.summary.gap).toFixed(2)}%` +
    (d.summary.truncated > 0 ? `; ${d.summary.truncated} tokens beyond the maximum length not attributed` : '') +
    `\n${spans.map((s) => `  ${s.score >= 0 ? ' ' : ''}${s.score.toFixed(4)}  ${s.text}${s.low !== undefined ? `  [${s.low.toFixed(4)}, ${s.high?.toFixed(4)}]` : ''}`).join('\n')}` +
    (d.summary.gap > 0.05 ? `\n  Warning: the gap is over 5%: the ${unit} scores do not add up to the change in the output. Use more steps (--steps) or Gauss–Legendre (--rule gauss-legendre).` : ''),
  information: (r: InformationResult) => {
    const c = (x: CorrelationInfo) => `${x.value.toFixed(3)} [${x.fisher[0].toFixed(3)}, ${x.fisher[1].toFixed(3)}]`;
    return (
      `P(w) from ${r.tokens.toLocaleString('en')} ${r.unit === 'morpheme' ? 'morphemes' : 'subwords'} of ${r.types.toLocaleString('en')} types, add-one smoothed: (c(w) + 1) / (N + V + 1). Correlation of each word's contribution with −log P(w) and with P(w), 95% intervals by Fisher's z:\n` +
      `run\tn\tPearson −log P\tSpearman −log P\tPearson P\tSpearman P\n` +
      r.runs.map((x) => `${x.runId} ${x.name}\t${x.n}\t${c(x.information.pearson)}\t${c(x.information.spearman)}\t${c(x.probability.pearson)}\t${c(x.probability.spearman)}`).join('\n')
    );
  },
  attributionRun: (r: AttributionResult) =>
    `Attribution run ${r.runId}: ${r.documents} documents in ${r.seconds.toFixed(1)} s` + (r.gap ? `; completeness gap mean ${(100 * r.gap.mean).toFixed(2)}%, largest ${(100 * r.gap.max).toFixed(2)}%.` : '.'),
  predicted: (r: PredictionResult, labels: string[]) => {
    const e = r.evaluation;
    const head = `Prediction run ${r.runId}: ${r.documents} documents in ${r.seconds.toFixed(1)} s.`;
    if (!e) return `${head} No document has a gold label the classifier knows, so there is nothing to compare with.`;
    const m = e.metrics;
    const width = Math.max(...labels.map((l) => l.length), 5);
    const matrix = m.confusion
      ? `\n  confusion matrix (rows gold, columns predicted):\n${[['', ...labels], ...m.confusion.map((row, i) => [labels[i], ...row.map(String)])].map((row) => `    ${row.map((c) => c.padStart(width)).join(' ')}`).join('\n')}`
      : '';
    return (
      `${head}\n  against the gold labels (${m.documents} documents): ${m.task === 'multi-label' ? 'subset accuracy' : 'accuracy'} ${m.accuracy.toFixed(4)}, macro-F1 ${m.macro.f1.toFixed(4)}, micro-F1 ${m.micro.f1.toFixed(4)}` +
      matrix +
      (e.unseen.documents > 0
        ? `\n  ${e.unseen.documents} documents have gold labels the classifier never saw (${e.unseen.labels.join(', ')}): ${m.task === 'multi-label' ? 'compared on the shared labels only' : 'left out of the comparison'}.`
        : '') +
      (e.withoutGold > 0 ? `\n  ${e.withoutGold} documents have no gold label (not compared).` : '')
    );
  },
  predictionsWritten: (rows: number, path: string) => `Wrote ${rows} predicted documents as CSV to ${path}`,
  clustered: (r: ClusterResult) =>
    `Clustering run ${r.runId}: ${r.clusters} clusters in ${r.seconds.toFixed(1)} s; silhouette ${r.quality.silhouette?.toFixed(4) ?? '-'}` +
    (r.quality.nmi === null ? '' : `, against the labels NMI ${r.quality.nmi.toFixed(4)}, ARI ${r.quality.ari?.toFixed(4)}, purity ${r.quality.purity?.toFixed(4)}`) +
    (r.quality.noise ? `; ${r.quality.noise} documents left as noise` : '') +
    `. Mean lift of the label words: study ${r.quality.lift.study.toFixed(2)}, c-TF-IDF ${r.quality.lift.ctfidf.toFixed(2)}.`,
  mapped: (r: MapResult) => `Map run ${r.runId} made in ${r.seconds.toFixed(1)} s; trustworthiness (k = 10) ${r.trustworthiness?.toFixed(4) ?? '-'}.`,
  swept: (r: KSweepResult) => {
    const gold = r.points.some((p) => p.nmi !== null);
    const rows = [['k', 'inertia', 'silhouette', ...(gold ? ['NMI', 'ARI'] : [])], ...r.points.map((p) => [`${p.k === r.suggested ? '*' : ''}${p.k}`, p.inertia.toFixed(2), p.silhouette?.toFixed(4) ?? '-', ...(gold ? [p.nmi?.toFixed(4) ?? '-', p.ari?.toFixed(4) ?? '-'] : [])])];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    return (
      rows.map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n') +
      `\n${r.suggested === null ? 'No k has a silhouette, so none is suggested' : `Suggested k = ${r.suggested} (*: the highest silhouette; a hint, not a rule — read the elbow of the inertia too)`}. Swept in ${r.seconds.toFixed(1)} s.`
    );
  },
  topicRow: (t: TopicInfo, words: string[]) => `${t.cluster === -1 ? 'noise' : t.cluster}\t${t.size}\t${words.join(' ')}\t${t.representatives.map((d) => d.title ?? d.snippet.slice(0, 30)).join(' | ')}`,
  created: (p: string) => `Created ${p}`,
  imported: (r: ImportReport) =>
    `Imported ${r.documents} documents into corpus ${r.corpusId} "${r.name}" (${r.format}, ${r.encoding}) in ${r.seconds.toFixed(1)} s.\n` +
    `  splits: train ${r.splits.train}, dev ${r.splits.dev}, test ${r.splits.test}; empty skipped ${r.emptySkipped}; exact duplicates ${r.duplicates}; bad rows skipped ${r.badRowCount}`,
  badRow: (line: number, msg: string) => `  skipped line ${line}: ${msg}`,
  serving: (url: string) => `Shirabe is serving this project in browser mode at\n  ${url}\nOpen it in a browser on this machine. Press Ctrl+C to stop.`,
  noCorpora: 'No corpora in this project yet.',
  hits: (n: number) => `${n} documents match.`,
  kwicTotal: (n: number) => `${n} occurrences.`,
  embedded: (r: EmbedResult) =>
    `Embedding run ${r.runId}: ${r.documents} documents × ${r.dimensions} dimensions in ${r.seconds.toFixed(1)} s on ${r.backend}; ${r.truncated} documents truncated.`,
  embeddingsExported: (runId: number, r: EmbeddingExportResult) =>
    `Exported embedding run ${runId} (${r.rows} documents × ${r.dimensions} dimensions) as ${r.format.toUpperCase()}, ${r.bytes.toLocaleString('en')} bytes:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
  topicsWritten: (count: number, format: string, path: string) => `Wrote ${count} topics as ${format === 'latex' ? 'a LaTeX table' : 'CSV'} to ${path}`,
  trained: (r: TrainResult) =>
    `Training run ${r.runId} finished in ${r.seconds.toFixed(1)} s. Best: learning rate ${r.best?.learningRate}, epoch ${r.best?.epoch} (validation loss ${r.best?.validationLoss.toFixed(4)}).\n` +
    (r.test ? `  test (${r.test.documents} documents): accuracy ${r.test.accuracy.toFixed(4)}, macro-F1 ${r.test.macro.f1.toFixed(4)}, micro-F1 ${r.test.micro.f1.toFixed(4)}` : ''),
  perRate: (lr: number, epoch: number, loss: number) => `  lr ${lr}: best epoch ${epoch}, validation loss ${loss.toFixed(4)}`,
  pretrained: (r: PretrainResult) =>
    `${r.mode === 'simcse' ? 'SimCSE' : 'Pretraining'} run ${r.runId} finished in ${r.seconds.toFixed(1)} s: held-out ${r.mode === 'simcse' ? 'contrastive' : 'masked-LM'} loss ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}. Model written to ${r.outputDir}`,
  mlmHeader: (e: MlmEvaluation) => `Masked-LM loss on ${e.documents} ${e.split} documents of "${e.corpusName}" (sequences of ${e.maxLength} tokens, mean over ${e.seeds} mask seeds):`,
  mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t(per seed ${m.loss.perSeed.map((x) => x.toFixed(4)).join(', ')})\t${m.name}\ttokenizer group ${m.group + 1}`,
  mlmNotComparable: 'Models in different tokenizer groups predict different tokens: their losses are not comparable.',
  vocabLearned: (r: VocabResult) => `Learned ${r.vocabSize.toLocaleString('en')} tokens from ${r.words.toLocaleString('en')} distinct words; wrote ${r.files.join(', ')} to ${r.path}`,
  extended: (r: { path: string; from: number; to: number }) => `Position embeddings interpolated from ${r.from} to ${r.to} positions; model written to ${r.path}`,
  exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
    `Exported run ${runId} as ${merged ? 'a merged Hugging Face model' : 'a PEFT LoRA adapter'} to ${r.path}:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
  exportedOnnx: (runId: number, r: { path: string; files: string[] }) =>
    `Exported run ${runId} as ONNX (model.onnx: the classifier's logits, LoRA merged, any batch size and length) to ${r.path}:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
  annotationsImported: (r: AnnotationImportReport) =>
    `Imported ${r.sentences} annotated sentences (${r.entities} entities, ${r.relations} relations) into corpus ${r.corpusId} "${r.name}" (${r.format}) in ${r.seconds.toFixed(1)} s.\n` +
    `  splits: train ${r.splits.train}, dev ${r.splits.dev}, test ${r.splits.test}\n  entity types: ${r.schema.entityTypes.join(', ') || '—'}\n  relation types: ${r.schema.relationTypes.join(', ') || '—'}`,
  entityScores: (label: string, m: EntityMetrics) =>
    `  ${label} (${m.sentences} sentences): NER F1 ${(100 * m.ner.micro.f1).toFixed(1)}, RE F1 ${(100 * m.re.micro.f1).toFixed(1)}, RE+ F1 ${(100 * m.rePlus.micro.f1).toFixed(1)} (micro, strict; macro NER ${(100 * m.ner.macro.f1).toFixed(1)}, RE+ ${(100 * m.rePlus.macro.f1).toFixed(1)})`,
  entitiesTrained: (r: EntityTrainResult) =>
    `Entity run ${r.runId} finished in ${r.seconds.toFixed(1)} s. Best: learning rate ${r.best?.learningRate}, epoch ${r.best?.epoch} (dev score ${r.best ? (100 * r.best.devF1).toFixed(1) : '-'}).\n` +
    [r.dev ? cli.entityScores('dev', r.dev) : '', r.test ? cli.entityScores('test', r.test) : ''].filter(Boolean).join('\n'),
  entityRun: (r: EntityRunInfo) =>
    `${r.id}\t${r.status}\t${r.name}\t${r.config.head}\t${r.config.encoder}\tlayer ${r.config.layer ?? 'last'}\t${r.test ? `test NER ${(100 * r.test.ner.micro.f1).toFixed(1)} RE ${(100 * r.test.re.micro.f1).toFixed(1)} RE+ ${(100 * r.test.rePlus.micro.f1).toFixed(1)}` : '-'}`,
  entityRunDetail: (r: EntityRunInfo) =>
    [
      cli.entityRun(r),
      JSON.stringify(r.config, null, 2),
      ...r.perLearningRate.map((p) => `  lr ${p.learningRate}: best epoch ${p.bestEpoch}, dev score ${(100 * p.bestDevF1).toFixed(1)}`),
      ...([['dev', r.dev], ['test', r.test]] as const).flatMap(([label, m]) =>
        m
          ? [
              cli.entityScores(label, m),
              ...m.ner.perType.map((x) => `    NER ${x.type}\tP ${(100 * x.precision).toFixed(1)}\tR ${(100 * x.recall).toFixed(1)}\tF1 ${(100 * x.f1).toFixed(1)}\t(tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`),
              ...m.rePlus.perType.map((x) => `    RE+ ${x.type}\tP ${(100 * x.precision).toFixed(1)}\tR ${(100 * x.recall).toFixed(1)}\tF1 ${(100 * x.f1).toFixed(1)}\t(tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`),
            ]
          : [],
      ),
      r.truncatedSentences > 0 ? `  ${r.truncatedSentences} sentences were longer than ${r.config.maxLength} subwords: their last words were scored as missed.` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  layerSweep: (points: LayerSweepPoint[]) => {
    const f = (x: number | undefined) => (x === undefined ? '-' : (100 * x).toFixed(1));
    return (
      `layer\thead\tencoder\tstatus\tdev NER\tdev RE\tdev RE+\ttest NER\ttest RE\ttest RE+\trun\n` +
      points.map((p) => `${p.layer}\t${p.head}\t${p.encoder}\t${p.status}\t${f(p.dev?.ner.micro.f1)}\t${f(p.dev?.re.micro.f1)}\t${f(p.dev?.rePlus.micro.f1)}\t${f(p.test?.ner.micro.f1)}\t${f(p.test?.re.micro.f1)}\t${f(p.test?.rePlus.micro.f1)}\t${p.runId ?? '-'}`).join('\n')
    );
  },
  extractRun: (r: ExtractRunInfo) =>
    `${r.id}\t${r.status}\t${r.name}\textract with run ${r.source.runId}\t${r.found ? `${r.found.entities} entities, ${r.found.relations} relations in ${r.found.sentences} sentences` : '-'}`,
  extracted: (r: ExtractResult) => `Extraction run ${r.runId}: ${r.entities} entities and ${r.relations} relations in ${r.documents} documents, ${r.seconds.toFixed(1)} s.`,
  entitiesExported: (files: string[]) => `Wrote:\n${files.map((f) => `  ${f}`).join('\n')}`,
  run: (r: TrainRunInfo) =>
    `${r.id}\t${r.status}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `lr ${r.best.learningRate} epoch ${r.best.epoch}` : '-'}\t${r.test ? `macro-F1 ${r.test.macro.f1.toFixed(4)} accuracy ${r.test.accuracy.toFixed(4)}` : '-'}`,
};

/** Shared with the Compute page (renderer/src/workflows/compute/i18n.ts), so the two say the same. */
const compute = { providerSkip };

export const en = { errors, terms, menu, cli, compute };
