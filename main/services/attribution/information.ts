// The implicit-weighting study's analysis of attribution runs as a job: word counts of a corpus
// and each run's word contributions from the compute worker (tasks/attribution/information.ts),
// then P(w) with add-one smoothing and the correlations of contribution with −log P(w) and P(w)
// (main/ml/attribution/information.ts). The result, with a sample of the points for the scatter
// plot, is the job's.
import { informationScatterLimit, type CorrelationInfo, type Handlers, type InformationResult, type InformationRunReport } from '../../../common/contract';
import { ShirabeError } from '../../../common/errors';
import { mulberry32 } from '../../../common/random';
import { analyseInformation, smoothedProbability, type Correlation } from '../../ml/attribution/information';
import type { ServiceContext } from '../context';

/** At most informationScatterLimit points for the scatter plot, a seeded sample in their order when there are more. */
function scatterSample(points: readonly { word: string; contribution: number; information: number }[], seed: number): InformationRunReport['points'] {
  let kept = points;
  if (points.length > informationScatterLimit) {
    const rand = mulberry32(seed);
    // Reservoir sampling of indices, then back in order.
    const chosen = Array.from({ length: informationScatterLimit }, (_, i) => i);
    for (let i = informationScatterLimit; i < points.length; i++) {
      const j = Math.floor(rand() * (i + 1));
      if (j < informationScatterLimit) chosen[j] = i;
    }
    kept = chosen.sort((a, b) => a - b).map((i) => points[i]);
  }
  return { information: kept.map((p) => p.information), contribution: kept.map((p) => p.contribution), words: kept.map((p) => p.word) };
}

/** The study's analysis: word counts and contributions from the worker, the correlations here. */
export function informationHandler(deps: ServiceContext): Handlers['attribution.information'] {
  return async (config) => {
    const store = deps.projects.require();
    const chosen = config.runIds.map((id) => store.attribution.get(id));
    for (const r of chosen) if (r.done === 0) throw new ShirabeError('attributionRunEmpty', { id: r.id });
    const frequencyTexts = store.documents.labelled(config.frequencyCorpusId).map((d) => d.text);
    // Subwords are the runs' own model's: one model for all of them.
    const models = [...new Set(chosen.map((r) => r.model.path))];
    if (config.unit === 'subword' && models.length > 1) throw new ShirabeError('attributionInformationModels', { count: models.length });
    const job = deps.jobs.submit({
      kind: 'information',
      title: `${chosen.map((r) => r.name).join(' · ')} · P(w) ${store.corpora.require(config.frequencyCorpusId).name}`,
      unit: 'documents',
      body: async (ctx): Promise<InformationResult> => {
        const started = Date.now();
        const input = {
          frequencyTexts,
          unit: config.unit,
          withoutSymbols: config.withoutSymbols,
          modelPath: config.unit === 'subword' ? models[0] : null,
          runs: chosen.map((r) => ({
            runId: r.id,
            signed: r.signed,
            documents: store.attribution.documents(r.id).map((d) => {
              const stored = store.attribution.document(r.id, d.documentId)!;
              return { text: store.documents.get(d.documentId).text, tokens: stored.tokens, scores: stored.scores };
            }),
          })),
        };
        const { output } = await deps.compute.run('information', input, { signal: ctx.signal, onProgress: ctx.progress });
        const frequencies = { counts: new Map(output.frequencies), total: output.total };
        const probability = smoothedProbability(frequencies);
        const reports = output.occurrences.map((o) => {
          const run = chosen.find((r) => r.id === o.runId)!;
          const a = analyseInformation(
            o.words.map((word, i) => ({ word, contribution: o.contributions[i] })),
            probability,
            { samples: config.bootstrap, seed: config.seed },
          );
          const info = (c: Correlation): CorrelationInfo => ({ value: c.value, fisher: c.fisher, bootstrap: c.bootstrap });
          return {
            runId: run.id,
            name: run.name,
            target: run.config.target,
            n: a.points.length,
            information: { pearson: info(a.information.pearson), spearman: info(a.information.spearman) },
            probability: { pearson: info(a.probability.pearson), spearman: info(a.probability.spearman) },
            fit: a.fit,
            points: scatterSample(a.points, config.seed),
          };
        });
        return { frequencyCorpusId: config.frequencyCorpusId, unit: config.unit, tokens: output.total, types: output.frequencies.length, runs: reports, seconds: (Date.now() - started) / 1000 };
      },
    });
    deps.remember(job.id, { ...config, version: deps.version });
    return { jobId: job.id };
  };
}
