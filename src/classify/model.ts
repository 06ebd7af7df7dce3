// Pure: the learned combination of rule signals — a logistic model (human vs automatic) scored in integers.
import type { Signal } from './types.ts';

/**
 * Rule families the training corpus cannot show: they need the probe (its text, its send time, the vendor's
 * earlier replies). Their hand-set weights are added as they are, scaled into the model's units.
 */
const contextRulePrefixes: readonly string[] = ['timing.', 'quoting.', 'fingerprint.'];

const isContextRule = (rule: string): boolean => contextRulePrefixes.some((p) => rule.startsWith(p));

/** A rule's signal as a model feature: the rule and which side it speaks for. */
export const featureKey = (s: Pick<Signal, 'rule' | 'label'>): string => `${s.rule}:${s.label === 'human' ? '+' : '-'}`;

/** Signal weights are kept to two decimals: as integers in hundredths. */
const toHundredths = (weight: number): number => Math.round(weight * 100);

export interface ClassifierModel {
  version: 1;
  /** Integer thousandths of a logit unit. */
  bias: number;
  /** Feature key → integer thousandths of a logit unit per 1.00 of signal weight. */
  weights: Record<string, number>;
  /** Logit units (thousandths) per 1.00 of a context rule's weight. */
  contextScale: number;
  /** The same for a feature the model has no weight for (never seen in training): its hand-set weight, scaled. */
  unseenScale: number;
  /** true: a label needs evidence on its own side; false (the header-only baseline): the bias may decide alone. */
  requireEvidence: boolean;
  /**
   * Least evidence (thousandths of a logit) the winning side must bring on its own, bias aside: the bias reflects
   * the training mix, and must not turn one weak signal into a verdict either way.
   */
  minEvidence?: number;
  /** A logit at or above this (in thousandths) is human; at or below `automaticAt`, automatic; between: unknown. */
  humanAt: number;
  automaticAt: number;
  /** How it was trained: sources, counts, options; kept for the record, never read by the classifier. */
  trainedOn?: unknown;
}

interface Contribution {
  rule: string;
  feature: string;
  /** In units of 1e-5 logit (thousandths × hundredths): exact integer sums. */
  units: number;
}

interface ModelScore {
  /** Logit in units of 1e-5. */
  logitUnits: number;
  /** Same scale: bias, then one entry per signal. */
  biasUnits: number;
  contributions: Contribution[];
  /** Sum of the positive (human-side) contributions, bias excluded. */
  humanEvidenceUnits: number;
  /** Sum of the negative (automatic-side) contributions, as a positive number. */
  automaticEvidenceUnits: number;
}

export const UNITS_PER_LOGIT = 100_000;

export function scoreSignals(model: ClassifierModel, signals: readonly Signal[]): ModelScore {
  const biasUnits = model.bias * 100;
  let logitUnits = biasUnits;
  let humanEvidenceUnits = 0;
  let automaticEvidenceUnits = 0;
  const contributions: Contribution[] = [];
  for (const s of signals) {
    if (s.label === 'unknown') continue;
    const feature = featureKey(s);
    const x = toHundredths(s.weight);
    const side = s.label === 'human' ? 1 : -1;
    const w = isContextRule(s.rule) ? side * model.contextScale : (model.weights[feature] ?? side * model.unseenScale);
    const units = w * x;
    if (units === 0) continue;
    contributions.push({ rule: s.rule, feature, units });
    logitUnits += units;
    if (units > 0) humanEvidenceUnits += units;
    else automaticEvidenceUnits -= units;
  }
  return { logitUnits, biasUnits, contributions, humanEvidenceUnits, automaticEvidenceUnits };
}

/** One training example: the signals the rule families gave, and whether a person wrote the mail. */
export interface TrainingSample {
  signals: readonly Pick<Signal, 'rule' | 'label' | 'weight'>[];
  human: boolean;
  /** Where it came from; samples are weighted so that every source counts alike within its class. */
  source: string;
}

export interface TrainOptions {
  /** L2 penalty on weights (not the bias). */
  l2: number;
  iterations: number;
  learningRate: number;
  /** Weight of a false human relative to a missed human in the loss (the costly error weighs more). */
  automaticCost: number;
  /**
   * Weights shrink toward the hand-set ones (± this many logits per 1.00 of signal weight), not toward zero: a rule
   * the corpus rarely shows keeps roughly its hand weight, one it shows often is corrected by the data.
   */
  priorScale: number;
}

export const defaultTrainOptions: TrainOptions = { l2: 0.002, iterations: 3000, learningRate: 0.5, automaticCost: 2, priorScale: 1 };

interface Sparse {
  keys: number[];
  values: number[];
  y: 0 | 1;
  weight: number;
}

/**
 * Fits the weights of the learnable features by full-batch gradient descent on a weighted logistic loss (classes and
 * sources balanced, false humans costed higher), deterministic for the same input. Thresholds and the context scale
 * are not fitted here: the caller keeps them (see `calibrate`).
 */
export function trainWeights(
  samples: readonly TrainingSample[],
  options: TrainOptions = defaultTrainOptions,
): { bias: number; weights: Record<string, number> } {
  const index = new Map<string, number>();
  const rows: Sparse[] = [];
  const perGroup = new Map<string, number>();
  for (const s of samples) perGroup.set(`${s.human}|${s.source}`, (perGroup.get(`${s.human}|${s.source}`) ?? 0) + 1);
  const classSources = (human: boolean) => new Set(samples.filter((s) => s.human === human).map((s) => s.source)).size || 1;
  for (const s of samples) {
    const keys: number[] = [];
    const values: number[] = [];
    const merged = new Map<string, number>();
    for (const sig of s.signals) {
      if (sig.label === 'unknown' || isContextRule(sig.rule)) continue;
      const key = featureKey(sig);
      merged.set(key, (merged.get(key) ?? 0) + toHundredths(sig.weight) / 100);
    }
    for (const [key, value] of merged) {
      let k = index.get(key);
      if (k === undefined) {
        k = index.size;
        index.set(key, k);
      }
      keys.push(k);
      values.push(value);
    }
    const group = perGroup.get(`${s.human}|${s.source}`) ?? 1;
    const cost = s.human ? 1 : options.automaticCost;
    rows.push({ keys, values, y: s.human ? 1 : 0, weight: cost / (group * classSources(s.human)) });
  }
  const total = rows.reduce((a, r) => a + r.weight, 0) || 1;
  for (const r of rows) r.weight /= total;
  const prior = new Float64Array(index.size);
  const forPerson = new Uint8Array(index.size);
  for (const [key, k] of index) {
    forPerson[k] = key.endsWith(':+') ? 1 : 0;
    prior[k] = (forPerson[k] ? 1 : -1) * options.priorScale;
  }
  const w = Float64Array.from(prior);
  let b = 0;
  const grad = new Float64Array(index.size);
  for (let it = 0; it < options.iterations; it++) {
    grad.fill(0);
    let gb = 0;
    for (const r of rows) {
      let z = b;
      for (let j = 0; j < r.keys.length; j++) z += (w[r.keys[j] ?? 0] ?? 0) * (r.values[j] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      const g = (p - r.y) * r.weight;
      gb += g;
      for (let j = 0; j < r.keys.length; j++) {
        const k = r.keys[j] ?? 0;
        grad[k] = (grad[k] ?? 0) + g * (r.values[j] ?? 0);
      }
    }
    b -= options.learningRate * gb;
    for (let k = 0; k < w.length; k++) {
      const next = (w[k] ?? 0) - options.learningRate * ((grad[k] ?? 0) + options.l2 * ((w[k] ?? 0) - (prior[k] ?? 0)));
      // Each rule speaks for its own side or not at all: a person's sign never counts for a machine, nor the reverse.
      w[k] = forPerson[k] ? Math.max(0, next) : Math.min(0, next);
    }
  }
  const weights: Record<string, number> = {};
  for (const [key, k] of [...index].sort((a, c) => a[0].localeCompare(c[0]))) {
    weights[key] = Math.round((w[k] ?? 0) * 1000);
  }
  return { bias: Math.round(b * 1000), weights };
}
