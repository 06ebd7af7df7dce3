// Fits the classifier's model on labeled corpora: signals from the rule families, weights by logistic regression.
import type { CorpusMail } from './evaluate.ts';
import { signalsOf } from './classify-email.ts';
import { defaultTrainOptions, trainWeights, type ClassifierModel, type TrainOptions, type TrainingSample } from './model.ts';
import { shippedModel } from './model-weights.ts';

/**
 * Training samples: each mail's signals in the context the corpus gives (no template memory: that is built per
 * vendor at run time, not learned). Bounces count as automatic; spam, out of domain, is left out.
 */
function samplesOf(mails: readonly CorpusMail[]): TrainingSample[] {
  return mails
    .filter((m) => !m.outOfDomain)
    .map((m) => ({
      signals: signalsOf(m.mail, m.ctx).signals,
      human: m.expected === 'human',
      source: m.source,
    }));
}

/** A model fitted on these mails; thresholds, context and unseen-feature scales are kept from `base`. */
export function fitModel(mails: readonly CorpusMail[], options: TrainOptions = defaultTrainOptions, base: ClassifierModel = shippedModel): ClassifierModel {
  const fitted = trainWeights(samplesOf(mails), options);
  return { ...base, bias: fitted.bias, weights: fitted.weights, trainedOn: undefined };
}
