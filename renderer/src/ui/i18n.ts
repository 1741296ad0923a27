// Strings of the pieces several workflows share: buttons, the corpus picker, split names and the job bar.
const en = {
  common: { ok: 'OK', cancel: 'Cancel', close: 'Close', listSeparator: ', ' },
  corpus: { label: 'Corpus', none: 'No corpus yet: import one', option: '{{name}} ({{count}})', all: 'All corpora' },
  splits: { train: 'train', dev: 'dev', test: 'test' },
  memory: { mebibytes: '{{value}} MiB', gibibytes: '{{value}} GiB' },
  jobs: {
    none: 'No jobs running.',
    percent: '{{percent}}%',
    eta: '{{eta}} left',
    /** While the rate is still uncertain: the likely range of the remaining time. */
    etaRange: '{{low}}–{{high}}',
    counts: '{{done}} / {{total}} {{unit}}',
    units: { bytes: 'MB', documents: 'documents', steps: 'steps' },
    kind: { import: 'Import', morphology: 'Morphological analysis', embed: 'Embedding', train: 'Fine-tuning', pretrain: 'Pretraining', mlm: 'Masked-LM loss', vocab: 'Vocabulary' },
    title: '{{kind}}: {{title}}',
    clear: 'Clear finished',
    showAll: 'All jobs',
    cancel: 'Cancel',
    status: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' },
  },
};

const ja: typeof en = {
  common: { ok: 'OK', cancel: 'キャンセル', close: '閉じる', listSeparator: '、' },
  corpus: { label: 'コーパス', none: 'コーパスがありません。取り込んでください', option: '{{name}}（{{count}}）', all: 'すべてのコーパス' },
  splits: { train: 'train', dev: 'dev', test: 'test' },
  memory: { mebibytes: '{{value}} MiB', gibibytes: '{{value}} GiB' },
  jobs: {
    none: '実行中のジョブはありません。',
    percent: '{{percent}}%',
    eta: '残り {{eta}}',
    etaRange: '{{low}}〜{{high}}',
    counts: '{{done}} / {{total}} {{unit}}',
    units: { bytes: 'MB', documents: '文書', steps: 'ステップ' },
    kind: { import: '取り込み', morphology: '形態素解析', embed: '埋め込み', train: 'ファインチューニング', pretrain: '事前学習', mlm: 'マスク言語モデル損失', vocab: '語彙の学習' },
    title: '{{kind}}: {{title}}',
    clear: '終了したジョブを消す',
    showAll: 'すべてのジョブ',
    cancel: '中止',
    status: { queued: '待機中', running: '実行中', done: '完了', failed: '失敗', cancelled: '中止済み' },
  },
};

export const strings = { en, ja };
