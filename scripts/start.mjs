// `npm start`: build, then open the desktop app. Where the Electron binary is missing (an
// install without internet, or ELECTRON_SKIP_BINARY_DOWNLOAD), say so, how to get it, and
// point to browser mode, which needs no Electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// SHIRABE_NO_BUILD=1 skips the build (the test of the message below).
if (!process.env.SHIRABE_NO_BUILD) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

let electronBinary = null;
try {
  electronBinary = createRequire(import.meta.url)('electron');
} catch {
  electronBinary = null;
}
if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
  const ja = /^ja/i.test(process.env.LC_ALL || process.env.LANG || '');
  console.error(
    ja
      ? [
          'Electron の実行ファイルがありません（インターネットなしでインストールしたか、ELECTRON_SKIP_BINARY_DOWNLOAD が設定されていました）。',
          '入手するには、インターネットに接続して次を実行してください:  node node_modules/electron/install.js',
          'Electron なしでも、ブラウザモードで同じ画面を使えます:  npx shirabe serve [プロジェクト.shirabe]',
        ].join('\n')
      : [
          'The Electron binary is missing (installed without internet, or with ELECTRON_SKIP_BINARY_DOWNLOAD set).',
          'To get it, connect to the internet and run:  node node_modules/electron/install.js',
          'Without Electron, the same UI runs in your browser:  npx shirabe serve [project.shirabe]',
        ].join('\n'),
  );
  process.exit(1);
}
const child = spawn(electronBinary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
