// Loads probes/trials/*.yaml: each file validated by the trial schema and checked against the catalog, every problem at its file:line.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { lineOf, parseFile, validateFile, type ParsedFile } from '../config/config-file.ts';
import { trialIdSchema, trialSchema, type TrialInput, type TrialTime } from '../config/trial.ts';
import type { Catalog, Tier, Vendor } from '../config/schema.ts';
import { ConfigError, type ConfigProblem } from '../core/errors.ts';
import { expandEnv } from '../config/load.ts';
import { DAY } from '../core/clock.ts';
import { zone } from '../metrics/business-time.ts';
import { allowedTemplates } from '../runner/probe-runner.ts';

const trialsDirName = 'trials';

/** A trial with its window resolved to instants and its vendors' channels chosen. */
export interface Trial extends Omit<TrialInput, 'start' | 'end'> {
  id: string;
  file: string;
  /** Inclusive ms bounds: probes sent in [from, to] belong to the trial. */
  from: number;
  to: number;
  /** Per vendor slug, the channel ids taking part. */
  channelsOf: Record<string, string[]>;
}

/** The instant a trial time stands for; a bare end date runs through that whole day. */
function instantOf(time: TrialTime, timezone: string, isEnd: boolean): number {
  if ('instant' in time) return time.instant;
  const { year, month, day, minutes } = time.wall;
  const tz = zone(timezone);
  if (minutes !== null) return tz.toUtc(year, month, day, minutes);
  if (!isEnd) return tz.toUtc(year, month, day, 0);
  const next = new Date(Date.UTC(year, month - 1, day) + DAY);
  return tz.toUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0) - 1;
}

function checkTrial(input: TrialInput, parsed: ParsedFile, catalog: Catalog, problems: ConfigProblem[]): Record<string, string[]> | undefined {
  const before = problems.length;
  const at = (path: (string | number)[], field: string, message: string) => problems.push({ file: parsed.file, line: lineOf(parsed, path), field, message });
  const channelsOf: Record<string, string[]> = {};
  const seen = new Set<string>();
  const vendors: Vendor[] = [];
  input.vendors.forEach((slugName, i) => {
    if (seen.has(slugName)) at(['vendors', i], `vendors[${i}]`, `vendor "${slugName}" is listed twice`);
    seen.add(slugName);
    const vendor = catalog.vendors.find((v) => v.slug === slugName);
    if (!vendor) {
      at(['vendors', i], `vendors[${i}]`, `no vendor "${slugName}" in ${catalog.dir} (known: ${catalog.vendors.map((v) => v.slug).join(', ') || 'none'})`);
      return;
    }
    vendors.push(vendor);
    const chosen = vendor.channels.filter((c) => c.enabled && (input.channels === undefined || input.channels.includes(c.id))).map((c) => c.id);
    if (chosen.length === 0)
      at(['vendors', i], `vendors[${i}]`, `${slugName} has none of the trial's channels (${input.channels?.join(', ') ?? 'any enabled'})`);
    channelsOf[slugName] = chosen;
  });
  input.channels?.forEach((id, i) => {
    if (vendors.length > 0 && !vendors.some((v) => v.channels.some((c) => c.id === id))) {
      at(['channels', i], `channels[${i}]`, `no vendor of this trial has a channel "${id}"`);
    }
  });
  input.tiers.forEach((tier: Tier, i) => {
    const probed = vendors.some((v) => v.channels.some((c) => channelsOf[v.slug]?.includes(c.id) && allowedTemplates(v, c).some((t) => t.tier === tier)));
    if (vendors.length > 0 && !probed) at(['tiers', i], `tiers[${i}]`, `no channel of this trial sends a ${tier} template: that tier would get no probes`);
  });
  const from = instantOf(input.start, input.timezone, false);
  const to = instantOf(input.end, input.timezone, true);
  if (to <= from) at(['end'], 'end', `the trial ends (${new Date(to).toISOString()}) before it starts (${new Date(from).toISOString()})`);
  return problems.length === before ? channelsOf : undefined;
}

/** Every trial of a catalog directory (none when it has no trials/ folder); throws ConfigError listing every problem. */
export function loadTrials(catalog: Catalog, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Trial[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const show = (p: string) => relative(cwd, p) || p;
  const dir = join(catalog.dir, trialsDirName);
  if (!existsSync(dir)) return [];
  const problems: ConfigProblem[] = [];
  const trials: Trial[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const path = join(dir, name);
    const id = basename(name).replace(/\.ya?ml$/, '');
    if (!trialIdSchema.safeParse(id).success) {
      problems.push({
        file: show(path),
        line: 1,
        field: '',
        message: `the file name is the trial's id: use lowercase letters, digits and dashes (e.g. "cdn-2026-q2.yaml")`,
      });
      continue;
    }
    const parsed = parseFile(path, show(path), problems);
    if (!parsed) continue;
    const input = validateFile(trialSchema, parsed, expandEnv(parsed, env, problems), problems);
    if (!input) continue;
    const channelsOf = checkTrial(input, parsed, catalog, problems);
    if (!channelsOf) continue;
    const { start, end, ...rest } = input;
    trials.push({ ...rest, id, file: parsed.file, from: instantOf(start, input.timezone, false), to: instantOf(end, input.timezone, true), channelsOf });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return trials;
}

export function findTrial(trials: readonly Trial[], id: string): Trial | undefined {
  return trials.find((t) => t.id === id);
}
