// The run scaffold's strings: what every kind of run says the same way (status, actions, the runs
// table's common columns, the job panel, the record). A workflow's own words stay in its namespace.
const en = {
  runs: {
    status: { running: 'Running', interrupted: 'Interrupted', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' },
    statusHints: {
      running: 'Running now.',
      interrupted: 'Stopped before the end (the app or computer stopped): it can be resumed from its last checkpoint.',
      done: 'Finished.',
      failed: 'Stopped by an error; the message is on the run page.',
      cancelled: 'Cancelled by the user.',
    },
    resume: 'Resume',
    resumeHint: 'Continue this stopped run from its last checkpoint (from the start if it has none).',
    rerun: 'Re-run',
    rerunHint: 'Start a new run with the same config and seed: on the same backend it gives the same numbers.',
    delete: 'Delete',
    deleteTitle: 'Delete this run?',
    columns: { name: 'Name', corpus: 'Corpus', status: 'Status', created: 'Created', duration: 'Time' },
    job: {
      queued: 'Waiting for the compute worker…',
      preparing: 'Preparing…',
      progress: 'Step {{done}} of {{total}} ({{percent}}%)',
    },
    elsewhere: 'This run is running in another window or from the command line; this page looks for news every few seconds.',
    interrupted: 'Stopped before the end. The last checkpoint is at step {{step}}, saved {{at}}. "Resume" continues from there.',
    interruptedNoCheckpoint: 'Stopped before the first checkpoint: "Resume" starts it again from the beginning.',
    failed: 'The run failed: {{message}}',
    cancelled: 'The run was cancelled. Its curves up to then are kept.',
    record: {
      title: 'Record',
      dataHash: 'Data hash (SHA-256)',
      backend: 'Backend',
      versions: 'Versions',
      memory: 'Measured peak memory',
      memoryValue: '{{tensors}} of tensors (one step profiled) · {{rss}} process resident',
      created: 'Started',
      finished: 'Finished',
      duration: 'took {{time}}',
      checkpoint: 'Last checkpoint',
    },
    wizard: { back: 'Back', next: 'Next' },
  },
};

const ja: typeof en = {
  runs: {
    status: { running: '実行中', interrupted: '中断', done: '完了', failed: '失敗', cancelled: '中止済み' },
    statusHints: {
      running: '実行中です。',
      interrupted: '最後まで終わらずに止まりました (アプリやコンピューターが停止)。最後のチェックポイントから再開できます。',
      done: '完了しました。',
      failed: 'エラーで止まりました。メッセージは実行のページにあります。',
      cancelled: 'ユーザーが中止しました。',
    },
    resume: '再開',
    resumeHint: '止まった実行を最後のチェックポイントから続けます (チェックポイントがなければ最初から)。',
    rerun: '再実行',
    rerunHint: '同じ設定と乱数シードで新しい実行を始めます。同じバックエンドなら同じ数値になります。',
    delete: '削除',
    deleteTitle: 'この実行を削除しますか?',
    columns: { name: '名前', corpus: 'コーパス', status: '状態', created: '作成', duration: '所要時間' },
    job: {
      queued: '計算ワーカーを待っています…',
      preparing: '準備中…',
      progress: 'ステップ {{done}} / {{total}} ({{percent}}%)',
    },
    elsewhere: 'この実行は別のウィンドウかコマンドラインで実行中です。このページは数秒ごとに状況を確かめます。',
    interrupted: '最後まで終わらずに止まりました。最後のチェックポイントはステップ {{step}} で、{{at}} に保存しました。「再開」でそこから続けます。',
    interruptedNoCheckpoint: '最初のチェックポイントより前に止まりました。「再開」で最初からやり直します。',
    failed: '実行に失敗しました: {{message}}',
    cancelled: '実行を中止しました。それまでの学習曲線は残っています。',
    record: {
      title: '記録',
      dataHash: 'データのハッシュ (SHA-256)',
      backend: 'バックエンド',
      versions: 'バージョン',
      memory: '実測のピークメモリ',
      memoryValue: 'テンソル {{tensors}}（1 ステップを計測）・プロセス常駐 {{rss}}',
      created: '開始',
      finished: '終了',
      duration: '所要 {{time}}',
      checkpoint: '最後のチェックポイント',
    },
    wizard: { back: '戻る', next: '次へ' },
  },
};

export const strings = { en, ja };
