// The CLI's messages in English and Japanese, chosen by the user's locale (LANG=ja… → Japanese).
// Errors are not here: they are common/messages.ts's, shared with the app.
import type {
  EmbedResult,
  ImportReport,
  MlmEvaluation,
  MlmModelScore,
  PretrainResult,
  TrainResult,
  TrainRunInfo,
  VocabResult,
} from '../../common/contract';
import type { Language } from '../../common/messages';

const en = {
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
  trained: (r: TrainResult) =>
    `Training run ${r.runId} finished in ${r.seconds.toFixed(1)} s. Best: learning rate ${r.best?.learningRate}, epoch ${r.best?.epoch} (validation loss ${r.best?.validationLoss.toFixed(4)}).\n` +
    (r.test ? `  test (${r.test.documents} documents): accuracy ${r.test.accuracy.toFixed(4)}, macro-F1 ${r.test.macro.f1.toFixed(4)}, micro-F1 ${r.test.micro.f1.toFixed(4)}` : ''),
  perRate: (lr: number, epoch: number, loss: number) => `  lr ${lr}: best epoch ${epoch}, validation loss ${loss.toFixed(4)}`,
  pretrained: (r: PretrainResult) =>
    `Pretraining run ${r.runId} finished in ${r.seconds.toFixed(1)} s: held-out masked-LM loss ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}. Model written to ${r.outputDir}`,
  mlmHeader: (e: MlmEvaluation) => `Masked-LM loss on ${e.documents} ${e.split} documents of "${e.corpusName}" (sequences of ${e.maxLength} tokens, mean over ${e.seeds} mask seeds):`,
  mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t(per seed ${m.loss.perSeed.map((x) => x.toFixed(4)).join(', ')})\t${m.name}\ttokenizer group ${m.group + 1}`,
  mlmNotComparable: 'Models in different tokenizer groups predict different tokens: their losses are not comparable.',
  vocabLearned: (r: VocabResult) => `Learned ${r.vocabSize.toLocaleString('en')} tokens from ${r.words.toLocaleString('en')} distinct words; wrote ${r.files.join(', ')} to ${r.path}`,
  extended: (r: { path: string; from: number; to: number }) => `Position embeddings interpolated from ${r.from} to ${r.to} positions; model written to ${r.path}`,
  exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
    `Exported run ${runId} as ${merged ? 'a merged Hugging Face model' : 'a PEFT LoRA adapter'} to ${r.path}:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
  run: (r: TrainRunInfo) =>
    `${r.id}\t${r.status}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `lr ${r.best.learningRate} epoch ${r.best.epoch}` : '-'}\t${r.test ? `macro-F1 ${r.test.macro.f1.toFixed(4)} accuracy ${r.test.accuracy.toFixed(4)}` : '-'}`,
};

/** Every message the CLI prints, keyed by name; each language must have every key, with the same parameters. */
export type CliText = typeof en;

export const text: Record<Language, CliText> = {
  en,
  ja: {
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
    trained: (r: TrainResult) =>
      `学習実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。最良: 学習率 ${r.best?.learningRate}、エポック ${r.best?.epoch}（検証損失 ${r.best?.validationLoss.toFixed(4)}）。\n` +
      (r.test ? `  テスト（${r.test.documents} 件）: 正解率 ${r.test.accuracy.toFixed(4)}、マクロ F1 ${r.test.macro.f1.toFixed(4)}、マイクロ F1 ${r.test.micro.f1.toFixed(4)}` : ''),
    perRate: (lr: number, epoch: number, loss: number) => `  学習率 ${lr}: 最良エポック ${epoch}、検証損失 ${loss.toFixed(4)}`,
    pretrained: (r: PretrainResult) =>
      `事前学習の実行 ${r.runId} が完了しました（${r.seconds.toFixed(1)} 秒）。評価用テキストのマスク言語モデル損失 ${r.initialLoss.loss.toFixed(4)} → ${r.finalLoss.loss.toFixed(4)}。モデルの書き出し先: ${r.outputDir}`,
    mlmHeader: (e: MlmEvaluation) => `「${e.corpusName}」の ${e.split} 文書 ${e.documents} 件でのマスク言語モデル損失（${e.maxLength} トークンの系列、マスクのシード ${e.seeds} 個の平均）:`,
    mlmRow: (m: MlmModelScore) => `  ${m.loss.loss.toFixed(4)}\t（シード別 ${m.loss.perSeed.map((x) => x.toFixed(4)).join('、')}）\t${m.name}\tトークナイザーのグループ ${m.group + 1}`,
    mlmNotComparable: 'トークナイザーのグループが違うモデルは予測するトークンが異なるため、損失を比べられません。',
    vocabLearned: (r: VocabResult) => `異なり語 ${r.words.toLocaleString('ja')} 語から ${r.vocabSize.toLocaleString('ja')} 語の語彙を学習し、${r.files.join('、')} を ${r.path} に書き出しました`,
    extended: (r: { path: string; from: number; to: number }) => `位置埋め込みを ${r.from} 位置から ${r.to} 位置へ補間し、モデルを ${r.path} に書き出しました`,
    exported: (runId: number, merged: boolean, r: { path: string; files: string[] }) =>
      `実行 ${runId} を${merged ? '統合済みの Hugging Face モデル' : 'PEFT の LoRA アダプター'}として ${r.path} に書き出しました:\n${r.files.map((f) => `  ${f}`).join('\n')}`,
    run: (r: TrainRunInfo) =>
      `${r.id}\t${r.status}\t${r.name}\t${r.config.method}\t${r.config.task}\t${r.best ? `学習率 ${r.best.learningRate} エポック ${r.best.epoch}` : '-'}\t${r.test ? `マクロ F1 ${r.test.macro.f1.toFixed(4)} 正解率 ${r.test.accuracy.toFixed(4)}` : '-'}`,
  },
};
