import { Menu, type MenuItemConstructorOptions } from 'electron';
import { catalogue, type Language } from '../common/messages';

export interface MenuActions {
  newProject(): void;
  openProject(): void;
  openRecent(path: string): void;
  saveCopy(): void;
  closeProject(): void;
  setLanguage(language: Language): void;
}

export function buildMenu(language: Language, recent: string[], actions: MenuActions): Menu {
  const l = catalogue(language).menu;
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
