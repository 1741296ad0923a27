// The frame's strings: the app's name, the header, the project screen and the navigation's own entries.
const en = {
  app: { name: 'Shirabe' },
  header: { otherLanguage: '日本語', darkTheme: 'Dark', lightTheme: 'Light' },
  nav: {
    maps: 'Maps & topics',
    attribution: 'Attribution',
    entities: 'Entities',
    coming: 'coming',
    comingHint: 'Planned for a later version of Shirabe',
    needsProject: 'Open a project first',
    needsCorpus: 'Import a corpus first',
  },
  project: {
    welcome: 'Welcome to Shirabe',
    intro: 'A project is one file that holds your corpora, analyses and results. Create a new one or open an existing one.',
    new: 'New project…',
    open: 'Open project…',
    recent: 'Recent projects',
    noRecent: 'No recent projects yet.',
    pathLabel: 'Path on the server',
    newHint: 'Where to create the project file on the computer running Shirabe, e.g. /home/me/research/news.shirabe',
    openHint: 'The path of an existing .shirabe project file on the computer running Shirabe.',
    copyHint: 'Where to save a copy of this project on the computer running Shirabe.',
    saveCopy: 'Save a copy…',
    close: 'Close',
    copySaved: 'Copy saved: {{path}}',
  },
};

const ja: typeof en = {
  app: { name: 'Shirabe' },
  header: { otherLanguage: 'English', darkTheme: 'ダーク', lightTheme: 'ライト' },
  nav: {
    maps: 'マップとトピック',
    attribution: '根拠の可視化',
    entities: '固有表現',
    coming: '準備中',
    comingHint: '今後の版で追加予定です',
    needsProject: '先にプロジェクトを開いてください',
    needsCorpus: '先にコーパスを取り込んでください',
  },
  project: {
    welcome: 'Shirabe へようこそ',
    intro: 'プロジェクトは、コーパス・分析・結果をまとめて保存する 1 つのファイルです。新しく作成するか、既存のものを開いてください。',
    new: '新規プロジェクト…',
    open: 'プロジェクトを開く…',
    recent: '最近使ったプロジェクト',
    noRecent: '最近使ったプロジェクトはまだありません。',
    pathLabel: 'サーバー上のパス',
    newHint: 'Shirabe を動かしているコンピューター上で、プロジェクトファイルを作る場所（例: /home/me/research/news.shirabe）',
    openHint: 'Shirabe を動かしているコンピューター上にある .shirabe プロジェクトファイルのパス',
    copyHint: 'Shirabe を動かしているコンピューター上で、このプロジェクトのコピーを保存する場所',
    saveCopy: 'コピーを保存…',
    close: '閉じる',
    copySaved: 'コピーを保存しました: {{path}}',
  },
};

export const strings = { en, ja };
