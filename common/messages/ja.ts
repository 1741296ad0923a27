// The Japanese catalogue: the same namespaces and keys as en.ts (the type says so), in Japanese.
import type {
  PredictionResult,
  ComputeStatus,
  CudaReport,
  AttributionResult,
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
import type { Catalogue } from './index';

const backendSkip = {
  notInstalled: (pkg: string) => `${pkg} がインストールされていません（任意。npm でのインストール時に libtensorflow をダウンロードします）`,
  loadFailed: (pkg: string) => `${pkg} はインストールされていますが読み込めませんでした（tfjs-node-gpu には CUDA 11.2 と cuDNN 8.1 が必要です）`,
  cudaMissing: (pkg: string) => `${pkg} はインストールされていますが、必要な CUDA 11.2 と cuDNN 8.1 のライブラリがそろっていません（足りないものは下に）`,
  noInit: (pkg: string) => `${pkg} は読み込めましたが、バックエンドが起動しませんでした`,
  noCudaDevice: () => 'GPU 版 TensorFlow が CUDA デバイスを見つけられず、CPU で動いています',
  nativeLoaded: () => 'GPU 版 TensorFlow がこのプロセスにすでに読み込まれています',
  webgpuNotInstalled: () => 'webgpu パッケージ（Dawn）がインストールされていないため、GPU アダプタを探せません',
  webgpuLoadFailed: () => 'Dawn（webgpu パッケージ）を読み込めないか、起動できませんでした',
  noAdapter: () => 'WebGPU アダプタがありません（Vulkan・Metal・Direct3D 12 に対応した GPU ドライバが見つかりません）',
  softwareAdapter: () => 'WebGPU アダプタが CPU で動くもの（lavapipe など）だけで、WebAssembly より遅いため。指定したときだけ使います',
};
const cudaParts = { driver: 'NVIDIA ドライバー', cudart: 'CUDA ランタイム', cublas: 'cuBLAS', cudnn: 'cuDNN', platform: 'OS' } as const;
const cudaConsumers = { 'tfjs-node-gpu': 'tfjs-node-gpu（旧方式）', 'onnxruntime-cuda': 'onnxruntime の CUDA プロバイダー' } as const;
const cudaReport = (r: CudaReport) => {
  const libs = (name: 'cudart' | 'cublas' | 'cudnn') => [...new Set(r.libraries.filter((l) => l.name === name).map((l) => l.version))].join('、') || 'なし';
  const driver = r.driver ? `${r.driver.version}${r.driver.gpus.length ? `（${r.driver.gpus.map((g) => `${g.name}${g.memoryMiB ? `、${g.memoryMiB} MiB` : ''}`).join('；')}）` : ''}` : 'なし';
  return [
    `CUDA（読み込まずに調べた結果）: ドライバー ${driver}、CUDA ランタイム ${libs('cudart')}、cuBLAS ${libs('cublas')}、cuDNN ${libs('cudnn')}。`,
    ...r.consumers.map(
      (c) =>
        `  ${cudaConsumers[c.consumer]}（CUDA ${c.cuda} と cuDNN ${c.cudnn} が必要）: ` +
        (c.ready
          ? 'すべてそろっています。'
          : `足りないもの: ${c.missing
              .map((m) =>
                m.what === 'platform'
                  ? `対応する OS（${m.need}。この環境は ${m.found.join('、')}）`
                  : `${cudaParts[m.what]} ${m.what === 'driver' ? `${m.need} 以降` : m.need}（見つかったもの: ${m.found.length ? m.found.join('、') : 'なし'}）`,
              )
              .join('；')}。`),
    ),
  ].join('\n');
};
const inferenceFallback = {
  forced: '設定で計算バックエンドが指定されているため（onnxruntime を使うには「自動」を選んでください）',
  noBinary: 'Intel の macOS 向けの onnxruntime がないため',
  cuda: 'CUDA の GPU バックエンドの方が速いため',
  notInstalled: 'onnxruntime-node がインストールされていないため',
  loadFailed: 'onnxruntime-node を読み込めなかったため',
};
const providerSkip = {
  notBundled: 'この onnxruntime には含まれていません（DirectML は Windows のみ）',
  cudaProviderMissing: 'onnxruntime の CUDA プロバイダーのライブラリがインストールされていません（onnxruntime-node のインストールスクリプトが動いたときだけダウンロードされますが、Shirabe はこのスクリプトを止めています）',
  cudaMissing: 'CUDA 12 と cuDNN 9 がそろっていません（見つかったものは `shirabe doctor` で確かめられます）',
  webgpuNotInstalled: 'webgpu パッケージ（Dawn）がインストールされていないため、アダプタを探せません',
  webgpuLoadFailed: 'Dawn（webgpu パッケージ）を読み込めないか、起動できませんでした',
  noAdapter: 'WebGPU アダプタがありません（Vulkan・Metal・Direct3D 12 に対応した GPU ドライバーが見つかりません）',
  softwareAdapter: 'WebGPU アダプタが CPU で動くもの（lavapipe など）だけで、CPU プロバイダーより遅いため。指定したときだけ使います',
  notChosen: '別のプロバイダーが指定されています',
  sessionFailed: 'モデルを読み込めなかったため、推論は CPU で動いています',
  runFailed: '実行中に失敗したため、推論は CPU で動いています',
};
const providerLabel = { cuda: 'CUDA', webgpu: 'WebGPU', dml: 'DirectML', cpu: 'CPU' };

const terms = {
  status: { running: '実行中', interrupted: '中断', done: '完了', failed: '失敗', cancelled: 'キャンセル済み' },
  split: { train: '学習用（train）', dev: '開発用（dev）', validation: '検証用', test: 'テスト用（test）', all: 'すべての分割' },
  kind: { train: '学習', pretrain: '事前学習', cluster: 'クラスタリング', map: 'マップ', attribution: '根拠の可視化', prediction: '予測', entities: '固有表現抽出の学習', extract: '固有表現の抽出', layerSweep: '層ごとの比較' },
};

export const ja: Catalogue = {
  errors: {
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
    fileNotWritable: '{path} に書き込めません（{reason}）。フォルダがあり、書き込みが許されているか確かめてください。書きかけのファイルは残していません。',
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
    topicsNoVocabulary: '{minDf} 件以上の文書に現れる語がないため、クラスタのラベル語を作れません。最小文書頻度を下げてください。',
    mapPerplexityTooLarge: 't-SNE のパープレキシティ（{perplexity}）は文書数（{documents}）より小さくしてください。',
    mapTooFewForNeighbours: '近傍数 {neighbours} の UMAP には {neighbours} 件を超える文書が必要ですが、この埋め込みには {documents} 件しかありません。近傍数を減らしてください。',
    topicsExportFormat: '{path}: トピック一覧は CSV か LaTeX の表として書き出します。形式はファイルの拡張子で決まるので、.csv か .tex にしてください。',
    lsaTooFewWords: '{components} 次元の TF-IDF + SVD ベースラインには {components} を超える語と文書が必要ですが、語は {words} 個（最小文書頻度 {minDf}）、文書は {documents} 件です。次元を {max} 以下にするか、最小文書頻度を下げてください。',
    topicsEditNotReady: 'クラスタリング {id} は「{status}」です。トピックは完了してから編集できます。',
    topicsEditBusy: 'クラスタリング {id} は直前の編集のラベルを計算し直しています。そのジョブが終わるまでお待ちください。',
    topicsUnknownTopic: 'クラスタリング {id} にトピック {cluster} はありません（統合されたか空になった可能性があります）。トピック一覧を読み込み直してください。',
    topicsUnknownDocuments: '選んだ文書のうち {count} 件はクラスタリング {id} にありません。',
    topicsSplitTooFew: '{parts} 個のトピックに分割するには {parts} 件以上の文書が必要ですが、選ばれたのは {documents} 件です。',
    topicsMergeNeedsTwo: '統合するトピックを 2 つ以上選んでください。',
    topicsNothingToUndo: 'クラスタリング {id} に取り消せる編集はありません。',
    topicsNothingToRedo: 'クラスタリング {id} にやり直せる編集はありません。',
    attributionNoToken: 'トークナイザーに {token} トークンがないため、ベースラインにできません。[PAD] かゼロ埋め込みを選んでください。',
    attributionNoClassifier: '{model} には分類ヘッドがありません。プロジェクトの学習実行を選ぶか、このモデルの文埋め込みを対象にしてください。',
    attributionUnknownLabel: '分類器にクラス「{label}」はありません。クラスは {labels} です。',
    attributionTooLarge: '{maxLength} トークンの文書で統合勾配を 1 ステップ計算するには WebAssembly バックエンドで {need} MiB が必要ですが、4 GiB のヒープにはモデルのほかに {budget} MiB しか残っていません。最大長を短くするか、GPU バックエンドで実行してください。',
    attributionNoDocuments: '寄与を計算する文書がありません。このコーパスの {split} 分割に文書がありません。',
    attributionNeedsModel: '寄与を計算するモデル（学習実行かモデルフォルダ）を選んでください（トピックを対象にする場合だけ、クラスタリングのモデルを使います）。',
    attributionRunEmpty: '寄与の実行 {id} にはまだ計算済みの文書がありません。再開するか、最初の文書が終わるまでお待ちください。',
    attributionInformationModels: 'サブワードの頻度は 1 つのモデルのトークナイザーで数えますが、選んだ実行は {count} 種類のモデルです。MeCab の形態素で比べるか、同じモデルの実行を選んでください。',
    attributionNotInCorpus: '選んだ文書のうち {count} 件はコーパス {corpus} にありません。',
    predictionNoClassifier: '{model} には分類ヘッドがありません（重みに分類器がないか、config.json にラベルがありません）。そのためラベルを予測できません。プロジェクトの学習実行か、分類モデルとして保存されたモデルフォルダを選んでください。',
    predictionNotClassifierRun: '実行 {id} は{kind}の実行で、学習実行ではありません。適用できるのは学習済みの分類器（または分類ヘッドのあるモデルフォルダ）だけです。',
    predictionNoDocuments: '予測する文書がありません。コーパス「{corpus}」の {split} にテキストのある文書がありません。',
    predictionRunEmpty: '予測の実行 {id} にはまだ予測済みの文書がありません。再開するか、最初の文書が終わるまでお待ちください。',
    entitiesNoAnnotations: 'コーパス「{corpus}」には固有表現のアノテーションがありません。先に「固有表現」ページでアノテーション付きの文を取り込んでください。',
    entitiesSplitEmpty: 'コーパス「{corpus}」の {split} 分割にアノテーション付きの文がありません。学習には train の文と、最良エポックを選ぶための dev の文が必要です。dev のファイル（名前に "dev" を含む）を取り込むか、取り込み時に分割を指定してください。',
    entitiesLayerOutOfRange: '層 {layer} はありません。このモデルの層は 0（埋め込み）から {layers} までです。',
    entitiesNotExtractorRun: '実行 {id} は{kind}の実行で、固有表現抽出の学習実行ではありません。抽出や表の表示には、完了した固有表現の学習実行を指定してください。',
    entitiesExtractEmpty: 'コーパス「{corpus}」の分割 {split} には本文のある文書がないため、抽出するものがありません。',
    entitiesSentenceOutOfRange: '文書 {documentId} の文は {count} 文です。文 {sentence} はありません。',
    entitiesRunEmpty: '実行 {id} にはまだ抽出済みの文がありません。再開するか、最初の文書が終わるまでお待ちください。',
    entitiesTokenizerNoSpecials: 'このモデルのトークナイザー（{tokenizer}）には CLS と SEP のトークンがありません。表を埋める抽出器は各文をこの二つで挟みます。BERT 系のモデルを選んでください。',
    entitiesRunNotFitting: '実行 {id} の重み {key} が {path} のベースモデルに合いません。フォルダの中身が、実行を学習したときのモデルと違います。',
    entitiesRunInUse: '実行 {id} は抽出の実行 {users} の抽出器です。先にそれらを削除してください（結果がこの実行を参照しています）。',
    annotationSplitAmbiguous: '{file}: ファイル名に二つの分割の名前があります（train と dev を合わせたファイルなど）。どの文も二つの分割に入らないよう、名前を変えるか、取り込むときに分割を選んでください。',
    annotationRelationSelf: '文 {sentence}（{source}）: 関係 {relation}（{type}）が同じ固有表現どうしを結んでいます。関係は異なる二つの固有表現を結ぶものです。アノテーションを直してください。',
    annotationEmpty: '取り込むものがありません。{file} にアノテーション付きの文がありません。文を含むファイルを選んでください（形式と中身が合っているかも確かめてください）。',
    annotationJsonInvalid: '{file} は正しい JSON ではありません（{line} 行目: {detail}）。このデータは文のレコードの JSON 配列か、1 行に 1 レコードの JSONL です。ファイルを直してから取り込み直してください。何も取り込んでいません。',
    annotationRecordInvalid: '{file} のレコード {record}: 項目「{field}」がないか、{expected} ではありません。各レコードには語の列、タグの列、関係の列が必要です。何も取り込んでいません。',
    annotationRecordLengths: '{file} のレコード {record}: 語が {tokens} 個あるのにタグが {tags} 個です。語ごとにちょうど 1 つのタグが必要です。何も取り込んでいません。',
    annotationRecordTagMalformed: '{file} のレコード {record}、{word} 語目: タグ「{tag}」は O でも、接頭辞（B-・I-・L-・U-）と型の組でもありません。何も取り込んでいません。',
    annotationRecordTagUnexpected: '{file} のレコード {record}、{word} 語目: ここにタグ「{tag}」は来られません（I- と L- は B- で始まった固有表現の続きでなければならず、開いた固有表現が L- で閉じる前に B-・U-・O は来られません）。何も取り込んでいません。',
    annotationRecordTagTypeChanged: '{file} のレコード {record}、{word} 語目: タグ「{tag}」は、続けている固有表現の型を途中で変えています。何も取り込んでいません。',
    annotationRecordTagUnfinished: '{file} のレコード {record}: B- で始まった固有表現が L- で閉じられないまま、文が（{words} 語目で）終わっています。何も取り込んでいません。',
    annotationRecordRelationMissing: '{file} のレコード {record}、関係 {relation}: {field} が固有表現 {index} を指していますが、この文の固有表現は {count} 個だけです（出現順に 0 から数えます）。何も取り込んでいません。',
    annotationTypesInvalid: '{file} は型のファイルではありません。「{field}」は型の名前をキーとするオブジェクト（型の定義ファイルと同じ形）でなければなりません。何も取り込んでいません。',
    annotationColumnsTooFew: '{file} の {line} 行目: 語の行には、タブか空白で区切った列が 2 つ以上（最初に語、最後にタグ）必要です。何も取り込んでいません。',
    annotationTagMalformed: '{file} の {line} 行目: タグ「{tag}」は O でも、接頭辞（B-・I-・L-・U-）と型の組でもありません。何も取り込んでいません。',
    annotationTagUnexpected: '{file} の {line} 行目: {scheme} ではここにタグ「{tag}」は来られません（I- のタグは B- で始まった同じ型の固有表現の続きでなければなりません。L- のある方式では、次のタグの前に固有表現を L- で閉じる必要もあります）。何も取り込んでいません。',
    annotationTagTypeChanged: '{file} の {line} 行目: タグ「{tag}」は、続けている固有表現の型を途中で変えています（{scheme}）。何も取り込んでいません。',
    annotationTagUnfinished: '{file} の {line} 行目: 文が「{tag}」で終わっています。{scheme} では固有表現は L- で閉じなければなりません。何も取り込んでいません。',
    annotationBratMissingTxt: '{annFile} に対応するテキストのファイルがありません。アノテーションには、同じ場所に {txtFile} が必要です（位置はそのテキストの文字数で数えます）。追加してから取り込み直してください。',
    annotationBratMissingAnn: '{txtFile} に対応するアノテーションのファイルがありません。テキストには、同じ場所に {annFile} が必要です（固有表現がなければ空のファイルで構いません）。追加してから取り込み直してください。',
    annotationBratLineInvalid: '{file} の {line} 行目: この行はアノテーションの書き方になっていません（「{content}」）。固有表現は「T1<タブ>型 開始 終了<タブ>文字列」、関係は「R1<タブ>型 引数1:T1 引数2:T2」の形です。何も取り込んでいません。',
    annotationBratDuplicateId: '{file} の {line} 行目: ID {id} が 2 度使われています。何も取り込んでいません。',
    annotationBratDiscontinuous: '{file}: 固有表現 {entity} が複数の断片（{spans}）からなっています。離れた断片からなる固有表現は語ごとのタグにできません。アノテーションの道具で 1 つにまとめるか分けてから、取り込み直してください。',
    annotationBratSpanOutside: '{file}: 固有表現 {entity} は {start}–{end} 文字目を指していますが、テキストは {length} 文字しかありません。アノテーションがこのテキストのものか確かめてください。何も取り込んでいません。',
    annotationBratTextMismatch: '{file}: 固有表現 {entity} に記録された文字列は「{recorded}」ですが、テキストのその位置は「{actual}」です（ファイルの版が違うか、改行の書き方が違う可能性があります）。何も取り込んでいません。',
    annotationBratOverlap: '{file}: 固有表現 {first}「{firstText}」（{firstStart}–{firstEnd}）と {second}「{secondText}」（{secondStart}–{secondEnd}）が重なっています。1 つの語は 1 つの固有表現にしか属せません。どちらかを消すか短くしてから、取り込み直してください。',
    annotationBratEntityCrossesSentence: '{file}: 固有表現 {entity}「{text}」が文の境目（改行か文末の句読点）をまたいでいます。固有表現を短くするか、テキストの文をつなげてから、取り込み直してください。',
    annotationBratRelationMissing: '{file}: 関係 {relation} が指す {argument} は、このファイルの固有表現にありません。何も取り込んでいません。',
    annotationBratCrossSentence: '{file}: 関係 {relation} は {head}「{headText}」と {tail}「{tailText}」を結んでいますが、2 つは別の文にあります。関係は 1 つの文の中で抽出します。関係を消すか、テキストの文をつなげてから、取り込み直してください。',
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
    embeddingExportFormat: "{path}: 形式はファイルの拡張子で決まります。.csv・.npy・.parquet のいずれかにしてください。",
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
    wasmOutOfMemory: "WebAssembly の計算環境でメモリ（上限 4 GiB）が不足しました（{detail}）。バッチサイズや最大長を小さくする、畳み込みヘッドのチャネル数を減らす、全体ではなく LoRA や固定したエンコーダで学習する、のいずれかを試してください。GPU ならより多くのメモリを使えます。",
    gpuFault: 'このジョブの実行中に GPU がエラーを報告しました（{detail}）。結果は信頼できないため保存していません。バッチサイズや最大長を小さくすると収まることがあります。計算ページで WebAssembly バックエンドを選ぶこともできます。',
    runDataChanged: "実行 {id} は再開できません。開始後にコーパスの文書またはラベルが変わりました（データハッシュ {expected}、現在 {found}）。新しい実行を始めてください。",
    runBaseModelChanged: "実行 {id} の学習に使ったモデル（{path}）が変わっています（SHA-256 {expected}、現在 {found}）。再開や書き出しには、元のモデルをそのフォルダーに戻してください。",
    trainRunNotFinished: "実行 {id} はまだ完了していません（{status}）。モデルを書き出せるのは完了した実行だけです。",
    configInvalid: "設定が正しくありません: {detail}",
    configNotJson: "設定ファイル {path} を JSON として読めません。テキストエディタで引用符・カンマ・括弧を確かめてください。",
    exportTargetNotEmpty: "フォルダー {path} は既にあり、空ではありません。新しいフォルダーか空のフォルダーを選んでください。",
    hubOffline: 'オフラインモード（HF_HUB_OFFLINE=1 またはモデル画面の Hub 設定）のため、Hugging Face Hub（{endpoint}）には接続しませんでした。検索やダウンロードにはオフラインモードを解除するか、手元のモデルフォルダを追加してください。',
    hubUnreachable: 'Hugging Face Hub（{endpoint}）に接続できません（{detail}）。ネットワークを確認するか、ミラー（HF_ENDPOINT または Hub 設定）を指定してください。中断したダウンロードは続きから再開します。',
    hubGated: 'モデル {id} はアクセス制限付きか非公開です。Hub（{endpoint}）はアクセストークンなしの要求に {status} を返しました。Hub のモデルページで利用条件に同意し、Shirabe にトークンを設定してください（モデル画面の Hub 設定、コマンドラインでは HF_TOKEN）。',
    hubTokenRefused: 'Hub（{endpoint}）は {id} に対するアクセストークンを拒否しました（{status}）。トークンの期限切れか読み取り権限がないか、そのアカウントでまだ利用条件に同意していない可能性があります。',
    hubNotFound: 'Hub（{endpoint}）にはモデル {id} のリビジョン {revision} がありません（404）。ID（所有者/名前）とリビジョン（ブランチ、タグ、コミットハッシュ）を確認してください。',
    hubHttpError: 'Hub（{endpoint}）が {url} に {status} を返しました。',
    hubBadAnswer: 'Hub（{endpoint}）の応答を読めません: {detail}。エンドポイントは Hugging Face Hub かそのミラーですか。',
    hubChecksumMismatch: '{id} の {file} が壊れて届きました。SHA-256 は {found} ですが、Hub の記録は {expected} です。壊れたファイルは削除し、モデルフォルダには何も追加していません。もう一度ダウンロードしてください。',
    hubSizeMismatch: '{id} の {file} は {found} バイトで届きましたが、Hub の記録は {expected} バイトです。壊れたファイルは削除し、モデルフォルダには何も追加していません。もう一度ダウンロードしてください。',
    hubNoWeights: '{id}（{revision}）には Shirabe が読める重み（model.safetensors、分割された model.safetensors.index.json、pytorch_model.bin）がありません。何もダウンロードしていません。',
    hubNoConfig: '{id}（{revision}）には config.json がなく、Shirabe が実行できる Hugging Face 形式のモデルではありません。何もダウンロードしていません。',
    hubNoTokenizer: '{id}（{revision}）には Shirabe が読めるトークナイザー（tokenizer.json か vocab.txt）がありません（SentencePiece のモデルファイルだけでは使えません）。何もダウンロードしていません。',
    hubDownloadBusy: '{id}（{sha}）は別の Shirabe（プロセス {pid}）が {path} にダウンロード中です。終わるのを待ってから、もう一度ダウンロードしてください。完了したフォルダはそのまま使います。',
    hubTargetNotEmpty: '{path} は既にあり、{id}（{sha}）の検証済みダウンロードではありません。別のフォルダを選ぶか、そのフォルダを削除してください。',
    hubTokenStoreUnavailable: 'ここではアクセストークンを保存できません: {detail}。代わりに環境変数 HF_TOKEN を設定してください。',
    hubNoSource: '実行のベースモデル {path} は Shirabe が Hub からダウンロードしたものではないため、取得に使う ID とコミットがありません。代わりにフォルダ（同じ重みのコピー）の場所を指定してください。',
    hubBadModelRef: 'モデルの参照 {id}（コミット {sha}）は Hub の ID（所有者/名前）と 40 桁の 16 進コミットではないため、モデルフォルダ内のフォルダ名にできません。何もダウンロードしていません。',
    hubRestoreHashMismatch: '{id}（{sha}）は実行が学習に使ったモデルではありません。内容のハッシュは {found} ですが、プロジェクトの記録は {expected} です。実行は変更していません。',
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
    kmeansTooFewPoints: "k 平均法で {k} 個のクラスタに分けるには {k} 点以上が必要ですが、{points} 点しかありません。k を小さくしてください。",
    hdbscanTooManyPoints: "密度に基づく階層クラスタリングはすべての点の組を比べるため、{dimensions} 次元では {max} 点までしか扱えません（この集合は {points} 点）。先に次元を下げる（5〜10 次元への圧縮など）か、標本をクラスタリングしてください。",
    kSweepRangeEmpty: "k の探索範囲 {from}〜{to} には試す k がありません。最初の k は最後の k 以下にしてください。",
    kSweepRangeTooWide: "k の探索では最後の k は最初の k より最大 {span} 大きい値までです（{from}〜{to} は {actual} の幅）。{from}〜{limit} のように範囲を狭めてください。",
    kSweepTooFewDocuments: "シルエットにはクラスタ数が文書数より少ないことが必要なため、埋め込み実行 {id}（{documents} 文書）の k の探索は k = {max} までです（{to} が指定されました）。最後の k を小さくしてください。",
  },
  terms,
  compute: { providerSkip },
  menu: { file: 'ファイル', new: '新規プロジェクト…', open: '開く…', recent: '最近使ったプロジェクト', none: '（なし）', copy: 'コピーを保存…', close: 'プロジェクトを閉じる', quit: '終了', view: '表示', lang: '言語', edit: '編集' },
  cli: {
    doctor: (s: ComputeStatus) =>
      [
        `計算バックエンド: ${s.backend ?? '-'} — ${s.device ?? '-'}（設定: ${s.choice === 'auto' ? '自動' : s.choice}）。ファインチューニング・事前学習・根拠の可視化はこれで動きます（勾配が要るため）。`,
        s.skipped.length === 0 ? '見送ったバックエンド: なし（最初に試したものが使えました）。' : '見送ったバックエンド（優先順）:',
        ...s.skipped.map((k) => `  ${k.backend}: ${backendSkip[k.code](k.package ?? '')}${skipDetailShown(k.code) ? `\n    (${k.reason})` : ''}`),
        s.gpu
          ? `GPU アダプタ（WebGPU）: ${s.gpu.name}${s.gpu.software ? ' — CPU で動くもの。WebGPU を指定したときだけ使います' : ''}（最大バッファ ${Math.round(s.gpu.limits.maxBufferSize / 2 ** 20)} MiB、ストレージ割り当て ${Math.round(s.gpu.limits.maxStorageBufferBindingSize / 2 ** 20)} MiB）`
          : 'GPU アダプタ（WebGPU）: 見つからないか、探していません。',
        s.inference
          ? `推論（埋め込み・予測）: ${s.inference.device}${s.inference.reasonCode ? ` — onnxruntime を使わない理由: ${inferenceFallback[s.inference.reasonCode]}` : ''}`
          : '推論: 不明（計算ワーカーから報告がありません）。',
        ...(s.inference?.provider
          ? [
              `  実行プロバイダー: ${providerLabel[s.inference.provider]}${s.inference.adapter ? `（${s.inference.adapter}）` : ''}（${s.inference.providerChoice === 'auto' ? '自動' : `${s.inference.forcedBy === 'environment' ? 'SHIRABE_INFERENCE_PROVIDER ' : '設定'}で指定`}）`,
              ...s.inference.providerSkipped.map((k) => `  ${providerLabel[k.provider]} を見送った理由: ${providerSkip[k.code]}\n    (${k.reason})`),
            ]
          : []),
      ].join('\n'),
    doctorCuda: cudaReport,
    attributed: (d: DocumentAttribution, unit: string, spans: ScoredSpan[]) =>
      `文書 ${d.summary.documentId}${d.summary.title ? `「${d.summary.title}」` : ''}: ${d.summary.target === 'embedding' ? '文埋め込み' : `対象 ${d.summary.target}`}` +
      (d.summary.predicted === null ? '' : `（予測 ${d.summary.predicted}${d.summary.label ? `、正解 ${d.summary.label}` : ''}）`) +
      (d.summary.target === 'embedding' ? `。‖s(x) − s(ベースライン)‖ ${d.summary.atInput.toFixed(4)}` : `。f(x) ${d.summary.atInput.toFixed(4)}、f(ベースライン) ${d.summary.atBaseline.toFixed(4)}`) +
      `、完全性のずれ ${(100 * d.summary.gap).toFixed(2)}%` +
      (d.summary.truncated > 0 ? `。最大長を超えた ${d.summary.truncated} トークンは対象外` : '') +
      `\n${spans.map((s) => `  ${s.score >= 0 ? ' ' : ''}${s.score.toFixed(4)}  ${s.text}${s.low !== undefined ? `  [${s.low.toFixed(4)}, ${s.high?.toFixed(4)}]` : ''}`).join('\n')}` +
      (d.summary.gap > 0.05 ? `\n  注意: ずれが 5% を超えています（${unit}の寄与の合計が出力の変化と一致しません）。ステップ数を増やす（--steps）か、ガウス・ルジャンドル則（--rule gauss-legendre）を使ってください。` : ''),
    information: (r: InformationResult) => {
      const c = (x: CorrelationInfo) => `${x.value.toFixed(3)} [${x.fisher[0].toFixed(3)}, ${x.fisher[1].toFixed(3)}]`;
      return (
        `P(w) は ${r.tokens.toLocaleString('ja')} ${r.unit === 'morpheme' ? '形態素' : 'サブワード'}（${r.types.toLocaleString('ja')} 種類）から加算 1 平滑化で推定: (c(w) + 1) / (N + V + 1)。各語の寄与と −log P(w)・P(w) との相関（95% 区間はフィッシャーの z 変換）:\n` +
        `実行\tn\tピアソン −log P\tスピアマン −log P\tピアソン P\tスピアマン P\n` +
        r.runs.map((x) => `${x.runId} ${x.name}\t${x.n}\t${c(x.information.pearson)}\t${c(x.information.spearman)}\t${c(x.probability.pearson)}\t${c(x.probability.spearman)}`).join('\n')
      );
    },
    attributionRun: (r: AttributionResult) =>
      `寄与の実行 ${r.runId}: ${r.documents} 件（${r.seconds.toFixed(1)} 秒）` + (r.gap ? `。完全性のずれ 平均 ${(100 * r.gap.mean).toFixed(2)}%、最大 ${(100 * r.gap.max).toFixed(2)}%。` : '。'),
    predicted: (r: PredictionResult, labels: string[]) => {
      const e = r.evaluation;
      const head = `予測の実行 ${r.runId}: ${r.documents} 件（${r.seconds.toFixed(1)} 秒）。`;
      if (!e) return `${head}分類器の知っている正解ラベルを持つ文書がないため、比較はできません。`;
      const m = e.metrics;
      const width = Math.max(...labels.map((l) => l.length), 5);
      const matrix = m.confusion
        ? `\n  混同行列（行: 正解、列: 予測）:\n${[['', ...labels], ...m.confusion.map((row, i) => [labels[i], ...row.map(String)])].map((row) => `    ${row.map((c) => c.padStart(width)).join(' ')}`).join('\n')}`
        : '';
      return (
        `${head}\n  正解ラベルとの比較（${m.documents} 件）: ${m.task === 'multi-label' ? '完全一致率' : '正解率'} ${m.accuracy.toFixed(4)}、マクロ F1 ${m.macro.f1.toFixed(4)}、マイクロ F1 ${m.micro.f1.toFixed(4)}` +
        matrix +
        (e.unseen.documents > 0
          ? `\n  ${e.unseen.documents} 件の文書に、分類器が学習で見ていない正解ラベル（${e.unseen.labels.join('、')}）があります。${m.task === 'multi-label' ? '共通のラベルだけで比較しました' : 'これらは比較から除きました'}。`
          : '') +
        (e.withoutGold > 0 ? `\n  正解ラベルのない文書 ${e.withoutGold} 件は比較していません。` : '')
      );
    },
    predictionsWritten: (rows: number, path: string) => `予測した文書 ${rows} 件を CSV として ${path} に書き出しました`,
    clustered: (r: ClusterResult) =>
      `クラスタリング実行 ${r.runId}: ${r.clusters} クラスタ（${r.seconds.toFixed(1)} 秒）。シルエット ${r.quality.silhouette?.toFixed(4) ?? '-'}` +
      (r.quality.nmi === null ? '' : `、ラベルに対して NMI ${r.quality.nmi.toFixed(4)}・ARI ${r.quality.ari?.toFixed(4)}・純度 ${r.quality.purity?.toFixed(4)}`) +
      (r.quality.noise ? `、ノイズ ${r.quality.noise} 件` : '') +
      `。ラベル語の平均リフト: 研究の方法 ${r.quality.lift.study.toFixed(2)}、c-TF-IDF ${r.quality.lift.ctfidf.toFixed(2)}。`,
    mapped: (r: MapResult) => `マップ実行 ${r.runId} を作りました（${r.seconds.toFixed(1)} 秒）。信頼性（k = 10）${r.trustworthiness?.toFixed(4) ?? '-'}。`,
    swept: (r: KSweepResult) => {
      const gold = r.points.some((p) => p.nmi !== null);
      const rows = [['k', '慣性', 'シルエット', ...(gold ? ['NMI', 'ARI'] : [])], ...r.points.map((p) => [`${p.k === r.suggested ? '*' : ''}${p.k}`, p.inertia.toFixed(2), p.silhouette?.toFixed(4) ?? '-', ...(gold ? [p.nmi?.toFixed(4) ?? '-', p.ari?.toFixed(4) ?? '-'] : [])])];
      // Full-width characters take two columns on a terminal.
      const width = (cell: string) => [...cell].reduce((w, ch) => w + (ch.charCodeAt(0) >= 0x2e80 ? 2 : 1), 0);
      const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => width(row[c]))));
      return (
        rows.map((row) => row.map((cell, c) => ' '.repeat(widths[c] - width(cell)) + cell).join('  ')).join('\n') +
        `\n${r.suggested === null ? 'シルエットが求まる k がないため、推奨する k はありません' : `推奨 k = ${r.suggested}（*: シルエットが最大。目安であり規則ではありません。慣性の肘も見てください）`}。探索 ${r.seconds.toFixed(1)} 秒。`
      );
    },
    topicRow: (t: TopicInfo, words: string[]) => `${t.cluster === -1 ? 'ノイズ' : t.cluster}\t${t.size}\t${words.join(' ')}\t${t.representatives.map((d) => d.title ?? d.snippet.slice(0, 30)).join(' | ')}`,
    created: (p: string) => `${p} を作成しました`,
    imported: (r: ImportReport) =>
      `${r.documents} 件の文書をコーパス ${r.corpusId}「${r.name}」に取り込みました（${r.format}、${r.encoding}、${r.seconds.toFixed(1)} 秒）。\n` +
      `  分割: train ${r.splits.train}、dev ${r.splits.dev}、test ${r.splits.test}／空でスキップ ${r.emptySkipped}／完全重複 ${r.duplicates}／不正行スキップ ${r.badRowCount}`,
    badRow: (line: number, msg: string) => `  ${line} 行目をスキップ: ${msg}`,
    serving: (url: string) => `ブラウザモードでこのプロジェクトを公開しています:\n  ${url}\nこのマシンのブラウザで開いてください。Ctrl+C で停止します。`,
    noCorpora: 'このプロジェクトにはまだコーパスがありません。',
    hits: (n: number) => `${n} 件の文書が一致しました。`,
    kwicTotal: (n: number) => `${n} 件の出現。`,
    embedded: (r: EmbedResult) =>
      `埋め込み実行 ${r.runId}: ${r.documents} 件 × ${r.dimensions} 次元（${r.seconds.toFixed(1)} 秒、${r.backend}）。切り詰めた文書 ${r.truncated} 件。`,
    embeddingsExported: (runId: number, r: EmbeddingExportResult) =>
      `埋め込み実行 ${runId}（${r.rows} 件 × ${r.dimensions} 次元）を ${r.format.toUpperCase()} で書き出しました（${r.bytes.toLocaleString('ja')} バイト）:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    topicsWritten: (count: number, format: string, path: string) => `${count} 件のトピックを${format === 'latex' ? ' LaTeX の表' : ' CSV '}として ${path} に書き出しました`,
    trained: (r: TrainResult) =>
      `学習実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。最良: 学習率 ${r.best?.learningRate}、エポック ${r.best?.epoch}（検証損失 ${r.best?.validationLoss.toFixed(4)}）。\n` +
      (r.test ? `  テスト（${r.test.documents} 件）: 正解率 ${r.test.accuracy.toFixed(4)}、マクロ F1 ${r.test.macro.f1.toFixed(4)}、マイクロ F1 ${r.test.micro.f1.toFixed(4)}` : ''),
    perRate: (lr: number, epoch: number, loss: number) => `  学習率 ${lr}: 最良エポック ${epoch}、検証損失 ${loss.toFixed(4)}`,
    pretrained: (r: PretrainResult) =>
      `${r.mode === 'simcse' ? 'SimCSE' : '事前学習'}の実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。${r.mode === 'simcse' ? '評価用の文の対照損失' : '評価用テキストのマスク言語モデル損失'} ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}。モデルの書き出し先: ${r.outputDir}`,
    mlmHeader: (e: MlmEvaluation) => `「${e.corpusName}」の ${e.split} 文書 ${e.documents} 件でのマスク言語モデル損失（${e.maxLength} トークンの系列、マスクのシード ${e.seeds} 個の平均）:`,
    mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t（シード別 ${m.loss.perSeed.map((x) => x.toFixed(4)).join('、')}）\t${m.name}\tトークナイザーのグループ ${m.group + 1}`,
    mlmNotComparable: 'トークナイザーのグループが違うモデルは予測するトークンが異なるため、損失を比べられません。',
    vocabLearned: (r: VocabResult) => `異なり語 ${r.words.toLocaleString('ja')} 語から ${r.vocabSize.toLocaleString('ja')} 語の語彙を学習し、${r.files.join('、')} を ${r.path} に書き出しました`,
    extended: (r: { path: string; from: number; to: number }) => `位置埋め込みを ${r.from} 位置から ${r.to} 位置へ補間し、モデルを ${r.path} に書き出しました`,
    exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
      `実行 ${runId} を${merged ? '統合済みの Hugging Face モデル' : 'PEFT の LoRA アダプター'}として ${r.path} に書き出しました:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    exportedOnnx: (runId: number, r: { path: string; files: string[] }) =>
      `実行 ${runId} を ONNX 形式 (model.onnx: 分類器のロジット、LoRA は統合済み、バッチの大きさと長さは自由) で ${r.path} に書き出しました:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    annotationsImported: (r: AnnotationImportReport) =>
      `アノテーション付きの文 ${r.sentences} 件（固有表現 ${r.entities}、関係 ${r.relations}）をコーパス ${r.corpusId}「${r.name}」（${r.format}）に取り込みました（${r.seconds.toFixed(1)} 秒）。\n` +
      `  分割: train ${r.splits.train}、dev ${r.splits.dev}、test ${r.splits.test}\n  固有表現の型: ${r.schema.entityTypes.join('、') || '—'}\n  関係の型: ${r.schema.relationTypes.join('、') || '—'}`,
    entityScores: (label: string, m: EntityMetrics) =>
      `  ${label}（${m.sentences} 文）: NER F1 ${(100 * m.ner.micro.f1).toFixed(1)}、RE F1 ${(100 * m.re.micro.f1).toFixed(1)}、RE+ F1 ${(100 * m.rePlus.micro.f1).toFixed(1)}（マイクロ、厳密一致。マクロ NER ${(100 * m.ner.macro.f1).toFixed(1)}、RE+ ${(100 * m.rePlus.macro.f1).toFixed(1)}）`,
    entitiesTrained: (r: EntityTrainResult) =>
      `固有表現の実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。最良: 学習率 ${r.best?.learningRate}、エポック ${r.best?.epoch}（dev スコア ${r.best ? (100 * r.best.devF1).toFixed(1) : '-'}）。\n` +
      [r.dev ? ja.cli.entityScores('dev', r.dev) : '', r.test ? ja.cli.entityScores('test', r.test) : ''].filter(Boolean).join('\n'),
    entityRun: (r: EntityRunInfo) =>
      `${r.id}\t${terms.status[r.status]}\t${r.name}\t${r.config.head}\t${r.config.encoder}\t層 ${r.config.layer ?? '最終'}\t${r.test ? `テスト NER ${(100 * r.test.ner.micro.f1).toFixed(1)} RE ${(100 * r.test.re.micro.f1).toFixed(1)} RE+ ${(100 * r.test.rePlus.micro.f1).toFixed(1)}` : '-'}`,
    entityRunDetail: (r: EntityRunInfo) =>
      [
        ja.cli.entityRun(r),
        JSON.stringify(r.config, null, 2),
        ...r.perLearningRate.map((p) => `  学習率 ${p.learningRate}: 最良エポック ${p.bestEpoch}、dev スコア ${(100 * p.bestDevF1).toFixed(1)}`),
        ...([['dev', r.dev], ['test', r.test]] as const).flatMap(([label, m]) =>
          m
            ? [
                ja.cli.entityScores(label, m),
                ...m.ner.perType.map((x) => `    NER ${x.type}\t適合率 ${(100 * x.precision).toFixed(1)}\t再現率 ${(100 * x.recall).toFixed(1)}\tF1 ${(100 * x.f1).toFixed(1)}\t(tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`),
                ...m.rePlus.perType.map((x) => `    RE+ ${x.type}\t適合率 ${(100 * x.precision).toFixed(1)}\t再現率 ${(100 * x.recall).toFixed(1)}\tF1 ${(100 * x.f1).toFixed(1)}\t(tp ${x.tp}, fp ${x.fp}, fn ${x.fn})`),
              ]
            : [],
        ),
        r.truncatedSentences > 0 ? `  ${r.truncatedSentences} 文が ${r.config.maxLength} サブワードを超えたため、末尾の語は取りこぼしとして採点しました。` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    layerSweep: (points: LayerSweepPoint[]) => {
      const f = (x: number | undefined) => (x === undefined ? '-' : (100 * x).toFixed(1));
      return (
        `層\tヘッド\tエンコーダ\t状態\tdev NER\tdev RE\tdev RE+\tテスト NER\tテスト RE\tテスト RE+\t実行\n` +
        points.map((p) => `${p.layer}\t${p.head}\t${p.encoder}\t${p.status === 'pending' ? '未実行' : terms.status[p.status]}\t${f(p.dev?.ner.micro.f1)}\t${f(p.dev?.re.micro.f1)}\t${f(p.dev?.rePlus.micro.f1)}\t${f(p.test?.ner.micro.f1)}\t${f(p.test?.re.micro.f1)}\t${f(p.test?.rePlus.micro.f1)}\t${p.runId ?? '-'}`).join('\n')
      );
    },
    extractRun: (r: ExtractRunInfo) =>
      `${r.id}\t${terms.status[r.status]}\t${r.name}\t実行 ${r.source.runId} で抽出\t${r.found ? `${r.found.sentences} 文から固有表現 ${r.found.entities}、関係 ${r.found.relations}` : '-'}`,
    extracted: (r: ExtractResult) => `抽出の実行 ${r.runId}: 文書 ${r.documents} 件から固有表現 ${r.entities}、関係 ${r.relations}（${r.seconds.toFixed(1)} 秒）。`,
    entitiesExported: (files: string[]) => `書き出しました:\n${files.map((f) => `  ${f}`).join('\n')}`,
    run: (r: TrainRunInfo) =>
      `${r.id}\t${terms.status[r.status]}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `学習率 ${r.best.learningRate} エポック ${r.best.epoch}` : '-'}\t${r.test ? `マクロ F1 ${r.test.macro.f1.toFixed(4)} 正解率 ${r.test.accuracy.toFixed(4)}` : '-'}`,
  },
};
