// The shape of a CLI command and a small argument parser shared by all of them.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  return parseArgs({ args, options, allowPositionals, strict: true });
}
