// The fast tier (npm run test:fast, under 30 s): unit tests of pure code. Left to the full run
// (npm test) are the end-to-end tests in test/ and the few unit files that load the MeCab
// dictionary or train a model for seconds; they are listed here with the reason.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

export const slowUnitFiles = [
  'main/modelFolders/longDocuments.test.ts', // embeds long documents through a real model (≈ 25 s)
  'main/ml/pretrain/pretrain.test.ts', // pretraining loops against reference fixtures (≈ 14 s)
  'main/corpus/morphology.test.ts', // loads the MeCab-IPADIC dictionary (≈ 3 s)
  'main/modelFolders/segmenter.test.ts', // the same dictionary, for BertJapanese word splitting (≈ 3 s)
  'main/modelFolders/bertJapaneseMecab.test.ts', // loads the MeCab-IPADIC dictionary too (≈ 2 s)
  'main/project/store.test.ts', // the single-writer lock across processes: spawns node children (≈ 3 s)
  'main/ml/maps/umap.test.ts', // UMAP runs to convergence on the fixture blobs, several seeds (≈ 6 s)
  'main/ml/maps/tsne.test.ts', // t-SNE's exact and Barnes–Hut runs on the fixture (≈ 4 s)
  'main/ml/attribution/attribute.test.ts', // Integrated Gradients of every output dimension against PyTorch (≈ 11 s)
  'main/ml/simcse/train.test.ts', // SimCSE training of the default model, twice for the resume (≈ 45 s)
  'main/ml/models/memory.test.ts', // one real training step of each kind under tf.profile, against the memory estimate (≈ 30 s)
];

// Not mergeConfig: it would append to the full run's include list rather than replace it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Threads start faster than the full run's forks; nothing in this tier spawns processes.
    pool: 'threads',
    // One module cache per worker thread: the files share tfjs and zod instead of loading them 40 times.
    isolate: false,
    include: ['common/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**', ...slowUnitFiles],
  },
});
