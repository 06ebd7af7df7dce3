// Pure: ranks a trial's vendors by weighted dimension scores (each dimension scaled best = 1 … worst = 0 across the vendors).
import { trialDimensions, type TrialDimension } from '../config/trial.ts';

/** A vendor's figure per dimension; null where it has none (that dimension is then left out of the ranking). */
interface RankingInput {
  vendor: string;
  figures: Record<TrialDimension, number | null>;
}

/** Whether a smaller figure is better. */
const smallerIsBetter: Record<TrialDimension, boolean> = { first_reply: true, sla: false, no_reply: true, resolution: true };

export interface RankedVendor {
  vendor: string;
  rank: number;
  /** Weighted mean of the dimension scores, 0..1. */
  score: number;
  scores: Partial<Record<TrialDimension, number>>;
}

export interface Ranking {
  /** Dimensions that count, with their weights. */
  weights: Partial<Record<TrialDimension, number>>;
  /** Dimensions left out and why. */
  leftOut: { dimension: TrialDimension; reason: string; why: 'weight_zero' | 'no_vendor' | 'missing'; missing: string[] }[];
  vendors: RankedVendor[];
}

const defaultWeight = 1;

export function rankVendors(inputs: readonly RankingInput[], weights: Partial<Record<TrialDimension, number>>): Ranking {
  const used: Partial<Record<TrialDimension, number>> = {};
  const leftOut: Ranking['leftOut'] = [];
  for (const dimension of trialDimensions) {
    const weight = weights[dimension] ?? defaultWeight;
    const missing = inputs.filter((v) => v.figures[dimension] === null).map((v) => v.vendor);
    if (weight === 0) leftOut.push({ dimension, reason: 'weight 0', why: 'weight_zero', missing });
    else if (inputs.length > 0 && missing.length === inputs.length) leftOut.push({ dimension, reason: 'no vendor has this figure', why: 'no_vendor', missing });
    else if (missing.length > 0) leftOut.push({ dimension, reason: `no figure for ${missing.join(', ')}`, why: 'missing', missing });
    else used[dimension] = weight;
  }
  const totalWeight = Object.values(used).reduce((a, b) => a + b, 0);
  const scored = inputs.map((input) => {
    const scores: Partial<Record<TrialDimension, number>> = {};
    let sum = 0;
    for (const dimension of trialDimensions) {
      const weight = used[dimension];
      if (weight === undefined) continue;
      const values = inputs.map((v) => v.figures[dimension] ?? 0);
      const min = Math.min(...values);
      const max = Math.max(...values);
      const own = input.figures[dimension] ?? 0;
      const scaled = max === min ? 1 : (own - min) / (max - min);
      const score = smallerIsBetter[dimension] ? (max === min ? 1 : 1 - scaled) : scaled;
      scores[dimension] = score;
      sum += score * weight;
    }
    return { vendor: input.vendor, score: totalWeight > 0 ? sum / totalWeight : 0, scores };
  });
  const ordered = [...scored].sort((a, b) => b.score - a.score || a.vendor.localeCompare(b.vendor));
  const vendors: RankedVendor[] = [];
  ordered.forEach((v, i) => {
    const previous = vendors[i - 1];
    const tied = previous !== undefined && Math.abs(previous.score - v.score) < 1e-9;
    vendors.push({ ...v, rank: tied ? previous.rank : i + 1 });
  });
  return { weights: used, leftOut, vendors };
}
