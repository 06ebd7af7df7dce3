// The shape of a CLI command and a small argument parser shared by all of them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FirstReplyError } from '../core/errors.ts';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Arguments the command cannot read (unknown option, missing value): the CLI prints the usage line and exits 2. */
export class UsageError extends FirstReplyError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_INPUT', message, {}, options);
  }
}

/** node:util parseArgs reports bad arguments as TypeErrors with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS_');
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(err.message.split('\n')[0] ?? err.message, { cause: err });
    throw err;
  }
}

/** The catalog directory: --dir, or the positional alias `firstreply start probes`; both given must agree. */
export function catalogDir(option: string | undefined, positional: string | undefined): string {
  if (option !== undefined && positional !== undefined && option !== positional) {
    throw new UsageError(`two catalog directories given: --dir ${option} and "${positional}"; give one`);
  }
  return option ?? positional ?? 'probes';
}
