// Strings come in namespaces, one beside each part of the UI that uses them (a workflow's
// i18n.ts, the run scaffold's, the shared pieces'), each with English and Japanese of one shape.
// They are merged into one tree per language, so a key reads the same wherever it is used
// (t('train.title')); two namespaces may add to one branch (each workflow adds its nav.<id>) but
// never define the same key.

export interface StringTree {
  [key: string]: string | StringTree;
}

/** One namespace: the same keys in both languages (ja is typed by en, and i18n.test.ts checks it). */
export interface Strings {
  en: StringTree;
  ja: StringTree;
}

/** The trees merged; a key defined twice (or a string where another namespace has a branch) throws, naming the key. */
export function mergeStrings(trees: readonly StringTree[], path = ''): StringTree {
  const out: StringTree = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      const at = path ? `${path}.${key}` : key;
      const known = out[key];
      if (known === undefined) out[key] = typeof value === 'string' ? value : mergeStrings([value], at);
      else if (typeof known === 'string' || typeof value === 'string') throw new Error(`i18n: "${at}" is defined twice`);
      else out[key] = mergeStrings([known, value], at);
    }
  }
  return out;
}

/** Every namespace merged, per language. */
export function gatherStrings(namespaces: readonly Strings[]): Strings {
  return { en: mergeStrings(namespaces.map((n) => n.en)), ja: mergeStrings(namespaces.map((n) => n.ja)) };
}
