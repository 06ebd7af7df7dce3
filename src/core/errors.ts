// Failures as values with stable codes: one catalog for every flow.
export const errorCodes = {
  CONFIG_INVALID: 'the probe definitions failed validation',
  CONFIG_MISSING_ENV: 'a ${VAR} used in a definition is not set',
  SMTP_REJECTED: 'the SMTP server refused the message permanently (5xx)',
  SMTP_TEMPORARY: 'the SMTP server deferred the message (4xx)',
  SMTP_UNREACHABLE: 'the SMTP server could not be reached',
  SEND_UNKNOWN: 'the send may or may not have happened',
  SELECTOR_MISSING: 'a page element the probe needs was not found',
  CAPTCHA: 'the page asked for a CAPTCHA',
  PAGE_FAILED: 'the page could not be loaded or submitted',
  BROWSER_FAILED: 'the browser could not be started or crashed',
  RATE_CAPPED: 'the vendor or channel rate cap forbids another probe now',
  DRILL_FORBIDDEN: 'P0/P1 templates need drills_allowed: true',
  NOT_FOUND: 'no such vendor, channel, template or probe',
  BAD_INPUT: 'the input is not valid',
  CONFLICT: 'something with that id exists already',
  UNAUTHORIZED: 'the admin token is missing or wrong',
  UNSUPPORTED: 'this server was started without what the request needs (e.g. a probe runner)',
  ABORTED: 'the operation was cancelled or passed its deadline',
  NOTIFIER_FAILED: 'an alert notifier could not deliver',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class FirstReplyError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message ?? errorCodes[code], options);
    this.name = 'FirstReplyError';
    this.code = code;
    this.details = details;
  }
}

/** A probe failed in a known way; the runner records `code` on the probe. */
export class ProbeError extends FirstReplyError {
  override readonly name = 'ProbeError';
}

export interface ConfigProblem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export class ConfigError extends FirstReplyError {
  override readonly name = 'ConfigError';
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    super('CONFIG_INVALID', problems.map(formatProblem).join('\n'));
    this.problems = problems;
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}: ${p.field || '(root)'}: ${p.message}`;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
