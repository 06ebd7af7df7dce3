// Reading the alert engine's stored rows: a probe as the rules see it, an open regression's frozen baseline, and the
// evidence an alert fired with.
import type { AlertProbeRow, AlertRow } from '../store/alerts.ts';
import type { FrozenBaseline, ProbePoint } from './rules.ts';

export function toProbePoint(row: AlertProbeRow): ProbePoint {
  return {
    id: row.id,
    tier: row.tier,
    failed: row.state === 'send_failed',
    errorCode: row.error_code,
    errorText: row.error_text,
    scheduledAt: row.scheduled_at,
    sentAt: row.sent_at,
    deadlineAt: row.deadline_at,
    expiresAt: row.expires_at,
    firstHumanAt: row.first_human_at,
    awaitingReview: row.review_since !== null,
  };
}

/** The baseline an open regression alert was opened against, from its stored numbers. */
export function frozenBaselineOf(alert: AlertRow): FrozenBaseline | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(alert.details);
  } catch {
    return undefined; // not our JSON: judge it against a sliding baseline instead
  }
  const numbers = parsed !== null && typeof parsed === 'object' && 'numbers' in parsed ? parsed.numbers : undefined;
  if (numbers === null || typeof numbers !== 'object') return undefined;
  const from = 'baseline_from' in numbers ? numbers.baseline_from : undefined;
  const to = 'baseline_to' in numbers ? numbers.baseline_to : undefined;
  return typeof from === 'number' && typeof to === 'number' ? { from, to } : undefined;
}

/** The facts an alert said while it fired (its stored evidence, or its facts from before evidence was kept). */
export function evidenceOf(alert: AlertRow): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(alert.details);
  } catch {
    return undefined; // not our JSON: nothing to carry over
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  if ('evidence' in parsed && parsed.evidence !== undefined) return parsed.evidence;
  return 'facts' in parsed && !('recovering' in parsed) ? parsed.facts : undefined;
}
