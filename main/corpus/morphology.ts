// Japanese morphological analysis with kuromoji and its bundled IPADIC dictionary.
import kuromoji, { type Tokenizer } from 'kuromoji';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Morpheme } from '../../common/contract';
import { ShirabeError } from '../../common/errors';

type KuromojiTokenizer = Tokenizer;

/** The IPADIC dictionary that ships inside the kuromoji package. */
export function defaultDictionaryPath(): string {
  // In the CommonJS bundle `require` is the real one; in ESM (vitest, tsx) resolve from the
  // working directory, which is the repository root there.
  const req: NodeJS.Require = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'noop.js'));
  return join(dirname(req.resolve('kuromoji/package.json')), 'dict');
}

function feature(value: string | undefined): string {
  return value === undefined || value === '*' ? '' : value;
}

const cache = new Map<string, Promise<Morphology>>();

export class Morphology {
  private constructor(private readonly tokenizer: KuromojiTokenizer) {}

  /** Loads the dictionary (about a second) once per path; later calls share the instance. */
  static load(dicPath?: string): Promise<Morphology> {
    const path = dicPath ?? defaultDictionaryPath();
    let loading = cache.get(path);
    if (!loading) {
      loading = new Promise<Morphology>((resolve, reject) => {
        kuromoji.builder({ dicPath: path }).build((err, tokenizer) => {
          if (err) reject(new ShirabeError('internal', { detail: `morphological dictionary at ${path}: ${err.message}` }, { cause: err }));
          else resolve(new Morphology(tokenizer));
        });
      });
      cache.set(path, loading);
      loading.catch(() => cache.delete(path));
    }
    return loading;
  }

  /**
   * Morphemes with [start, end) offsets in UTF-16 code units of `text`. The offsets are found
   * by walking the text (kuromoji's word_position is unreliable after its sentence splits).
   */
  analyse(text: string): Morpheme[] {
    if (text === '') return [];
    const tokens = this.tokenizer.tokenize(text);
    const out: Morpheme[] = [];
    let cursor = 0;
    for (const t of tokens) {
      const surface = t.surface_form;
      let start = text.startsWith(surface, cursor) ? cursor : text.indexOf(surface, cursor);
      if (start < 0) start = cursor;
      const end = Math.min(text.length, start + surface.length);
      cursor = end;
      out.push({
        surface,
        pos: feature(t.pos),
        posDetail: [t.pos_detail_1, t.pos_detail_2, t.pos_detail_3].map(feature).filter((d) => d !== ''),
        baseForm: feature(t.basic_form),
        reading: feature(t.reading),
        pronunciation: feature(t.pronunciation),
        start,
        end,
      });
    }
    return out;
  }
}
