import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkLayers, importsOf } from '../scripts/layers.mjs';
import { repoRoot } from './paths';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layer rule', () => {
  it('finds import specifiers of every form', () => {
    expect(importsOf(`import a from 'x';\nimport { b } from "../y";\nconst c = require('z');\nawait import('w');\nimport 'side';`)).toEqual(['x', '../y', 'z', 'w', 'side']);
  });

  it('the repository follows it', () => {
    expect(checkLayers(repoRoot)).toEqual([]);
  });

  it('catches each forbidden direction', () => {
    const root = tree({
      'common/a.ts': `import { x } from '../main/services/x';\nimport fs from 'node:fs';`,
      'renderer/src/b.tsx': `import { readFileSync } from 'fs';\nimport { y } from '../../main/project/store';\nimport { ipcRenderer } from 'electron';`,
      'main/services/c.ts': `import { app } from 'electron';\nimport { z } from '../../electron/menu';\nimport { r } from '../../renderer/src/api';`,
      'main/ml/d.ts': `import Database from 'better-sqlite3';\nimport { s } from '../project/store';\nimport { readFileSync } from 'node:fs';`,
      'main/project/ok.ts': `import { ok } from '../../common/errors';\nimport Database from 'better-sqlite3';\nimport { m } from '../ml/d';`,
      'electron/ok.ts': `import { app } from 'electron';\nimport { s } from '../main/services';`,
      'main/ml/ok.test.ts': `import { readFileSync } from 'node:fs';\nimport { it } from 'vitest';`,
    });
    const problems: string[] = checkLayers(root);
    const joined = problems.join('\n');
    expect(joined).toContain("common/a.ts: common must not import main");
    expect(joined).toContain("common/a.ts: common must not import Node's 'node:fs'");
    expect(joined).toContain("renderer/src/b.tsx: renderer must not import Node's 'fs'");
    expect(joined).toContain('renderer/src/b.tsx: renderer must not import main');
    expect(joined).toContain("renderer/src/b.tsx: renderer must not import 'electron'");
    expect(joined).toContain("main/services/c.ts: main must not import 'electron'");
    expect(joined).toContain('main/services/c.ts: main must not import electron');
    expect(joined).toContain('main/services/c.ts: main must not import renderer');
    expect(joined).toContain("main/ml/d.ts: ml must not import 'better-sqlite3'");
    expect(joined).toContain('main/ml/d.ts: ml must not import main');
    expect(joined).toContain("main/ml/d.ts: ml must not import Node's 'node:fs'");
    expect(joined).not.toContain('main/project/ok.ts');
    expect(joined).not.toContain('electron/ok.ts');
    expect(joined).not.toContain('main/ml/ok.test.ts');
    expect(problems).toHaveLength(11);
  });
});
