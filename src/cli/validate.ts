// `firstreply validate [dir]`: checks every vendor file and prints file:line: field: message.
import type { Command } from './command.ts';
import { loadCatalog, catalogSummary } from '../config/load.ts';
import { ConfigError } from '../core/errors.ts';

export const validateCommand: Command = {
  summary: 'check the probe definitions (default dir: probes/)',
  usage: `usage: firstreply validate [dir]

Validates every vendor file (*.yaml) and settings.yaml in dir (default: probes).
Prints every problem as "file:line: field: message" and exits 2, or a one-line summary and exits 0.
\${VAR} references are expanded from the environment; a missing variable is a problem.`,
  async run(args) {
    const dir = args.find((a) => !a.startsWith('-')) ?? 'probes';
    try {
      process.stdout.write(`${catalogSummary(loadCatalog(dir))}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n${err.problems.length} problem(s) in ${dir}\n`);
      return 2;
    }
  },
};
