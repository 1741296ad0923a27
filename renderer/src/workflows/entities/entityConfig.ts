// The wizard's config: the contract's defaults for a corpus and model, and the learning rates as typed.
import { entityTrainDefaults, type EntityTrainConfig } from '../../../../common/contract';
import { formatRate } from './entityCharts';

/** A config with every default of the contract (entityTrainDefaults), for a corpus and a model. */
export function defaultEntityConfig(corpusId: number, modelPath: string): EntityTrainConfig {
  const d = entityTrainDefaults;
  return {
    corpusId,
    modelPath,
    head: d.head,
    cnn: { ...d.cnn, kernel: [...d.cnn.kernel] },
    biaffine: { ...d.biaffine },
    layer: d.layer,
    encoder: d.encoder,
    lora: { ...d.lora, targets: [...d.lora.targets] },
    learningRates: d.encoder === 'frozen' ? [...d.learningRatesFrozen] : [...d.learningRatesTrained],
    headLearningRate: d.headLearningRate,
    epochs: d.epochs,
    batchSize: d.batchSize,
    maxLength: d.maxLength,
    seed: d.seed,
    weightDecay: d.weightDecay,
    warmupRatio: d.warmupRatio,
    maxGradNorm: d.maxGradNorm,
    checkpointEvery: d.checkpointEvery,
    name: '',
  };
}

/** "5e-5, 1e-4" → [5e-5, 1e-4]; null when any is not a positive number up to 1 or none is given. */
export function parseRates(text: string): number[] | null {
  const parts = text.split(/[,\s、，]+/).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const rates = parts.map(Number);
  return rates.every((r) => Number.isFinite(r) && r > 0 && r <= 1) ? rates : null;
}

export function ratesText(rates: readonly number[]): string {
  return rates.map(formatRate).join(', ');
}
