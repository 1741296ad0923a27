// What the entity tasks exchange with main: sentences as words with their gold annotations, a
// trained extractor (its config, schema and kept values), and predicted sentences. Plain data.
import type { EntityTrainConfig } from '../../../../../common/contract';
import type { EntitySchema, EntitySpan, RelationTriple } from '../../../../../common/entities';

/** A sentence as training reads it. */
export interface EntitySentence {
  words: string[];
  entities: EntitySpan[];
  relations: RelationTriple[];
}

/** A sentence's decoded prediction: entities (word indices) and relations between them, with their probabilities. */
export interface PredictedSentence {
  entities: (EntitySpan & { score: number })[];
  relations: (RelationTriple & { score: number })[];
}

/** A finished entities run as the worker rebuilds it: its base model, config, schema and kept values. */
export interface Extractor {
  /** The entities run it comes from (named in errors). */
  runId: number;
  modelPath: string;
  config: EntityTrainConfig;
  schema: EntitySchema;
  values: Map<string, Float32Array>;
}

/** Per-word entity-tag and per-cell relation probabilities of one sentence (row-major [n × |E|], [n × n × |R|]). */
export interface TableProbabilities {
  entityProbs: Float32Array;
  relationProbs: Float32Array;
}
