import type { ErrorCode, ErrorInfo, ErrorParams } from './errors';

export type Language = 'ja' | 'en';
export const languages: readonly Language[] = ['ja', 'en'];

type Catalog = Record<ErrorCode, string>;

// Placeholders are {name}; every parameter an error is thrown with appears in both languages.
const en = {
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
  runDataChanged: "Run {id} cannot be resumed: the documents or labels of its corpus have changed since it started (data hash {expected}, now {found}). Start a new run instead.",
  runBaseModelChanged: "Run {id} was trained on the model in {path}, which has changed since (SHA-256 {expected}, now {found}). To resume or export the run, put the original model back in that folder.",
  trainRunNotFinished: "Run {id} has not finished ({status}); only a finished run has a model to export.",
  configInvalid: "The config is invalid: {detail}",
  configNotJson: "The config file {path} cannot be read as JSON. Check it in a text editor (quotes, commas, braces).",
  exportTargetNotEmpty: "The folder {path} already exists and is not empty; choose a new or empty folder.",
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
} as const satisfies Catalog;
/** The English templates by code, as literal types: errors.ts reads each code's parameters from them. */
export type EnglishMessages = typeof en;

const ja: Catalog = {
  internal: 'Shirabe の内部でエラーが起きました: {detail}',
  invalidRequest: '要求が正しくありません: {detail}',
  noProject: 'プロジェクトが開かれていません。先にプロジェクトを作成するか開いてください。',
  projectExists: '{path} にはすでにファイルがあります。別の名前にするか、そのファイルを開いてください。',
  projectNotFound: '{path} にプロジェクトファイルがありません。',
  projectNotShirabe: '{path} は Shirabe のプロジェクトではありません（Shirabe の SQLite ファイルではありません）。',
  projectNewerSchema:
    '{path} は新しい Shirabe で保存されています（プロジェクト版 {found}、この Shirabe が読めるのは {supported} まで）。Shirabe を更新してから開いてください。ファイルは変更していません。',
  projectLocked:
    '{path} は別の Shirabe のウィンドウかプロセスで開かれています。そちらで閉じるか、コピーを開いてください。',
  projectCorrupt: '{path} は壊れています（SQLite 整合性検査: {detail}）。バックアップを開いてください。',
  projectReadOnly: '{path} に書き込めません（読み取り専用のファイルかフォルダです）。',
  copyTargetExists: '{path} にはすでにファイルがあります。コピーには別の名前を付けてください。',
  fileNotFound: '{path} にファイルもフォルダもありません。',
  fileEmpty: '{path} は空です。',
  fileUnreadable: '{path} を読めません: {detail}',
  notADirectory: '{path} はフォルダではありません。',
  directoryEmpty: 'フォルダ {path} に .txt ファイルがありません。',
  unknownFormat:
    '{path} の形式が分かりません。CSV、TSV、JSONL、Excel (.xlsx)、または .txt ファイルのフォルダを選んでください。',
  binaryFile: '{path} はテキストではなくバイナリファイルのようです（{offset} バイト付近に NUL バイト）。',
  encodingInvalid:
    '{line} 行目は {encoding} として正しくありません。プレビューで別の文字コードを選んでください（推定: {detected}）。',
  csvUnclosedQuote: '{line} 行目: 引用符で始まったフィールドが閉じられていません。',
  csvInvalidQuote: '{line} 行目: 引用符で囲まれていないフィールドの中に引用符があります。',
  csvFieldCount: '{line} 行目: 列数が {expected} のはずが {found} です。',
  csvNoHeader: 'ファイルに見出し行がありません。',
  csvDuplicateHeader: '見出し行に列名「{column}」が二度あります。',
  jsonlInvalid: '{line} 行目は正しい JSON ではありません（JSON パーサの詳細: {detail}）。',
  jsonlNotObject: '{line} 行目は JSON ですがオブジェクト（{"text": …}）ではありません。',
  xlsxInvalid: '{path} は読み込める Excel ブックではありません: {detail}',
  xlsxNoSheet: 'ブックに「{sheet}」というシートがありません。シート: {sheets}。',
  xlsxEmpty: 'シート「{sheet}」は空です。',
  columnMissing: '列「{column}」がありません。列: {columns}。',
  textColumnRequired: '本文の列を選んでください。',
  textNotString: '{line} 行目: 本文の列「{column}」が文字列ではありません。',
  noDocuments: '取り込む文書がありません。すべての行が空かスキップされました（スキップ {skipped}、空 {empty}）。',
  headerLinesTooMany: '見出し行数は 0 から {max} の間で指定してください（指定: {value}）。',
  splitInvalid:
    '分割比は train・dev・test の 3 つの 0 以上の数で、合計が 1 になるよう指定してください（指定: {value}）。',
  seedInvalid: 'シードは 0 から 4294967295 までの整数で指定してください（指定: {value}）。',
  corpusNameRequired: 'コーパスに名前を付けてください。',
  corpusNameTaken: 'このプロジェクトにはすでに「{name}」という名前のコーパスがあります。',
  corpusNotFound: 'このプロジェクトに ID {id} のコーパスはありません。',
  documentNotFound: 'このプロジェクトに ID {id} の文書はありません。',
  queryEmpty: '検索する語を入力してください。',
  jobNotFound: 'ID {id} のジョブはありません。',
  cancelled: '中止しました。何も変更していません。',
  figureInvalid: '図を書き出せませんでした: {detail}',
  figureNotSvg: '図を書き出せませんでした。送られたものが SVG 文書ではありません。',
  uploadTooLarge: 'ファイルが大きすぎてアップロードできません（{size} バイト、上限 {max}）。',
  authRequired: 'この Shirabe サーバーには、起動時に表示された URL のトークンが必要です。',
  fileEncodingInvalid:
    'ファイル {file} は {encoding} として正しくありません（フォルダの推定: {detected}）。プレビューで別の文字コードを選ぶか、そのファイルを変換してください。',
  modelNotFound: "{path} はモデルのフォルダではありません(config.json がありません)。Hugging Face Hub からダウンロードした、config.json と重みファイルのあるフォルダを選んでください。",
  modelConfigInvalid: "モデルの config.json を使えません: {detail}",
  modelConfigNotJson: "{path} にあるモデルの config.json が、オブジェクトを収めた正しい JSON ではありません。モデルをダウンロードし直すか、ファイルを元に戻してください。",
  modelUnknownArchitecture: "このモデルのアーキテクチャ「{modelType}」には対応していません。対応しているのは {supported} です。",
  modelWeightsMissing: "{path} に重みファイルがありません。model.safetensors、model.safetensors.index.json、pytorch_model.bin、pytorch_model.bin.index.json のいずれかが必要です。",
  modelWeightsInvalid: "重みファイル {file} を読めません: {detail}。ダウンロードしたものなら、もう一度ダウンロードしてください。",
  modelWeightsFileMissing: "重みの索引ファイルが {file} を挙げていますが、モデルのフォルダーにありません。足りないファイルか、モデル全体をダウンロードし直してください。",
  modelTensorsMismatch: "重みがモデルの config.json と合いません。不足: {missing}。形の違い: {misshaped}。",
  tokenizerInvalid: "モデルのトークナイザーを読み込めません: {detail}",
  tokenizerNoMask: "{name} のトークナイザーにはマスクトークンがありません。そのためマスク言語モデル損失は測れず、マスクを使った事前学習もできません。",
  modelSequenceTooLong: "最大長 {maxLength} トークンは、このモデルの位置数 {limit} を超えています。{limit} 以下を指定してください。",
  layerOutOfRange: "層 {layer} はありません。このモデルの層は 0(埋め込み)から {layers} までです。負の数は最後の層から数えます。",
  computeWorkerDied: "計算プロセスが予期せず停止しました({detail})。ジョブは失敗として記録し、計算プロセスを再起動しました。",
  backendUnavailable: "計算バックエンド「{backend}」はここでは使えません: {reason}",
  embeddingRunNotFound: "このプロジェクトに埋め込み実行 {id} はありません。",
  corpusEmpty: "コーパス「{name}」には処理できる本文のある文書がありません。",
  runNotFound: "このプロジェクトに実行 {id} はありません。",
  runNotResumable: "実行 {id} は再開できません（状態: {status}）。中断・キャンセル・失敗した実行だけがチェックポイントから再開できます。",
  runActive: "実行 {id} はまだ実行中です。先にキャンセルしてから削除してください。",
  runNotActive: "実行 {id} は実行中ではないため、キャンセルするものがありません。",
  trainNoLabels: "コーパス「{name}」にはラベルがありません。ファインチューニングには、インポート時にラベル列を選んでおく必要があります。",
  trainTooFewClasses: "学習用の文書にはラベルが {count} 種類（{labels}）しかありません。分類器には 2 種類以上が必要です。",
  trainSplitNoLabels: "{split}分割にラベル付きの文書がありません。分割比を変えてインポートし直すか、別の検証データの取り方を選んでください。",
  trainHoldoutEmpty: "取り分けに回る文書がありません。選んだ割合に対して学習用の分割が小さすぎます。割合を大きくするか、開発用（dev）分割を使ってください。",
  trainLossNotFinite: "ステップ {step}（学習率 {lr}）で学習損失が {value} になりました。学習率を下げる、勾配ノルムの上限を下げる、ラベルを確認する、のいずれかを試してください。",
  gpuOutOfMemory: "GPU のメモリが不足しました（{detail}）。バッチサイズや最大長を小さくする、勾配累積を使う、全体ではなく LoRA で学習する、のいずれかを試してください。",
  runDataChanged: "実行 {id} は再開できません。開始後にコーパスの文書またはラベルが変わりました（データハッシュ {expected}、現在 {found}）。新しい実行を始めてください。",
  runBaseModelChanged: "実行 {id} の学習に使ったモデル（{path}）が変わっています（SHA-256 {expected}、現在 {found}）。再開や書き出しには、元のモデルをそのフォルダーに戻してください。",
  trainRunNotFinished: "実行 {id} はまだ完了していません（{status}）。モデルを書き出せるのは完了した実行だけです。",
  configInvalid: "設定が正しくありません: {detail}",
  configNotJson: "設定ファイル {path} を JSON として読めません。テキストエディタで引用符・カンマ・括弧を確かめてください。",
  exportTargetNotEmpty: "フォルダー {path} は既にあり、空ではありません。新しいフォルダーか空のフォルダーを選んでください。",
  splitNoText: "コーパスの{split}分割に、テキストのある文書がありません。分割比を変えてインポートし直すか、別の分割を選んでください。",
  pretrainNoHeldOut: "評価用のテキストがありません。コーパス「{name}」には dev の文書がありません。「学習用文書の一部を取り分ける」を選ぶか、dev 分割つきでコーパスを取り込み直してください。",
  pretrainTooLittleText: "学習用のテキストからは {maxLength} トークンの系列が {sequences} 本しかできません（{min} 本以上必要です）。最大長を短くするか、文書を増やしてください。",
  pretrainTooLittleHeldOut: "評価用のテキストからは {maxLength} トークンの系列が 1 本もできません。取り分ける文書を増やすか、最大長を短くしてください。",
  modelNoMaskedLmHead: "モデル {name} にはマスク言語モデルのヘッドがありません（分類器などとして保存されたもの）。そのためマスク言語モデル損失は測れません。",
  positionsUnchanged: "このモデルの位置数はすでに {length} です。",
  positionsUnsupported: "モデル {name}（{modelType}）には、拡張できる学習済みの位置埋め込みがありません。",
  pretrainNspUnsupported: "次文予測には BERT モデルが必要です。{name} は {modelType} で、次文予測なしで事前学習されています。マスク言語モデルだけで学習してください。",
  serverDisconnected: 'Shirabe サーバーとの接続が切れました。`shirabe serve` が動いているか確かめてから、ページを再読み込みしてください。',
  importRunning: '取り込みがまだ実行中です。終わるのを待つか、ジョブバーで中止してから、もう一度お試しください。',
};

const catalogs: Record<Language, Catalog> = { en, ja };

/**
 * Parameters that are words rather than names — a run's status, a corpus split — are shown in the
 * reader's language; every other parameter (paths, columns, numbers, the user's own labels) as given.
 */
const terms: Record<Language, Record<string, Record<string, string>>> = {
  en: {
    status: { running: 'running', interrupted: 'interrupted', done: 'finished', failed: 'failed', cancelled: 'cancelled' },
    split: { train: 'train', dev: 'dev', validation: 'validation', test: 'test' },
  },
  ja: {
    status: { running: '実行中', interrupted: '中断', done: '完了', failed: '失敗', cancelled: 'キャンセル済み' },
    split: { train: '学習用（train）', dev: '開発用（dev）', validation: '検証用', test: 'テスト用（test）' },
  },
};

export function formatMessage(template: string, params: ErrorParams, language: Language = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return terms[language][name]?.[value] ?? value;
  });
}

export function errorMessage(error: ErrorInfo, language: Language): string {
  return formatMessage(catalogs[language][error.code], error.params, language);
}

export function errorTemplate(code: ErrorCode, language: Language): string {
  return catalogs[language][code];
}

/** The language a command line asked for through LANG / LC_ALL / LC_MESSAGES. */
export function languageFromLocale(locale: string | undefined): Language {
  return locale && /^ja/i.test(locale) ? 'ja' : 'en';
}
