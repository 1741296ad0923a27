import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Language } from '../common/messages';

export interface MenuActions {
  newProject(): void;
  openProject(): void;
  openRecent(path: string): void;
  saveCopy(): void;
  closeProject(): void;
  setLanguage(language: Language): void;
}

const labels = {
  en: { file: 'File', new: 'New Project…', open: 'Open…', recent: 'Open Recent', none: '(none)', copy: 'Save a Copy…', close: 'Close Project', quit: 'Quit', view: 'View', lang: 'Language', edit: 'Edit' },
  ja: { file: 'ファイル', new: '新規プロジェクト…', open: '開く…', recent: '最近使ったプロジェクト', none: '（なし）', copy: 'コピーを保存…', close: 'プロジェクトを閉じる', quit: '終了', view: '表示', lang: '言語', edit: '編集' },
} as const;

export function buildMenu(language: Language, recent: string[], actions: MenuActions): Menu {
  const l = labels[language];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: l.file,
      submenu: [
        { label: l.new, accelerator: 'CmdOrCtrl+N', click: actions.newProject },
        { label: l.open, accelerator: 'CmdOrCtrl+O', click: actions.openProject },
        {
          label: l.recent,
          submenu: recent.length ? recent.map((p) => ({ label: p, click: () => actions.openRecent(p) })) : [{ label: l.none, enabled: false }],
        },
        { type: 'separator' },
        { label: l.copy, accelerator: 'CmdOrCtrl+Shift+S', click: actions.saveCopy },
        { label: l.close, accelerator: 'CmdOrCtrl+W', click: actions.closeProject },
        { type: 'separator' },
        { role: 'quit', label: l.quit },
      ],
    },
    { label: l.edit, role: 'editMenu' },
    {
      label: l.view,
      submenu: [
        { label: l.lang, submenu: [
          { label: '日本語', type: 'radio', checked: language === 'ja', click: () => actions.setLanguage('ja') },
          { label: 'English', type: 'radio', checked: language === 'en', click: () => actions.setLanguage('en') },
        ] },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
