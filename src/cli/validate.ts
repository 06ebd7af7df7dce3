// `firstreply validate [dir]`: checks every vendor file and prints file:line: field: message.
import type { Command } from './command.ts';
import { UsageError, catalogDir, parseCommandArgs } from './command.ts';
import { loadCatalog, catalogSummary } from '../config/load.ts';
import { nextRunLines } from './validate-schedules.ts';
import { ConfigError } from '../core/errors.ts';
import { loadTrials } from '../trials/load.ts';

export const validateCommand: Command = {
  summary: 'check the probe definitions (default dir: probes/)',
  usage: `usage: firstreply validate [--dir probes] [--verbose]

Validates every vendor file (*.yaml), settings.yaml and trial (trials/*.yaml) in --dir (default: probes; a bare directory argument is the same).
Prints every problem as "file:line: field: message" and exits 2, or a one-line summary and exits 0.
\${VAR} references are expanded from the environment; a missing variable is a problem.
--verbose also prints each scheduled channel's next three probe times in the vendor's time zone.`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { dir: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } });
    if (positionals.length > 1) throw new UsageError(`one catalog directory at most (got ${positionals.join(', ')})`);
    const dir = catalogDir(values.dir, positionals[0]);
    try {
      const catalog = loadCatalog(dir);
      const trials = loadTrials(catalog);
      if (values.verbose)
        process.stdout.write(
          nextRunLines(catalog, Date.now())
            .map((line) => `${line}\n`)
            .join(''),
        );
      process.stdout.write(`${catalogSummary(catalog)}${trials.length > 0 ? `; ${trials.length} trial(s): ${trials.map((t) => t.id).join(', ')}` : ''}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`${err.message}\n${err.problems.length} problem(s) in ${dir}\n`);
      return 2;
    }
  },
};
