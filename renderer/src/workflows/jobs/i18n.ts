// The Jobs view's strings.
const en = {
  nav: { jobs: 'Jobs' },
  jobsView: {
    title: 'Jobs',
    intro: 'Every job started in this session, newest first.',
    empty: 'No jobs in this session yet.',
    columns: { kind: 'Kind', title: 'Title', status: 'Status', progress: 'Progress', started: 'Started', time: 'Time', message: 'Message' },
    progress: '{{done}} / {{total}} {{unit}} ({{percent}}%)',
    progressEta: '{{done}} / {{total}} {{unit}} ({{percent}}%) · {{eta}} left',
    units: { bytes: 'bytes', documents: 'documents', steps: 'steps' },
    seconds: '{{seconds}} s',
    history: 'Earlier in this project',
    historyIntro: 'Jobs of earlier sessions, as the project file keeps them (the newest 500).',
    historyEmpty: 'No earlier jobs in this project.',
    finished: 'Finished',
  },
};

const ja: typeof en = {
  nav: { jobs: 'ジョブ' },
  jobsView: {
    title: 'ジョブ',
    intro: 'このセッションで始めたジョブの一覧（新しい順）',
    empty: 'このセッションのジョブはまだありません。',
    columns: { kind: '種類', title: '名前', status: '状態', progress: '進み具合', started: '開始', time: '所要時間', message: 'メッセージ' },
    progress: '{{done}} / {{total}} {{unit}}（{{percent}}%）',
    progressEta: '{{done}} / {{total}} {{unit}}（{{percent}}%）· 残り {{eta}}',
    units: { bytes: 'バイト', documents: '文書', steps: 'ステップ' },
    seconds: '{{seconds}} 秒',
    history: 'このプロジェクトの以前のジョブ',
    historyIntro: '以前のセッションのジョブ（プロジェクトファイルに残る新しい 500 件）',
    historyEmpty: 'このプロジェクトに以前のジョブはありません。',
    finished: '終了',
  },
};

export const strings = { en, ja };
