// Cron expressions as the scheduler reads them (node-cron syntax, 5 or 6 fields): what is wrong with one, in words.
import cron from 'node-cron';

/** Why an expression cannot be scheduled, or undefined when it can. Natural language ("every tuesday 3am") is refused. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (!/^[\d*/,\-LW#?a-zA-Z@\s]+$/.test(expression) || (fields.length !== 5 && fields.length !== 6 && !expression.trim().startsWith('@'))) {
    return `not a cron expression: "${expression}" (use 5 fields "minute hour day-of-month month day-of-week", e.g. "0 3 * * tue")`;
  }
  const verdict = cron.validateDetailed(expression);
  if (!verdict.valid) {
    const reasons = verdict.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`));
    return `not a cron expression: "${expression}" (${reasons.join('; ')})`;
  }
  const parsed = cron.parse(expression);
  const unsupported = [...parsed.dayOfMonth, ...parsed.dayOfWeek].filter((v) => typeof v === 'string' && v !== 'L');
  if (unsupported.length > 0) return `cron "${expression}": ${unsupported.join(', ')} is not supported`;
  return undefined;
}
